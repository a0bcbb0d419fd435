package io.ferry.api;

import java.io.Serializable;

/**
 * A unit of work the driver ships to an executor: a serializable function of its {@link TaskContext}.
 *
 * <p>The task object is serialized on the driver with Java serialization, sent over the
 * authenticated driver link, and deserialized on the executor through {@link TaskSerializer}'s
 * filter, in a class loader that holds the application's jars. The result travels back the same
 * way, so it must be {@link Serializable} too (or {@code null}).
 *
 * <pre>{@code
 * Task<Long> countHits = ctx -> {
 *   long hits = 0;
 *   for (int i = 0; i < 1_000_000 && !ctx.isCancelled(); i++) { ... }
 *   return hits;
 * };
 * long hits = context.submit(countHits).join();
 * }</pre>
 *
 * <p>A task should poll {@link TaskContext#isCancelled()} or respond to interruption in long loops:
 * a killed task is interrupted first and the executor escalates only after the kill grace period.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface Task<R> extends Serializable {
  R run(TaskContext context) throws Exception;
}
