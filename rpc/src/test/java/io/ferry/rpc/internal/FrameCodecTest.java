package io.ferry.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.RunTask;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static EmbeddedChannel channel(int max) {
    EmbeddedChannel ch = new EmbeddedChannel();
    FrameCodec.addTo(ch.pipeline(), max);
    return ch;
  }

  private static byte[] encode(Frame... frames) {
    EmbeddedChannel ch = channel(1 << 20);
    ByteBuf all = Unpooled.buffer();
    for (Frame f : frames) {
      ch.writeOutbound(f);
      ByteBuf out = ch.readOutbound();
      all.writeBytes(out);
      out.release();
    }
    byte[] bytes = new byte[all.readableBytes()];
    all.readBytes(bytes);
    return bytes;
  }

  @Test
  void everySplitOfTheSameInputDecodesTheSame() {
    Frame a = Frame.newBuilder().setRunTask(RunTask.newBuilder().setTaskId(1).setName("a")).build();
    Frame b = Frame.newBuilder().setHeartbeat(io.ferry.rpc.proto.Heartbeat.newBuilder().setSentAtMs(5)).build();
    byte[] wire = encode(a, b, a);
    for (int split = 1; split < wire.length; split++) {
      EmbeddedChannel ch = channel(1 << 20);
      ch.writeInbound(Unpooled.wrappedBuffer(wire, 0, split));
      ch.writeInbound(Unpooled.wrappedBuffer(wire, split, wire.length - split));
      List<Frame> got = new ArrayList<>();
      for (Frame f; (f = ch.readInbound()) != null; ) {
        got.add(f);
      }
      assertThat(got).as("split at %d", split).containsExactly(a, b, a);
    }
    // One byte at a time.
    EmbeddedChannel ch = channel(1 << 20);
    for (byte x : wire) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
    }
    assertThat((Frame) ch.readInbound()).isEqualTo(a);
  }

  @Test
  void anOversizedLengthFailsFastBeforeTheBodyArrives() {
    EmbeddedChannel ch = channel(1024);
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 8, 0})))
        .isInstanceOf(io.netty.handler.codec.TooLongFrameException.class);
    assertThat(LinkErrors.describe(new io.netty.handler.codec.TooLongFrameException("x"))).contains("oversized");
  }

  @Test
  void garbageIsAMalformedFrame() {
    EmbeddedChannel ch = channel(1024);
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2, (byte) 0xff, (byte) 0xff})))
        .isInstanceOf(DecoderException.class)
        .satisfies(e -> assertThat(LinkErrors.describe(e)).startsWith("received a malformed frame"));
  }

  @Test
  void beforeTheHandshakeAFrameIsCappedAtWhatAHandshakeNeedsThenTheLimitIsRaised() {
    EmbeddedChannel ch = new EmbeddedChannel();
    FrameCodec.addUnauthenticated(ch.pipeline());
    Frame big = Frame.newBuilder().setRunTask(RunTask.newBuilder().setName("x".repeat(8 << 10))).build();
    byte[] wire = encode(big);
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(wire, 0, 4)))
        .isInstanceOf(io.netty.handler.codec.TooLongFrameException.class)
        .hasMessageContaining("above the limit before the handshake of " + FrameCodec.HANDSHAKE_FRAME_BYTES + " bytes");

    EmbeddedChannel authenticated = new EmbeddedChannel();
    FrameCodec.addUnauthenticated(authenticated.pipeline());
    FrameCodec.raiseLimit(authenticated.pipeline(), 1 << 20);
    authenticated.writeInbound(Unpooled.wrappedBuffer(wire));
    assertThat((Frame) authenticated.readInbound()).isEqualTo(big);
  }

  @Test
  void afterAViolationTheRestOfTheInputIsDroppedUnread() {
    Frame a = Frame.newBuilder().setRunTask(RunTask.newBuilder().setTaskId(1)).build();
    byte[] wire = encode(a, a, a);
    EmbeddedChannel ch = channel(1 << 20);
    ch.writeInbound(Unpooled.wrappedBuffer(wire, 0, wire.length / 3));
    assertThat((Frame) ch.readInbound()).isEqualTo(a);
    LinkState.discardInput(ch); // what closeForViolation does before it closes
    ch.writeInbound(Unpooled.wrappedBuffer(wire, wire.length / 3, wire.length - wire.length / 3));
    assertThat((Object) ch.readInbound()).isNull();
  }
}
