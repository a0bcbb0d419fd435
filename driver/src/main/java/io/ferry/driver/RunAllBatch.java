package io.ferry.driver;

import io.ferry.api.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;

/**
 * The tasks of one {@link FerryContext#runAll} call, submitted by a thread of their own while the
 * caller only waits. The reason is JShell's Ctrl-C, which stops the snippet's thread wherever it is
 * ({@code Thread.stop}): stopped inside a submission, the caller could leave a task accepted by the
 * scheduler but not yet in its list (never cancelled, it would run for nobody, holding a slot) or a
 * backend half-way through a dispatch. Here a stop can only land in a wait, and {@link #cancel}
 * stops the submission too. Thread-safe.
 */
final class RunAllBatch<R> {
  private final List<CompletableFuture<R>> futures;
  private boolean cancelled;
  private final CompletableFuture<Void> submitted = new CompletableFuture<>();

  RunAllBatch(int size) {
    this.futures = new ArrayList<>(size);
  }

  /**
   * On the submitting thread: submits the tasks in order (named {@code task <i>}) until all are in
   * or the batch is cancelled; a task submitted as the batch was cancelled is cancelled here.
   */
  void submitAll(List<? extends Task<R>> tasks, BiFunction<String, Task<R>, CompletableFuture<R>> submit) {
    try {
      for (int i = 0; i < tasks.size(); i++) {
        synchronized (this) {
          if (cancelled) {
            break;
          }
        }
        CompletableFuture<R> f = submit.apply("task " + i, tasks.get(i));
        boolean late;
        synchronized (this) {
          futures.add(f);
          late = cancelled;
        }
        if (late) {
          f.cancel(true);
        }
      }
      submitted.complete(null);
    } catch (RuntimeException | Error e) {
      submitted.completeExceptionally(e);
    }
  }

  /**
   * Waits until every task is submitted, then for each result in order.
   *
   * @throws ExecutionException a task's failure, or what stopped the submission (a closed context)
   */
  List<R> results() throws InterruptedException, ExecutionException {
    submitted.get();
    List<CompletableFuture<R>> all;
    synchronized (this) {
      all = new ArrayList<>(futures);
    }
    List<R> results = new ArrayList<>(all.size());
    for (CompletableFuture<R> f : all) {
      results.add(f.get());
    }
    return results;
  }

  /** Cancels every task not yet done, and the submission of those not yet submitted. */
  void cancel() {
    List<CompletableFuture<R>> all;
    synchronized (this) {
      cancelled = true;
      all = new ArrayList<>(futures);
    }
    all.forEach(f -> f.cancel(true));
  }
}
