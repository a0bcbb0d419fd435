package io.ferry.executor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ferry.mesos.http.MesosClientException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sender on a real core thread, with a scripted "agent" that answers each UPDATE when the test says. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class UpdateSenderTest {
  record Sent(Call.Update update, CompletableFuture<Object> answer) {}

  final ScheduledExecutorService core = Executors.newSingleThreadScheduledExecutor();
  final StatusUpdateLedger ledger = new StatusUpdateLedger();
  final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
  final UpdateSender sender = new UpdateSender(core, ledger, u -> {
    CompletableFuture<Object> answer = new CompletableFuture<>();
    sent.add(new Sent(u, answer));
    return answer;
  }, "[executor=test]");

  @AfterEach
  void stop() {
    core.shutdownNow();
  }

  void onCore(Runnable r) throws Exception {
    core.submit(r).get(10, TimeUnit.SECONDS);
  }

  TaskStatus record(String task, TaskState state) throws Exception {
    TaskStatus s = StatusUpdateLedgerTest.status(task, state);
    onCore(() -> sender.enqueue(ledger.record(s)));
    return s;
  }

  Sent next() throws InterruptedException {
    Sent s = sent.poll(10, TimeUnit.SECONDS);
    assertThat(s).as("an UPDATE was sent").isNotNull();
    return s;
  }

  @Test
  void sendsOneAtATimeInOrderOnlyWhileSubscribed() throws Exception {
    TaskStatus running = record("t1", TaskState.TASK_RUNNING);
    TaskStatus finished = record("t1", TaskState.TASK_FINISHED);
    assertThat(sent).as("nothing before SUBSCRIBED").isEmpty();
    onCore(() -> sender.resume(List.of()));
    Sent first = next();
    assertThat(first.update().getStatus().getUuid()).isEqualTo(running.getUuid());
    assertThat(sent.poll(100, TimeUnit.MILLISECONDS)).as("the second waits for the first's answer").isNull();
    first.answer().complete("202");
    assertThat(next().update().getStatus().getUuid()).isEqualTo(finished.getUuid());
  }

  @Test
  void whatASubscribeCarriedOrTheAgentAcknowledgedIsNotSentAgain() throws Exception {
    TaskStatus a = record("t1", TaskState.TASK_RUNNING);
    TaskStatus b = record("t2", TaskState.TASK_RUNNING);
    TaskStatus c = record("t3", TaskState.TASK_RUNNING);
    onCore(() -> ledger.acknowledge(b.getTaskId(), b.getUuid()));
    onCore(() -> sender.resume(List.of(a.getUuid())));
    assertThat(next().update().getStatus().getUuid()).isEqualTo(c.getUuid());
    assertThat(sent.poll(100, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void aFailedCallIsRetriedAndARefusedOneIsDropped() throws Exception {
    TaskStatus a = record("t1", TaskState.TASK_RUNNING);
    TaskStatus b = record("t2", TaskState.TASK_RUNNING);
    onCore(() -> sender.resume(List.of()));
    next().answer().completeExceptionally(new java.io.IOException("connection reset"));
    Sent again = next();
    assertThat(again.update().getStatus().getUuid()).as("retried").isEqualTo(a.getUuid());
    again.answer().completeExceptionally(new MesosClientException("UPDATE failed: 400", "UPDATE",
        URI.create("http://agent"), 400, "Not a valid UUID", null));
    assertThat(next().update().getStatus().getUuid()).isEqualTo(b.getUuid());
    ByteString dropped = a.getUuid();
    CompletableFuture<Boolean> inLedger = new CompletableFuture<>();
    onCore(() -> inLedger.complete(ledger.isUnacknowledged(dropped)));
    assertThat(inLedger.get()).as("a 400 update would fail in every SUBSCRIBE too").isFalse();
  }
}
