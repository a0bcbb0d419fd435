package io.ferry.mesos.recordio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RecordIoDecoderTest {

  private static final byte[] JSON_HEARTBEAT = "{\"type\":\"HEARTBEAT\"}".getBytes(StandardCharsets.US_ASCII);
  /** The digest's protobuf executor HEARTBEAT record: '2', '\n', then Event{type: HEARTBEAT(9)}. */
  private static final byte[] PROTOBUF_EXECUTOR_HEARTBEAT = {0x32, 0x0A, 0x08, 0x09};
  private static final byte[] PROTOBUF_SCHEDULER_HEARTBEAT = {0x32, 0x0A, 0x08, 0x08};

  /** Three records in a row: JSON, protobuf, and one whose payload contains newlines and digits. */
  private static byte[] multiRecordStream() {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.writeBytes("20\n".getBytes(StandardCharsets.US_ASCII));
    stream.writeBytes(JSON_HEARTBEAT);
    stream.writeBytes(PROTOBUF_EXECUTOR_HEARTBEAT);
    stream.writeBytes(PROTOBUF_SCHEDULER_HEARTBEAT);
    stream.writeBytes("12\n3\n45\n\n789\n0\n".getBytes(StandardCharsets.US_ASCII));
    return stream.toByteArray();
  }

  private static final List<byte[]> EXPECTED = List.of(
      JSON_HEARTBEAT,
      new byte[] {0x08, 0x09},
      new byte[] {0x08, 0x08},
      "3\n45\n\n789\n0\n".getBytes(StandardCharsets.US_ASCII));

  @Test
  void wholeStreamInOneRead() {
    assertThat(decode(List.of(multiRecordStream()))).containsExactlyElementsOf(EXPECTED);
  }

  @Test
  void splitInTwoAtEveryPosition() {
    byte[] stream = multiRecordStream();
    for (int split = 0; split <= stream.length; split++) {
      List<byte[]> pieces = List.of(Arrays.copyOfRange(stream, 0, split),
          Arrays.copyOfRange(stream, split, stream.length));
      assertThat(decode(pieces)).as("split at %d", split).containsExactlyElementsOf(EXPECTED);
    }
  }

  @Test
  void oneByteAtATime() {
    byte[] stream = multiRecordStream();
    List<byte[]> pieces = new ArrayList<>();
    for (byte b : stream) {
      pieces.add(new byte[] {b});
    }
    assertThat(decode(pieces)).containsExactlyElementsOf(EXPECTED);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "12a\\n                       | RecordIO length line '12a' is not a decimal number",
      "\\n                          | RecordIO length line is empty",
      "+5\\n                        | RecordIO length line '+5' is not a decimal number",
      "-5\\n                        | RecordIO length line '-5' is not a decimal number",
      "\" 5\\n\"                    | RecordIO length line ' 5' is not a decimal number",
      "5\\r\\n                      | RecordIO length line '5\\x0d' is not a decimal number",
      "0\\n                         | RecordIO record length 0 is invalid (records are never empty)",
      "000\\n                       | RecordIO record length 000 is invalid (records are never empty)",
      "000000000000000000001\\n     | RecordIO length line '00000000000000000000...' is longer than 20 characters",
      "123456789012345678901       | RecordIO length line '12345678901234567890...' is longer than 20 characters",
      "1025\\n                      | RecordIO record length 1025 exceeds the maximum record size of 1024 bytes",
      "99999999999999999999\\n      | RecordIO record length 99999999999999999999 exceeds the maximum record size of 1024 bytes",
  })
  void malformedLengthLinesFailAtEverySplit(String input, String message) {
    byte[] bytes = input.replace("\\n", "\n").replace("\\r", "\r").getBytes(StandardCharsets.US_ASCII);
    for (int split = 0; split <= bytes.length; split++) {
      EmbeddedChannel channel = new EmbeddedChannel(new RecordIoDecoder(1024));
      RecordIoException failure = null;
      try {
        for (byte[] piece : List.of(Arrays.copyOfRange(bytes, 0, split),
            Arrays.copyOfRange(bytes, split, bytes.length))) {
          try {
            channel.writeInbound(Unpooled.wrappedBuffer(piece));
          } catch (RecordIoException e) {
            assertThat(failure).as("a second failure at split %d", split).isNull();
            failure = e;
          }
        }
        assertThat(failure).as("split at %d", split).isNotNull().hasMessage(message);
        assertThat((Object) channel.readInbound()).isNull();
      } finally {
        channel.finishAndReleaseAll();
      }
    }
  }

  @Test
  void everythingAfterACorruptLengthIsDiscarded() {
    EmbeddedChannel channel = new EmbeddedChannel(new RecordIoDecoder(1024));
    assertThatThrownBy(() -> channel.writeInbound(ascii("2\n{}x\n2\n{}")))
        .isInstanceOf(RecordIoException.class).hasMessageContaining("'x'");
    assertThat(readRecords(channel)).containsExactly("{}".getBytes(StandardCharsets.US_ASCII));
    channel.writeInbound(ascii("2\n{}"));
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void recordOfExactlyTheMaximumPassesAndOneMoreFails() {
    byte[] max = new byte[1024];
    Arrays.fill(max, (byte) 'm');
    EmbeddedChannel channel = new EmbeddedChannel(new RecordIoDecoder(1024));
    channel.writeInbound(ascii("1024\n"), Unpooled.wrappedBuffer(max));
    assertThat(readRecords(channel)).containsExactly(max);
    assertThatThrownBy(() -> channel.writeInbound(ascii("1025\n")))
        .isInstanceOf(RecordIoException.class)
        .hasMessage("RecordIO record length 1025 exceeds the maximum record size of 1024 bytes");
    channel.finishAndReleaseAll();
  }

  @Test
  void hugeClaimedLengthFailsAtOnceWithoutAllocating() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setAllocator(new CappedAllocator(4096));
    channel.pipeline().addLast(new RecordIoDecoder(Integer.MAX_VALUE));
    assertThatThrownBy(() -> channel.writeInbound(ascii("18446744073709551615\n")))
        .isInstanceOf(RecordIoException.class)
        .hasMessageContaining("18446744073709551615 exceeds the maximum record size");
    channel.finishAndReleaseAll();
  }

  @Test
  void largeClaimedLengthWithinTheMaximumOnlyBuffersWhatArrived() {
    EmbeddedChannel channel = new EmbeddedChannel();
    // A cap far below the claim: the decoder must never ask for the claimed 1 GiB.
    channel.config().setAllocator(new CappedAllocator(64 * 1024));
    channel.pipeline().addLast(new RecordIoDecoder(Integer.MAX_VALUE));
    channel.writeInbound(ascii("1073741824\n"));
    for (int i = 0; i < 16; i++) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[1000]));
    }
    assertThat((Object) channel.readInbound()).isNull();
    channel.finishAndReleaseAll();
  }

  @Test
  void maxRecordSizeIsValidated() {
    assertThatThrownBy(() -> new RecordIoDecoder(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxRecordSize: 0 (expected: > 0)");
    assertThatThrownBy(() -> new RecordIoDecoder(-3))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxRecordSize: -3 (expected: > 0)");
  }

  @Test
  void partialRecordAtEndOfInputIsNotEmitted() {
    EmbeddedChannel channel = new EmbeddedChannel(new RecordIoDecoder(1024));
    channel.writeInbound(ascii("20\n{\"type\""));
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  private static List<byte[]> decode(List<byte[]> pieces) {
    EmbeddedChannel channel = new EmbeddedChannel(new RecordIoDecoder(1024));
    try {
      for (byte[] piece : pieces) {
        channel.writeInbound(Unpooled.wrappedBuffer(piece));
      }
      return readRecords(channel);
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  static List<byte[]> readRecords(EmbeddedChannel channel) {
    List<byte[]> records = new ArrayList<>();
    for (ByteBuf record; (record = channel.readInbound()) != null; ) {
      records.add(ByteBufUtil.getBytes(record));
      record.release();
    }
    return records;
  }

  private static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }
}
