package io.ferry.rpc.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the driver's connections that have not authenticated yet, up to a limit. Together with
 * the handshake's frame cap and deadline this bounds what strangers can make the driver hold:
 * at most {@code limit} connections, each with a few KiB of input, each for at most the
 * handshake timeout. A connection leaves the count when it authenticates or closes, once.
 */
public final class PendingHandshakes {
  private static final AttributeKey<AtomicBoolean> COUNTED = AttributeKey.valueOf("ferry.rpc.pendingHandshake");

  private final int limit;
  private final AtomicInteger pending = new AtomicInteger();

  public PendingHandshakes(int limit) {
    this.limit = limit;
  }

  /** Counts the channel in, or returns false when {@code limit} connections are already pending. */
  public boolean tryEnter(Channel channel) {
    while (true) {
      int now = pending.get();
      if (now >= limit) {
        return false;
      }
      if (pending.compareAndSet(now, now + 1)) {
        AtomicBoolean counted = new AtomicBoolean(true);
        channel.attr(COUNTED).set(counted);
        channel.closeFuture().addListener(f -> leave(channel));
        return true;
      }
    }
  }

  /** The channel authenticated or closed: it no longer counts. Idempotent. */
  public void leave(Channel channel) {
    AtomicBoolean counted = channel.attr(COUNTED).get();
    if (counted != null && counted.compareAndSet(true, false)) {
      pending.decrementAndGet();
    }
  }

  public int limit() {
    return limit;
  }

  public int pending() {
    return pending.get();
  }
}
