package io.ferry.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ferry.executor.testing.ChildProcess;
import io.ferry.executor.testing.ScriptedAgent;
import io.ferry.executor.testing.ScriptedExecutorMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real executor, as a child process, against an agent scripted at the raw HTTP level: the
 * digest's executor edge cases (section 6: 1, 2, 4, 6, 7, 11, 12, 17, 21) and the kill, shutdown
 * and authentication paths. Every UPDATE is checked as the agent would (valid uuid, source,
 * state, no agent id, no reused uuid, no second terminal update): {@code agent.violations}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScriptedAgentTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path work;
  ScriptedAgent agent;
  ChildProcess executor;

  @BeforeEach
  void startAgent() throws Exception {
    agent = ScriptedAgent.start();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (executor != null) {
        executor.close();
      }
    } finally {
      agent.close();
    }
  }

  ChildProcess start(Map<String, String> env) throws Exception {
    executor = ChildProcess.java(ScriptedExecutorMain.class, env, work);
    return executor;
  }

  @Test
  void runsTasksAndSendsValidUpdatesInOrder() throws Exception {
    start(agent.environment("e1", false));
    Call subscribe = agent.nextSubscribe(WAIT);
    assertThat(subscribe.getSubscribe().getUnacknowledgedUpdatesCount()).isZero();
    agent.launch(ScriptedAgent.task("t1", "finish"));
    agent.launch(ScriptedAgent.task("t2", "fail"));
    agent.nextUpdate(WAIT, "t1", TaskState.TASK_FINISHED);
    TaskStatus failed = agent.nextUpdate(WAIT, "t2", TaskState.TASK_FAILED);
    assertThat(failed.getMessage()).isEqualTo("boom");
    assertThat(agent.updates("t1")).extracting(TaskStatus::getState)
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(agent.updates("t2")).extracting(TaskStatus::getState)
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FAILED);
    assertThat(agent.violations).isEmpty();

    agent.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
    assertThat(executor.awaitExit(WAIT)).isZero();
    assertThat(executor.output()).contains("[executor=e1 task=t1] TASK_FINISHED");
  }

  @Test
  void case21_aStreamSplitAtEveryByteIsReadAsWell() throws Exception {
    agent.byteByByte = true;
    start(agent.environment("e21", false));
    agent.nextSubscribe(WAIT);
    agent.launch(ScriptedAgent.task("t21", "finish"));
    agent.nextUpdate(WAIT, "t21", TaskState.TASK_FINISHED);
    assertThat(agent.violations).isEmpty();
  }

  @Test
  void case01_unacknowledgedUpdatesAreResentOnResubscribeAndAcknowledgedOnesNever() throws Exception {
    agent.autoAck = false;
    start(agent.environment("e1", true));
    agent.nextSubscribe(WAIT);
    agent.launch(ScriptedAgent.task("t1", "finish"));
    TaskStatus running = agent.nextUpdate(WAIT, "t1", TaskState.TASK_RUNNING);
    TaskStatus finished = agent.nextUpdate(WAIT, "t1", TaskState.TASK_FINISHED);
    agent.ack(running);

    agent.subscribeAnswers.add(503); // the restarted agent's containerizer is still recovering
    agent.subscribeAnswers.add(404);
    agent.closeStream(); // the agent restarts before acknowledging FINISHED
    agent.nextSubscribe(WAIT); // 503
    agent.nextSubscribe(WAIT); // 404
    Call again = agent.nextSubscribe(WAIT); // 200
    assertThat(again.getSubscribe().getUnacknowledgedUpdatesList()).extracting(u -> u.getStatus().getUuid())
        .containsExactly(finished.getUuid());
    assertThat(again.getSubscribe().getUnacknowledgedTasksList())
        .as("RUNNING was acknowledged, so the TaskInfo is no longer needed").isEmpty();
    agent.ack(finished);

    agent.closeStream();
    Call third = agent.nextSubscribe(WAIT);
    assertThat(third.getSubscribe().getUnacknowledgedUpdatesCount()).isZero();
    assertThat(third.getSubscribe().getUnacknowledgedTasksCount()).isZero();
    agent.launch(ScriptedAgent.task("t2", "finish")); // a marker: everything before it was handled
    agent.nextUpdate(WAIT, "t2", TaskState.TASK_FINISHED);
    assertThat(agent.updates("t1")).as("each update sent once by UPDATE; the replay went in the SUBSCRIBE")
        .extracting(TaskStatus::getState).containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(agent.violations).isEmpty();
    assertThat(executor.alive()).isTrue();
  }

  @Test
  void case04_aDeliveredTaskWithoutAcknowledgedUpdatesIsInEverySubscribe() throws Exception {
    agent.autoAck = false;
    start(agent.environment("e4", true));
    agent.nextSubscribe(WAIT);
    agent.launch(ScriptedAgent.task("t4", "silent"));
    agent.launch(ScriptedAgent.task("t5", "finish"));
    agent.nextUpdate(WAIT, "t5", TaskState.TASK_FINISHED);
    agent.closeStream();
    Call again = agent.nextSubscribe(WAIT);
    assertThat(again.getSubscribe().getUnacknowledgedTasksList()).extracting(t -> t.getTaskId().getValue())
        .containsExactly("t4", "t5");
    assertThat(again.getSubscribe().getUnacknowledgedUpdatesList()).extracting(u -> u.getStatus().getState())
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
  }

  @Test
  void case02_withoutCheckpointingALostAgentEndsTheExecutor() throws Exception {
    start(agent.environment("e2", false));
    agent.nextSubscribe(WAIT);
    agent.launch(ScriptedAgent.task("t2", "block"));
    agent.nextUpdate(WAIT, "t2", TaskState.TASK_RUNNING);
    agent.closeStream();
    assertThat(executor.awaitExit(WAIT)).isEqualTo(1);
    assertThat(executor.output()).contains("MESOS_CHECKPOINT=0");
    assertThat(agent.seen).filteredOn(c -> c.getType() == Call.Type.SUBSCRIBE).hasSize(1);
  }

  @Test
  void aRestartedAgentThatForgotTheExecutorEndsIt() throws Exception {
    start(agent.environment("e3", true));
    agent.nextSubscribe(WAIT);
    agent.alwaysAnswer = 400;
    agent.closeStream();
    assertThat(executor.awaitExit(WAIT)).isEqualTo(1);
    assertThat(executor.output()).contains("refused SUBSCRIBE").contains("400");
  }

  @Test
  void theRecoveryTimeoutEndsAnExecutorWhoseAgentStaysAway() throws Exception {
    Map<String, String> env = agent.environment("e3", true);
    env.put("MESOS_RECOVERY_TIMEOUT", "1secs");
    start(env);
    agent.nextSubscribe(WAIT);
    agent.alwaysAnswer = 503;
    agent.closeStream();
    assertThat(executor.awaitExit(WAIT)).isEqualTo(1);
    assertThat(executor.output()).contains("within 1secs");
  }

  @Test
  void case06_case07_killsOfUnknownAndEndedTasksSendNothing() throws Exception {
    agent.autoAck = false;
    start(agent.environment("e7", true));
    agent.nextSubscribe(WAIT);
    agent.kill("never-launched");
    agent.launch(ScriptedAgent.task("t7", "finish"));
    agent.nextUpdate(WAIT, "t7", TaskState.TASK_FINISHED); // 202, not acknowledged
    agent.kill("t7");
    agent.launch(ScriptedAgent.task("t8", "finish"));
    agent.nextUpdate(WAIT, "t8", TaskState.TASK_FINISHED);
    assertThat(agent.updates("never-launched")).isEmpty();
    assertThat(agent.updates("t7")).extracting(TaskStatus::getState)
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(agent.violations).isEmpty();
  }

  @Test
  void killOfARunningTaskSendsKillingWhenTheFrameworkCanTakeIt() throws Exception {
    agent.framework = agent.framework.toBuilder().addCapabilities(FrameworkInfo.Capability.newBuilder()
        .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE)).build();
    start(agent.environment("e8", false));
    agent.nextSubscribe(WAIT);
    agent.launch(ScriptedAgent.task("t8", "block"));
    agent.nextUpdate(WAIT, "t8", TaskState.TASK_RUNNING);
    agent.kill("t8");
    agent.nextUpdate(WAIT, "t8", TaskState.TASK_KILLED);
    assertThat(agent.updates("t8")).extracting(TaskStatus::getState)
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_KILLING, TaskState.TASK_KILLED);
    assertThat(agent.violations).isEmpty();
  }

  @Test
  void aTaskThatIgnoresInterruptionIsGivenUpOnAfterTheKillPolicysGracePeriod() throws Exception {
    start(agent.environment("e9", false));
    agent.nextSubscribe(WAIT);
    agent.launch(ScriptedAgent.task("t9", "stubborn"));
    agent.nextUpdate(WAIT, "t9", TaskState.TASK_RUNNING);
    agent.send(Event.newBuilder().setType(Event.Type.KILL).setKill(Event.Kill.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue("t9")).setKillPolicy(KillPolicy.newBuilder()
            .setGracePeriod(DurationInfo.newBuilder().setNanoseconds(300_000_000L)))).build());
    TaskStatus killed = agent.nextUpdate(WAIT, "t9", TaskState.TASK_KILLED);
    assertThat(killed.getMessage()).contains("ignored interruption for 300ms");
    assertThat(agent.updates("t9")).extracting(TaskStatus::getState)
        .as("no TASK_KILLING: the framework lacks the capability")
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_KILLED);
    agent.launch(ScriptedAgent.task("t10", "finish")); // the executor goes on
    agent.nextUpdate(WAIT, "t10", TaskState.TASK_FINISHED);
    assertThat(agent.violations).isEmpty();
  }

  @Test
  void case17_shutdownKillsEveryTaskEvenAStubbornOneAndExitsOnItsOwn() throws Exception {
    Map<String, String> env = agent.environment("e17", false);
    env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "2secs");
    start(env);
    agent.nextSubscribe(WAIT);
    agent.launch(ScriptedAgent.task("t1", "block"));
    agent.launch(ScriptedAgent.task("t2", "stubborn"));
    agent.nextUpdate(WAIT, "t1", TaskState.TASK_RUNNING);
    agent.nextUpdate(WAIT, "t2", TaskState.TASK_RUNNING);
    agent.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
    agent.nextUpdate(WAIT, "t1", TaskState.TASK_KILLED);
    agent.nextUpdate(WAIT, "t2", TaskState.TASK_KILLED);
    assertThat(executor.awaitExit(WAIT)).isZero();
    assertThat(executor.output()).contains("every task has ended and the agent acknowledged every update");
    assertThat(agent.violations).isEmpty();
  }

  @Test
  void afterShutdownTheExecutorWaitsForTheAcknowledgementOfItsTerminalUpdates() throws Exception {
    agent.autoAck = false;
    Map<String, String> env = agent.environment("e18", false);
    env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "60secs");
    start(env);
    agent.nextSubscribe(WAIT);
    agent.launch(ScriptedAgent.task("t1", "block"));
    agent.ack(agent.nextUpdate(WAIT, "t1", TaskState.TASK_RUNNING));
    agent.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
    TaskStatus killed = agent.nextUpdate(WAIT, "t1", TaskState.TASK_KILLED);
    agent.send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
    assertThat(executor.alive()).as("waiting for the ACK of TASK_KILLED").isTrue();
    agent.ack(killed);
    assertThat(executor.awaitExit(WAIT)).isZero();
  }

  @Test
  void theBearerTokenIsSentAndABadOneIsRejectedWithoutBeingPrinted() throws Exception {
    agent.requiredToken = "the-right-token";
    Map<String, String> env = agent.environment("e5", false);
    env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "the-right-token");
    start(env);
    agent.nextSubscribe(WAIT);
    agent.launch(ScriptedAgent.task("t1", "finish"));
    agent.nextUpdate(WAIT, "t1", TaskState.TASK_FINISHED);
    assertThat(executor.output()).doesNotContain("the-right-token");
    executor.close();

    env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "a-wrong-token");
    start(env);
    assertThat(executor.awaitExit(WAIT)).isEqualTo(1);
    assertThat(executor.output()).contains("401").contains("MESOS_EXECUTOR_AUTHENTICATION_TOKEN")
        .doesNotContain("a-wrong-token");
  }

  @Test
  void outsideMesosItSaysSoInOneLineAndExitsNonZero() throws Exception {
    start(Map.of("PATH", "/usr/bin:/bin"));
    assertThat(executor.awaitExit(WAIT)).isEqualTo(2);
    assertThat(executor.output().strip()).hasLineCount(1).contains("must be started by a Mesos agent");
  }

  static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
