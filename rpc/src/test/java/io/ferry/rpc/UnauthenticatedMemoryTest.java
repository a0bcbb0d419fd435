package io.ferry.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.rpc.testing.DriverPortChild;
import io.ferry.rpc.testing.RecordingListener;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What strangers on the driver port cost the driver: a hundred connections that each announce a
 * frame of almost 128 MiB (under {@code ferry.rpc.maxFrameSize}) before any handshake and then
 * push data as fast as the driver reads it. The driver runs in a process of its own, configured as
 * the driver configures it, and its resident memory is read from {@code /proc/<pid>/status}.
 */
@Timeout(180)
class UnauthenticatedMemoryTest {
  static final int CONNECTIONS = 100;
  /** What each connection pushes at most: enough that 100 of them dwarf the 64 MiB budget. */
  static final int BYTES_PER_CONNECTION = 16 << 20;
  static final int ANNOUNCED_FRAME = (128 << 20) - 1024;
  static final long RSS_BUDGET = 64L << 20;

  @TempDir Path dir;

  @Test
  void aHundredConnectionsSendingHugeFramesBeforeTheHandshakeMoveTheDriversRssByLessThan64MiB() throws Exception {
    // A fixed, pre-touched heap: heap growth is not what this measures (it is bounded by -Xmx anyway);
    // the frames sit in direct memory, which the driver does not cap by default. 512m here keeps an
    // unfixed driver from taking the machine's memory: it reaches the cap and fails.
    List<String> jvm = List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC",
        "-XX:MaxDirectMemorySize=512m");
    ExecutorService attackers = Executors.newFixedThreadPool(CONNECTIONS);
    List<Socket> sockets = new ArrayList<>();
    try (DriverPortChild driver = DriverPortChild.start(dir.resolve("driver.log"), jvm,
        List.of("executors=warm-up,after-attack"))) {
      // One real handshake first, so the classes and buffers every connection needs are already there.
      handshake(driver, "warm-up");
      long before = driver.rssBytes();

      CountDownLatch pushed = new CountDownLatch(CONNECTIONS);
      List<Future<Long>> sent = new ArrayList<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        Socket socket = new Socket();
        synchronized (sockets) {
          sockets.add(socket);
        }
        sent.add(attackers.submit(() -> {
          try {
            return push(socket, driver.port());
          } finally {
            pushed.countDown();
          }
        }));
      }
      // Every attacker has pushed all it could and still holds its connection (if the driver let it).
      assertThat(pushed.await(150, TimeUnit.SECONDS)).as("attackers done").isTrue();
      long after = driver.rssBytes();
      long total = 0;
      for (Future<Long> f : sent) {
        total += f.get();
      }
      System.out.printf("driver RSS before %d KiB, with %d hostile connections open %d KiB; they pushed %d KiB%n",
          before >> 10, CONNECTIONS, after >> 10, total >> 10);
      assertThat(driver.isAlive()).isTrue();
      assertThat(after - before)
          .as("RSS growth (before %d MiB, after %d MiB) with %d hostile connections that pushed %d MiB in all",
              before >> 20, after >> 20, CONNECTIONS, total >> 20)
          .isLessThan(RSS_BUDGET);

      for (Socket s : sockets) {
        s.close();
      }
      // A legitimate executor still gets in.
      handshake(driver, "after-attack");
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
      attackers.shutdownNow();
    }
  }

  /** Announces a huge frame and writes its body until the driver closes or the budget is spent. */
  private static long push(Socket socket, int port) throws IOException {
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    byte[] chunk = new byte[64 << 10];
    long sent = 0;
    try {
      OutputStream out = socket.getOutputStream();
      out.write(ByteBuffer.allocate(4).putInt(ANNOUNCED_FRAME).array());
      while (sent < BYTES_PER_CONNECTION) {
        out.write(chunk);
        sent += chunk.length;
      }
      out.flush();
    } catch (IOException closedByTheDriver) {
      // reset or broken pipe: the driver hung up, which is what it should do
    }
    return sent;
  }

  private static void handshake(DriverPortChild driver, String executorId) throws Exception {
    DriverConnection connection = RpcClient.connect(
        ClientConfig.fromLaunchRecord(driver.record(executorId), executorId, "agent", "host"), new RecordingListener())
        .get(30, TimeUnit.SECONDS);
    connection.close("done");
    connection.closeFuture().get(30, TimeUnit.SECONDS);
  }
}
