package io.ferry.mesos.http;

/**
 * Receives a subscription's events. Both methods run on the subscription's own event thread
 * ({@code ferry-mesos-events-N}), one call at a time and in stream order, never on a Netty I/O
 * thread; so a listener may block, at the cost of delaying its own later events.
 *
 * <p>{@link #onClosed} is called exactly once, after the last {@link #onEvent}, and only for a
 * subscription that opened (the future returned by {@link MesosClient#subscribe} completed
 * normally). An exception thrown by either method is logged and otherwise ignored.
 *
 * @param <E> the Event message type
 */
public interface EventListener<E> {

  void onEvent(E event);

  /**
   * The stream has ended.
   *
   * @param cause {@code null} when it was closed on our side ({@link Subscription#close()} or
   *     {@link MesosClient#close()}); otherwise a {@link MesosStreamException} saying why
   */
  void onClosed(Throwable cause);
}
