package io.ferry.driver.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.driver.MasterUrl;
import io.ferry.mesos.MesosUuids;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TEARDOWN right after the last TASK_FINISHED: the update being handled when the driver closes gets
 * its ACKNOWLEDGE out first. Before, the ACK went out behind the TEARDOWN and failed on the
 * closed client ("WARN ... ACKNOWLEDGE of TASK_FINISHED failed ... the client was closed").
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TeardownAckTest {

  static final FrameworkID ID = FrameworkID.newBuilder().setValue("teardown-0000").build();

  /** A scripted master: SUBSCRIBED then one TASK_FINISHED; records the calls in order. */
  static final class ScriptedMaster implements AutoCloseable {
    final List<Call.Type> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch teardown = new CountDownLatch(1);
    private final List<HttpExchange> streams = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    ScriptedMaster() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/api/v1/scheduler", this::handle);
      server.setExecutor(pool);
      server.start();
    }

    String address() {
      return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
      Call call = Call.parseFrom(exchange.getRequestBody().readAllBytes());
      calls.add(call.getType());
      if (call.getType() != Call.Type.SUBSCRIBE) {
        exchange.sendResponseHeaders(202, -1);
        exchange.close();
        if (call.getType() == Call.Type.TEARDOWN) {
          teardown.countDown();
          streams.forEach(HttpExchange::close);
        }
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.getResponseHeaders().set("Mesos-Stream-Id", "stream-1");
      exchange.sendResponseHeaders(200, 0);
      OutputStream body = exchange.getResponseBody();
      write(body, Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
          .setFrameworkId(ID).setHeartbeatIntervalSeconds(15)).build());
      write(body, Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder()
          .setStatus(TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t1"))
              .setState(TaskState.TASK_FINISHED).setSource(TaskStatus.Source.SOURCE_EXECUTOR)
              .setAgentId(AgentID.newBuilder().setValue("S0")).setUuid(MesosUuids.random()))).build());
      streams.add(exchange);
    }

    private static void write(OutputStream body, Event event) throws IOException {
      byte[] bytes = event.toByteArray();
      body.write((bytes.length + "\n").getBytes(StandardCharsets.US_ASCII));
      body.write(bytes);
      body.flush();
    }

    @Override
    public void close() {
      streams.forEach(HttpExchange::close);
      server.stop(0);
      pool.shutdownNow();
    }
  }

  @Test
  void theUpdateBeingHandledAtCloseIsAcknowledgedBeforeTheTeardown() throws Exception {
    CountDownLatch inUpdate = new CountDownLatch(1);
    try (ScriptedMaster master = new ScriptedMaster()) {
      // The listener is still handling the last TASK_FINISHED when the driver closes: it returns
      // once the master has the TEARDOWN, or after 3 s if the close waits for it.
      RecordingListener listener = new RecordingListener() {
        @Override
        public void update(TaskStatus status) {
          super.update(status);
          inUpdate.countDown();
          try {
            master.teardown.await(3, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
      try (SchedulerLink link = SchedulerLink.create(SchedulerLinkConfig.builder(
          MasterUrl.parse("mesos://" + master.address())).build())) {
        link.start(listener);
        assertThat(link.subscribed().get(20, TimeUnit.SECONDS)).isEqualTo(ID);
        assertThat(inUpdate.await(20, TimeUnit.SECONDS)).isTrue();
        link.close(true);
      }

      List<Call.Type> sent = master.calls.stream()
          .filter(t -> t == Call.Type.ACKNOWLEDGE || t == Call.Type.TEARDOWN).toList();
      assertThat(sent).containsExactly(Call.Type.ACKNOWLEDGE, Call.Type.TEARDOWN);
    }
  }
}
