package io.ferry.shell.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The snippet JShell runs at start (after its own {@code DEFAULT} imports) and again on
 * {@code /reset}: Ferry's imports and {@code ferry}, the ready context. JShell takes start-up
 * snippets from files only, so it is written to a temporary file deleted when the JVM exits.
 */
final class StartupSnippet {
  static final String TEXT = String.join("\n",
      "import io.ferry.api.Task;",
      "import io.ferry.api.TaskContext;",
      "import io.ferry.driver.FerryContext;",
      "import io.ferry.driver.TaskFailedException;",
      "FerryContext ferry = io.ferry.shell.cli.ShellSession.context();",
      "");

  private StartupSnippet() {}

  static Path write() throws IOException {
    Path file = Files.createTempFile("ferry-shell-startup-", ".jsh");
    file.toFile().deleteOnExit();
    Files.writeString(file, TEXT, StandardCharsets.UTF_8);
    return file;
  }
}
