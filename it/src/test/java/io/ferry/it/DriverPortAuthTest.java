package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.FerryContext;
import io.ferry.it.jobs.RecordedTask;
import io.ferry.it.support.FreePort;
import io.ferry.it.support.JobSetup;
import io.ferry.it.support.Jobs;
import io.ferry.rpc.internal.HandshakeMac;
import io.ferry.rpc.proto.FetchTask;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.JarRequest;
import io.ferry.rpc.testing.RawFrameSocket;
import io.ferry.rpc.testing.StallingProxy;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The port of a running driver, attacked while a real executor uses it: the executor's own
 * handshake replayed (recorded by rpc's proxy in front of the driver port, never stalled here), wrong tokens, an unknown
 * executor, and work or jar requests before any handshake. Each is refused (no Welcome, no task,
 * no jar), and the real executor goes on running tasks.
 */
@Timeout(180)
class DriverPortAuthTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void replayedHandshakesAndWrongTokensAreRefused() throws Exception {
    JobSetup job = JobSetup.in(dir);
    int driverPort = FreePort.pick();
    try (StallingProxy proxy = new StallingProxy("127.0.0.1", driverPort);
        FerryContext ferry = FerryContext.create(Jobs.with(
            Jobs.settings("local-cluster[1,3,2048]", job.archiveUri(), false, job.appJar(), dir.resolve("work")),
            "ferry.driver.port", String.valueOf(driverPort),
            "ferry.driver.advertisedPort", String.valueOf(proxy.port())))) {
      assertThat(ferry.runAll(List.of(new RecordedTask(0, 10, job.ledger().dir()), new RecordedTask(1, 10, job.ledger().dir()))))
          .containsExactly(RecordedTask.expected(0), RecordedTask.expected(1));
      assertThat(proxy.connections()).as("the executor came through the proxy").isGreaterThanOrEqualTo(1);
      List<Frame> recorded = frames(proxy.sentByClient(0));
      assertThat(recorded.get(0).hasHello()).isTrue();
      assertThat(recorded.get(1).hasProof()).isTrue();
      Frame hello = recorded.get(0);
      Frame proof = recorded.get(1);
      String executorId = hello.getHello().getExecutorId();

      // 1. The executor's Hello and Proof replayed: the driver's fresh nonce makes the old proof worthless.
      try (RawFrameSocket s = new RawFrameSocket("127.0.0.1", driverPort, 10_000)) {
        s.write(hello);
        Frame challenge = s.read().orElseThrow();
        assertThat(challenge.hasChallenge()).isTrue();
        s.write(proof);
        assertRefused(s, "a replayed proof");
      }
      // 2. The same bytes replayed verbatim in one write.
      try (RawFrameSocket s = new RawFrameSocket("127.0.0.1", driverPort, 10_000)) {
        s.writeRaw(concat(hello, proof));
        assertRefused(s, "replayed handshake bytes");
      }
      // 3. The right executor ID with a wrong token.
      try (RawFrameSocket s = new RawFrameSocket("127.0.0.1", driverPort, 10_000)) {
        byte[] nonce = HandshakeMac.randomBytes(HandshakeMac.NONCE_BYTES);
        s.write(RawFrameSocket.hello(executorId, nonce));
        Frame challenge = s.read().orElseThrow();
        assertThat(challenge.hasChallenge()).isTrue();
        s.write(RawFrameSocket.proof(HandshakeMac.randomBytes(HandshakeMac.TOKEN_BYTES), executorId, nonce,
            challenge.getChallenge().getServerNonce().toByteArray()));
        assertRefused(s, "a wrong token");
      }
      // 4. An executor the driver never launched.
      try (RawFrameSocket s = new RawFrameSocket("127.0.0.1", driverPort, 10_000)) {
        byte[] nonce = HandshakeMac.randomBytes(HandshakeMac.NONCE_BYTES);
        s.write(RawFrameSocket.hello("ferry-impostor", nonce));
        Optional<Frame> first = s.read();
        if (first.isPresent() && first.get().hasChallenge()) {
          s.write(RawFrameSocket.proof(HandshakeMac.randomBytes(HandshakeMac.TOKEN_BYTES), "ferry-impostor", nonce,
              first.get().getChallenge().getServerNonce().toByteArray()));
          assertRefused(s, "an unknown executor");
        } else {
          assertThat(first.isEmpty() || first.get().hasRejected()).as("the first answer to an impostor: %s", first)
              .isTrue();
          assertRefused(s, "an unknown executor");
        }
      }
      // 5. Work and jar requests without a handshake.
      for (Frame work : List.of(
          Frame.newBuilder().setFetchTask(FetchTask.newBuilder().setMesosTaskId("ferry-task-0-0")).build(),
          Frame.newBuilder().setJarRequest(JarRequest.newBuilder().setName(job.appJar().getFileName().toString())).build())) {
        try (RawFrameSocket s = new RawFrameSocket("127.0.0.1", driverPort, 10_000)) {
          s.write(work);
          assertRefused(s, "a request before any handshake");
        }
      }

      // The real executor is still served.
      List<RecordedTask> more = new ArrayList<>();
      for (int i = 2; i < 6; i++) {
        more.add(new RecordedTask(i, 10, job.ledger().dir()));
      }
      assertThat(ferry.runAll(more)).containsExactly(RecordedTask.expected(2), RecordedTask.expected(3),
          RecordedTask.expected(4), RecordedTask.expected(5));
    }
  }

  /**
   * The driver closes the connection having sent nothing but a challenge (the answer to any Hello)
   * and a rejection: no heartbeat before the handshake, never a Welcome, a task or a jar.
   */
  private static void assertRefused(RawFrameSocket s, String what) throws Exception {
    List<Frame> got = new ArrayList<>();
    for (Optional<Frame> f; (f = s.read()).isPresent(); ) {
      got.add(f.get());
    }
    assertThat(got).as("frames the driver sent after %s", what)
        .allMatch(f -> f.hasRejected() || f.hasChallenge())
        .noneMatch(Frame::hasWelcome);
  }

  private static byte[] concat(Frame... frames) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Frame f : frames) {
      byte[] b = f.toByteArray();
      out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  private static List<Frame> frames(byte[] stream) throws Exception {
    List<Frame> frames = new ArrayList<>();
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(stream));
    try {
      while (true) {
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        frames.add(Frame.parseFrom(body));
      }
    } catch (EOFException end) {
      return frames;
    }
  }
}
