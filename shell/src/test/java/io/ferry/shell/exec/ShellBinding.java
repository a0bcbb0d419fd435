package io.ferry.shell.exec;

import io.ferry.driver.FerryContext;

/** How a test's snippets reach the test's {@code FerryContext} (snippets run in this JVM). */
public final class ShellBinding {
  private static volatile FerryContext ferry;

  private ShellBinding() {}

  public static FerryContext ferry() {
    return ferry;
  }

  static void bind(FerryContext context) {
    ferry = context;
  }
}
