package io.ferry.mesos.recordio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.mesos.ContentType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RecordIoEncoderTest {

  @Test
  void writesLengthNewlineAndBytes() {
    EmbeddedChannel channel = new EmbeddedChannel(new RecordIoEncoder());
    channel.writeOutbound(Unpooled.copiedBuffer("{\"type\":\"HEARTBEAT\"}", StandardCharsets.US_ASCII));
    ByteBuf out = channel.readOutbound();
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("20\n{\"type\":\"HEARTBEAT\"}");
    out.release();
    byte[] heartbeat = ContentType.PROTOBUF.encode(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
    channel.writeOutbound(Unpooled.wrappedBuffer(heartbeat));
    out = channel.readOutbound();
    assertThat(ByteBufUtil.getBytes(out)).containsExactly(0x32, 0x0A, 0x08, 0x09);
    out.release();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void refusesEmptyRecords() {
    EmbeddedChannel channel = new EmbeddedChannel(new RecordIoEncoder());
    assertThatThrownBy(() -> channel.writeOutbound(Unpooled.EMPTY_BUFFER))
        .hasRootCauseInstanceOf(RecordIoException.class)
        .hasMessageContaining("never empty");
    channel.finishAndReleaseAll();
  }

  @Test
  void roundTripThroughTheDecoderInEverySplit() {
    List<byte[]> records = List.of(new byte[] {1}, "x".repeat(300).getBytes(StandardCharsets.US_ASCII),
        "\n\n10\n".getBytes(StandardCharsets.US_ASCII), new byte[] {0x08, 0x09});
    EmbeddedChannel encoder = new EmbeddedChannel(new RecordIoEncoder());
    for (byte[] record : records) {
      encoder.writeOutbound(Unpooled.wrappedBuffer(record));
    }
    ByteBuf wire = Unpooled.buffer();
    for (ByteBuf piece; (piece = encoder.readOutbound()) != null; ) {
      wire.writeBytes(piece);
      piece.release();
    }
    byte[] bytes = ByteBufUtil.getBytes(wire);
    wire.release();
    for (int split = 0; split <= bytes.length; split++) {
      EmbeddedChannel decoder = new EmbeddedChannel(new RecordIoDecoder(1024));
      decoder.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
      decoder.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
      List<byte[]> decoded = new ArrayList<>(RecordIoDecoderTest.readRecords(decoder));
      assertThat(decoded).as("split at %d", split).containsExactlyElementsOf(records);
      decoder.finishAndReleaseAll();
    }
  }
}
