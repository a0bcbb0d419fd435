package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.FerryContext;
import io.ferry.it.jobs.RecordedTask;
import io.ferry.it.support.FreePort;
import io.ferry.it.support.JobSetup;
import io.ferry.it.support.Jobs;
import io.ferry.mesos.recordio.RecordIoDecoder;
import io.ferry.rpc.internal.HandshakeMac;
import io.ferry.rpc.testing.RawFrameSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed input, a few thousand pieces, seeded: random bytes, random bodies behind valid
 * lengths, truncated real frames, lengths far beyond the frame limit, empty frames. Sent to a
 * running driver's port (each on its own connection, then closed) and fed to mesos-api's RecordIO
 * decoder in random chunks. Nothing crashes, the heap stays bounded, and afterwards the driver
 * still serves a real executor that the flood preceded.
 */
@Timeout(180)
class MalformedInputTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  static final int PIECES = 3000;

  @Test
  void theDriverPortSurvivesAFloodOfGarbageAndServesARealExecutorAfterwards() throws Exception {
    JobSetup job = JobSetup.in(dir);
    int driverPort = FreePort.pick();
    try (FerryContext ferry = FerryContext.create(Jobs.with(
        Jobs.settings("local-cluster[1,3,2048]", job.archiveUri(), false, job.appJar(), dir.resolve("work")),
        "ferry.driver.port", String.valueOf(driverPort), "ferry.rpc.maxFrameSize", "2m"))) {
      long heapBefore = usedHeapAfterGc();
      Random random = new Random(20261124L);
      byte[] hello = RawFrameSocket.hello("ferry-garbage", HandshakeMac.randomBytes(HandshakeMac.NONCE_BYTES))
          .toByteArray();
      for (int i = 0; i < PIECES; i++) {
        byte[] piece = switch (i % 5) {
          case 0 -> bytes(random, 1 + random.nextInt(200));
          case 1 -> withLength(bytes(random, 1 + random.nextInt(500)));
          case 2 -> Arrays.copyOf(withLength(hello), 1 + random.nextInt(4 + hello.length - 1)); // truncated
          case 3 -> ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE - random.nextInt(1000)).putInt(0).array();
          default -> ByteBuffer.allocate(4).putInt(0).array();
        };
        send(driverPort, piece);
      }
      long heapAfter = usedHeapAfterGc();
      assertThat(heapAfter - heapBefore).as("heap growth after %d malformed connections", PIECES)
          .isLessThan(64L << 20);

      // A real executor, launched only now (fine mode launches on demand), connects and works.
      List<RecordedTask> tasks = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        tasks.add(new RecordedTask(i, 10, job.ledger().dir()));
      }
      assertThat(ferry.runAll(tasks)).containsExactly(RecordedTask.expected(0), RecordedTask.expected(1),
          RecordedTask.expected(2), RecordedTask.expected(3));
    }
  }

  @Test
  void theRecordIoDecoderRejectsOrWaitsButNeverCrashes() {
    Random random = new Random(1124L);
    byte[] valid = "20\n{\"type\":\"HEARTBEAT\"}".getBytes(StandardCharsets.US_ASCII);
    int rejected = 0;
    int decodedValid = 0;
    for (int i = 0; i < PIECES; i++) {
      byte[] input = switch (i % 6) {
        case 0 -> bytes(random, 1 + random.nextInt(300));
        case 1 -> Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1)); // truncated record
        case 2 -> (Long.toUnsignedString(random.nextLong()) + "\n").getBytes(StandardCharsets.US_ASCII); // huge length
        case 3 -> ("0\n" + "x").getBytes(StandardCharsets.US_ASCII); // empty record
        case 4 -> ("12a\n" + "x".repeat(12)).getBytes(StandardCharsets.US_ASCII); // not a number
        default -> valid;
      };
      EmbeddedChannel channel = new EmbeddedChannel(new RecordIoDecoder(64 * 1024));
      List<byte[]> records = new ArrayList<>();
      try {
        for (int at = 0; at < input.length; ) {
          int n = 1 + random.nextInt(input.length - at);
          channel.writeInbound(Unpooled.wrappedBuffer(input, at, n));
          at += n;
          drain(channel, records);
        }
      } catch (DecoderException e) {
        rejected++;
        assertThat(e).as("input %d", i).hasMessageContaining("RecordIO");
      } finally {
        drain(channel, records);
        channel.finishAndReleaseAll();
      }
      if (i % 6 == 5) {
        assertThat(records).hasSize(1);
        assertThat(new String(records.get(0), StandardCharsets.US_ASCII)).isEqualTo("{\"type\":\"HEARTBEAT\"}");
        decodedValid++;
      } else if (i % 6 == 1) {
        assertThat(records).as("a truncated record yields nothing").isEmpty();
      } else if (i % 6 >= 2) {
        assertThat(records).isEmpty();
      }
    }
    assertThat(decodedValid).isEqualTo(PIECES / 6);
    assertThat(rejected).as("corrupt inputs rejected").isGreaterThanOrEqualTo(3 * PIECES / 6);
  }

  private static void drain(EmbeddedChannel channel, List<byte[]> records) {
    for (Object o; (o = channel.readInbound()) != null; ) {
      ByteBuf record = (ByteBuf) o;
      records.add(ByteBufUtil.getBytes(record));
      record.release();
    }
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] withLength(byte[] body) {
    return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
  }

  private static void send(int port, byte[] bytes) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoLinger(true, 0);
      OutputStream out = s.getOutputStream();
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException closedByTheDriver) {
        // the driver may close first; that is fine
      }
    }
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
