package io.ferry.packager.store;

import java.net.http.HttpRequest.BodyPublisher;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A request body that reports progress while the HTTP client pulls it, so a
 * {@link TransferListener} sees bytes as they go out rather than once at the end. The client
 * asks for more only as the socket drains, which keeps the count close to what was sent.
 *
 * <p>One publisher serves every attempt and redirect hop of an upload; the listener is told only
 * about bytes beyond the furthest any attempt got, so its total never exceeds the file's size.
 */
final class ProgressPublisher implements BodyPublisher {

  private final BodyPublisher delegate;
  private final TransferListener listener;
  private final IdleWatch watch;
  private long reported;
  private long sentThisAttempt;

  ProgressPublisher(BodyPublisher delegate, TransferListener listener, IdleWatch watch) {
    this.delegate = delegate;
    this.listener = listener;
    this.watch = watch;
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    synchronized (this) {
      sentThisAttempt = 0;
    }
    delegate.subscribe(new Counting(subscriber));
  }

  private synchronized void sent(long bytes) {
    sentThisAttempt += bytes;
    if (sentThisAttempt > reported) {
      listener.transferred(sentThisAttempt - reported);
      reported = sentThisAttempt;
    }
  }

  /** Counts each buffer as the client takes it. */
  private final class Counting implements Flow.Subscriber<ByteBuffer> {

    private final Flow.Subscriber<? super ByteBuffer> downstream;

    Counting(Flow.Subscriber<? super ByteBuffer> downstream) {
      this.downstream = downstream;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      downstream.onSubscribe(subscription);
    }

    @Override
    public void onNext(ByteBuffer item) {
      int bytes = item.remaining();
      downstream.onNext(item);
      watch.touch();
      sent(bytes);
    }

    @Override
    public void onError(Throwable throwable) {
      downstream.onError(throwable);
    }

    @Override
    public void onComplete() {
      // The server now has the whole body; the idle clock now bounds its answer.
      watch.touch();
      downstream.onComplete();
    }
  }
}
