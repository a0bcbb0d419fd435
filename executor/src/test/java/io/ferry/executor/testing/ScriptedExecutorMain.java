package io.ferry.executor.testing;

import io.ferry.executor.FerryExecutor;

/** The executor with {@link ScriptedTasks}, run as a real child process by the tests. */
public final class ScriptedExecutorMain {
  private ScriptedExecutorMain() {}

  public static void main(String[] args) {
    System.exit(FerryExecutor.run(System.getenv(), context -> new ScriptedTasks(), System.err));
  }
}
