package io.ferry.rpc.internal;

import io.ferry.rpc.proto.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection's outgoing work frames ({@code RunTask}, {@code TaskResult}, ...), sent from any
 * thread and written in batches: a frame queued while a drain is already due joins that drain, so
 * frames sent together (a dispatch of many tasks, results of several slots finishing at once)
 * cost one task on the event loop, one flush and one {@code write(2)}, not one of each per frame.
 *
 * <p>Why not {@code channel.writeAndFlush} per frame: from a thread other than the channel's
 * loop each call is a task of its own on the loop's queue (and often a wake-up of the loop), which
 * was the largest cost per task on the link (see BENCHMARKS.md, "Where coarse time goes").
 *
 * <p>Frames leave in the order they were queued. A frame the link itself writes on the loop (a
 * goodbye, heartbeats, jar chunks) is ordered with these only as far as the calling thread's own
 * order goes: {@link #send} followed by a close from the same thread queues the drain first, so
 * the frames still leave before the goodbye.
 */
final class FrameOutbox {
  /** Bytes encoded into one buffer at most (a burst of 1,024 no-op task frames is about 200 KiB); a larger frame goes alone. */
  static final int MAX_BYTES_PER_BUFFER = 1 << 20;

  private final Channel channel;
  private final Queue<Frame> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainDue = new AtomicBoolean();
  private final Runnable drain = this::drain;

  FrameOutbox(Channel channel) {
    this.channel = channel;
  }

  /** Queues a frame; safe from any thread, never blocks. */
  void send(Frame frame) {
    queue.add(frame);
    scheduleDrain();
  }

  /** Queues frames to leave together, in order. */
  void sendAll(Iterable<Frame> frames) {
    for (Frame f : frames) {
      queue.add(f);
    }
    scheduleDrain();
  }

  private void scheduleDrain() {
    if (drainDue.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(drain);
      } catch (RejectedExecutionException e) {
        // The connection's loop has ended with the connection: frames to a closed link are
        // dropped, as a write to a closed channel is.
        queue.clear();
      }
    }
  }

  /**
   * Runs {@code close} on the event loop after every frame queued so far has been written: a
   * goodbye written on the loop must not overtake results still in the queue.
   */
  void thenClose(Runnable close) {
    try {
      channel.eventLoop().execute(() -> {
        drain();
        close.run();
      });
    } catch (RejectedExecutionException e) {
      close.run(); // the loop has ended: the channel is closed already
    }
  }

  /**
   * On the event loop: encodes every queued frame into one buffer (at most
   * {@link #MAX_BYTES_PER_BUFFER} each, or one frame), writes it and flushes once. One buffer per batch rather than one
   * per frame: the executor's Netty allocates unpooled direct buffers, and an allocation per
   * frame showed in the profile.
   */
  private void drain() {
    // Cleared before polling: a frame queued after this point either is polled below or schedules
    // the next drain, so none is left behind.
    drainDue.set(false);
    boolean wrote = false;
    List<Frame> batch = new ArrayList<>();
    long batchBytes = 0;
    Frame frame;
    while ((frame = queue.poll()) != null) {
      int size = FrameCodec.wireSize(frame);
      if (!batch.isEmpty() && batchBytes + size > MAX_BYTES_PER_BUFFER) {
        write(batch);
        wrote = true;
        batchBytes = 0;
      }
      batch.add(frame);
      batchBytes += size;
    }
    if (!batch.isEmpty()) {
      write(batch);
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  /** Writes the frames as one buffer and empties the list. */
  private void write(List<Frame> frames) {
    int bytes = 0;
    for (Frame f : frames) {
      bytes += FrameCodec.wireSize(f);
    }
    ByteBuf buffer = channel.alloc().ioBuffer(bytes);
    try {
      for (Frame f : frames) {
        FrameCodec.writeTo(f, buffer);
      }
    } catch (IOException | RuntimeException e) {
      // Cannot happen for a built Frame into a buffer of its exact size; if it did, the frames go
      // the ordinary way, one by one, so none is lost or half-written.
      buffer.release();
      frames.forEach(f -> channel.write(f, channel.voidPromise()));
      frames.clear();
      return;
    }
    channel.write(buffer, channel.voidPromise());
    frames.clear();
  }
}
