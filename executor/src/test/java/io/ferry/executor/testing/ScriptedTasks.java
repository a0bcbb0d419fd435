package io.ferry.executor.testing;

import io.ferry.executor.TaskControl;
import io.ferry.executor.TaskHandler;
import io.ferry.executor.internal.TaskPool;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * A task handler for tests of the Mesos side: {@code TaskInfo.data} (UTF-8) says what the task does.
 * <ul>
 *   <li>{@code finish}: RUNNING, then FINISHED.
 *   <li>{@code fail}: RUNNING, then FAILED "boom".
 *   <li>{@code block}: RUNNING, then waits until interrupted: KILLED.
 *   <li>{@code stubborn}: RUNNING, then spins forever, ignoring interruption.
 *   <li>{@code silent}: reports nothing until interrupted: KILLED.
 *   <li>{@code wait:<ms>}: RUNNING, then FINISHED after that many milliseconds.
 * </ul>
 */
public final class ScriptedTasks implements TaskHandler {
  private final TaskPool pool = new TaskPool(4);

  @Override
  public void launch(TaskInfo task, TaskControl control) {
    String script = task.getData().toString(StandardCharsets.UTF_8);
    TaskPool.Running run = pool.submit(() -> body(script, control));
    control.onKill(run::interrupt);
    control.onAbandon(run::abandon);
  }

  private static void body(String script, TaskControl control) {
    if (!script.equals("silent")) {
      control.running();
    }
    switch (script) {
      case "finish" -> control.finished("done");
      case "fail" -> control.failed("boom");
      case "block", "silent" -> {
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          control.killed("interrupted");
        }
      }
      case "stubborn" -> {
        while (true) {
          LockSupport.parkNanos(10_000_000L); // and never looks at the interrupt flag
          Thread.interrupted();
        }
      }
      default -> {
        if (script.startsWith("wait:")) {
          try {
            Thread.sleep(Long.parseLong(script.substring(5)));
            control.finished("waited");
          } catch (InterruptedException e) {
            control.killed("interrupted");
          }
        } else {
          control.failed("unknown script '" + script + "'");
        }
      }
    }
  }
}
