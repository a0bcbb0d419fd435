package io.ferry.executor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ShutdownPlanTest {

  @Test
  void leavesAMarginTwiceWithinTheGracePeriod() {
    assertThat(ShutdownPlan.forGracePeriod(Duration.ofSeconds(5)))
        .isEqualTo(new ShutdownPlan(Duration.ofSeconds(3), Duration.ofSeconds(4)));
    assertThat(ShutdownPlan.forGracePeriod(Duration.ofMinutes(1)))
        .isEqualTo(new ShutdownPlan(Duration.ofSeconds(56), Duration.ofSeconds(58)));
    assertThat(ShutdownPlan.forGracePeriod(Duration.ofMillis(300)))
        .isEqualTo(new ShutdownPlan(Duration.ofMillis(100), Duration.ofMillis(200)));
    assertThat(ShutdownPlan.forGracePeriod(Duration.ofMillis(50)))
        .isEqualTo(new ShutdownPlan(Duration.ZERO, Duration.ZERO));
  }

  @Test
  void theKillsPolicyOverridesTheTasksWhichOverridesTheDefault() {
    TaskInfo plain = TaskInfo.newBuilder().setName("t").setTaskId(TaskID.newBuilder().setValue("t"))
        .setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("a")).build();
    TaskInfo withPolicy = plain.toBuilder().setKillPolicy(policy(7_000_000_000L)).build();
    Event.Kill kill = Event.Kill.newBuilder().setTaskId(plain.getTaskId()).build();
    Event.Kill killWithPolicy = kill.toBuilder().setKillPolicy(policy(1_000_000L)).build();
    assertThat(TaskKiller.killGrace(kill, plain)).isEqualTo(ShutdownPlan.DEFAULT_KILL_GRACE);
    assertThat(TaskKiller.killGrace(kill, withPolicy)).isEqualTo(Duration.ofSeconds(7));
    assertThat(TaskKiller.killGrace(killWithPolicy, withPolicy)).isEqualTo(Duration.ofMillis(1));
    assertThat(TaskKiller.killGrace(null, withPolicy)).isEqualTo(Duration.ofSeconds(7));
  }

  static KillPolicy policy(long nanos) {
    return KillPolicy.newBuilder().setGracePeriod(DurationInfo.newBuilder().setNanoseconds(nanos)).build();
  }
}
