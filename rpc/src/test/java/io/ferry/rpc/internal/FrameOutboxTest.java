package io.ferry.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.ServerHandler;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.RunTask;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Frames a connection sends together leave together: one flush (so one write(2)) for a burst, not
 * one per frame, in the order they were sent; a close sends its goodbye after them.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FrameOutboxTest {

  /** Counts what reaches the socket's end of the pipeline. */
  private static final class CountingWire extends ChannelOutboundHandlerAdapter {
    final List<Frame> written = new ArrayList<>();
    int writes;
    int flushes;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
      writes++;
      if (msg instanceof Frame frame) {
        written.add(frame); // written by the link itself (a goodbye); the codec would encode it
      } else {
        ByteBuf bytes = (ByteBuf) msg; // the outbox's batch, already framed: length, body, ...
        while (bytes.isReadable()) {
          int length = bytes.readInt();
          written.add(Frame.parseFrom(ByteBufUtil.getBytes(bytes, bytes.readerIndex(), length)));
          bytes.skipBytes(length);
        }
        bytes.release();
      }
      promise.trySuccess();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes++;
    }
  }

  private static final ServerHandler NO_HANDLER = new ServerHandler() {
    @Override
    public void onConnected(PeerConnection peer) {}

    @Override
    public void onFrame(PeerConnection peer, Frame frame) {}

    @Override
    public void onDisconnected(PeerConnection peer, String reason) {}
  };

  private static Frame task(long id) {
    return Frame.newBuilder().setRunTask(RunTask.newBuilder().setTaskId(id)).build();
  }

  @Test
  void framesSentOneByOneInABurstLeaveWithOneFlushInOrder() {
    CountingWire wire = new CountingWire();
    EmbeddedChannel channel = new EmbeddedChannel(wire);
    ServerSessionHandler session = new ServerSessionHandler("e-1", channel, NO_HANDLER, null);
    for (int i = 0; i < 100; i++) {
      session.send(task(i));
    }
    channel.runPendingTasks();
    assertThat(wire.written).extracting(f -> f.getRunTask().getTaskId()).containsExactlyElementsOf(range(100));
    assertThat(wire.flushes).as("flushes for 100 frames sent in one burst").isEqualTo(1);
    assertThat(wire.writes).as("buffers written for them").isEqualTo(1);
    channel.finishAndReleaseAll();
  }

  @Test
  void framesSentTogetherLeaveWithOneFlush() {
    CountingWire wire = new CountingWire();
    EmbeddedChannel channel = new EmbeddedChannel(wire);
    ServerSessionHandler session = new ServerSessionHandler("e-1", channel, NO_HANDLER, null);
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      frames.add(task(i));
    }
    session.sendAll(frames);
    channel.runPendingTasks();
    assertThat(wire.written).hasSize(64);
    assertThat(wire.flushes).isEqualTo(1);
    channel.finishAndReleaseAll();
  }

  @Test
  void aBurstAboveTheBufferSizeLeavesInSeveralBuffersInOrder() {
    CountingWire wire = new CountingWire();
    EmbeddedChannel channel = new EmbeddedChannel(wire);
    ServerSessionHandler session = new ServerSessionHandler("e-1", channel, NO_HANDLER, null);
    byte[] payload = new byte[300 * 1024];
    for (int i = 0; i < 8; i++) {
      session.send(Frame.newBuilder().setRunTask(RunTask.newBuilder().setTaskId(i)
          .setPayload(com.google.protobuf.ByteString.copyFrom(payload))).build());
    }
    channel.runPendingTasks();
    assertThat(wire.written).extracting(f -> f.getRunTask().getTaskId()).containsExactlyElementsOf(range(8));
    assertThat(wire.writes).as("1 MiB buffers for 2.4 MiB of frames").isEqualTo(3);
    assertThat(wire.flushes).isEqualTo(1);
    channel.finishAndReleaseAll();
  }

  @Test
  void aCloseSendsItsGoodbyeAfterTheFramesAlreadyQueued() {
    CountingWire wire = new CountingWire();
    EmbeddedChannel channel = new EmbeddedChannel(wire);
    ServerSessionHandler session = new ServerSessionHandler("e-1", channel, NO_HANDLER, null);
    session.send(task(1));
    session.send(task(2));
    session.close("the application is done");
    channel.runPendingTasks();
    assertThat(wire.written).extracting(Frames::kind).containsExactly("RUN_TASK", "RUN_TASK", "GOODBYE");
    assertThat(channel.isOpen()).isFalse();
  }

  private static List<Long> range(int n) {
    List<Long> ids = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      ids.add(i);
    }
    return ids;
  }
}
