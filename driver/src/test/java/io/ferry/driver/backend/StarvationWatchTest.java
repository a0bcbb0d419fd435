package io.ferry.driver.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.driver.mesos.OfferConstraints;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The warning of a driver that no offer fits: when it comes, and what it says. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StarvationWatchTest {

  private static final ExecutorNeeds FINE_DEFAULTS =
      new ExecutorNeeds(false, 1.0, 1, 1024, 384, List.of(), OfferConstraints.none());

  static Offer offer(String host, double cpus, double mem, Attribute... attributes) {
    return Offer.newBuilder()
        .setId(OfferID.newBuilder().setValue("o-" + host + "-" + cpus))
        .setFrameworkId(FrameworkID.newBuilder().setValue("f"))
        .setAgentId(AgentID.newBuilder().setValue("agent-" + host))
        .setHostname(host)
        .addResources(scalar("cpus", cpus))
        .addResources(scalar("mem", mem))
        .addAllAttributes(List.of(attributes))
        .build();
  }

  private static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  private static Attribute text(String name, String value) {
    return Attribute.newBuilder().setName(name).setType(Value.Type.TEXT)
        .setText(Value.Text.newBuilder().setValue(value)).build();
  }

  @Test
  void theLineNamesTheNeedTheLargestOfferPerResourceAndTheSettings() {
    StarvationWatch watch = new StarvationWatch(FINE_DEFAULTS, StarvationWatch.Timing.DEFAULT, () -> true, () -> 4);
    watch.offered(offer("a1", 1, 2048), StarvationWatch.Verdict.TOO_SMALL);
    watch.offered(offer("a2", 4, 512), StarvationWatch.Verdict.TOO_SMALL);
    watch.offered(offer("a3", 8, 8192, text("zone", "b\nFAKE")), StarvationWatch.Verdict.CONSTRAINTS);
    String line = watch.message(4, Duration.ofSeconds(15));
    assertThat(line)
        .startsWith("no Mesos offer fits this application: 4 task(s) have waited 15 s and none runs")
        .contains("one executor with one task needs cpus 2 (ferry.executor.cores 1 + ferry.task.cpus 1)"
            + " and mem 1408 MB (ferry.executor.memory 1024m + ferry.executor.memoryOverhead 384m)"
            + " for role * (ferry.mesos.role), constraints none")
        .contains("the largest of 2 offer(s) from 2 agent(s) had cpus 4 and mem 2048 MB")
        .contains("1 offer(s) from 1 agent(s) refused by ferry.mesos.constraints (e.g. a3 [zone:b\\nFAKE])")
        .contains("no single offer had both the cpus and the memory")
        .contains("relax ferry.mesos.constraints")
        .doesNotContain("\n");
  }

  @Test
  void aShortResourceNamesItsSettingsOnly() {
    StarvationWatch fine = new StarvationWatch(FINE_DEFAULTS, StarvationWatch.Timing.DEFAULT, () -> true, () -> 1);
    fine.offered(offer("a1", 1, 1024), StarvationWatch.Verdict.TOO_SMALL);
    assertThat(fine.message(1, Duration.ofSeconds(15)))
        .contains("had cpus 1 and mem 1024 MB")
        .contains("lower ferry.executor.memory or ferry.executor.memoryOverhead")
        .contains("lower ferry.executor.cores or ferry.task.cpus, or use ferry.mesos.coarse=true");
    ExecutorNeeds coarse = new ExecutorNeeds(true, 0, 1, 1024, 384, List.of("analytics"), OfferConstraints.none());
    StarvationWatch slots = new StarvationWatch(coarse, StarvationWatch.Timing.DEFAULT, () -> true, () -> 1);
    slots.offered(offer("a1", 2, 1024), StarvationWatch.Verdict.TOO_SMALL);
    assertThat(slots.message(1, Duration.ofSeconds(15)))
        .contains("one executor (a coarse slot) needs cpus 1 whole (ferry.task.cpus 1) and mem 1408 MB")
        .contains("for role analytics")
        .contains("lower ferry.executor.memory").doesNotContain("ferry.task.cpus,").doesNotContain("lower ferry.task.cpus");
  }

  /** Another framework holds every cpu (a static coarse application, say): smaller settings would not help. */
  @Test
  void offersOfMemoryAloneSayTheCpusAreInUse() {
    ExecutorNeeds coarse = new ExecutorNeeds(true, 2, 1, 192, 64, List.of(), OfferConstraints.none());
    StarvationWatch watch = new StarvationWatch(coarse, StarvationWatch.Timing.DEFAULT, () -> true, () -> 40);
    watch.offered(offer("a1", 0, 512), StarvationWatch.Verdict.TOO_SMALL);
    watch.offered(offer("a2", 0, 512), StarvationWatch.Verdict.TOO_SMALL);
    assertThat(watch.message(40, Duration.ofSeconds(15)))
        .contains("had cpus 0 and mem 512 MB")
        .contains("to run: wait: every offer came without cpus, so the agents' cpus are in use")
        .contains("the master's /state shows who holds them; or add agents")
        .doesNotContain("lower ferry.executor.cores").doesNotContain("larger agents");
  }

  @Test
  void noOfferAtAllIsSaidToo() {
    StarvationWatch watch = new StarvationWatch(FINE_DEFAULTS, StarvationWatch.Timing.DEFAULT, () -> true, () -> 2);
    assertThat(watch.message(2, Duration.ofSeconds(15))).contains("no offer came meanwhile")
        .contains("ferry.mesos.role");
  }

  @Test
  void warnsAfterTheDelayThenPeriodicallyAndNotOnceWorkRuns() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    AtomicBoolean starved = new AtomicBoolean(true);
    StarvationWatch.Timing timing = new StarvationWatch.Timing(Duration.ofMillis(1000), Duration.ofMillis(1000));
    try (StarvationWatch watch = new StarvationWatch(FINE_DEFAULTS, timing, starved::get, () -> 3, warnings::add)) {
      long started = System.nanoTime();
      watch.start();
      watch.offered(offer("a1", 1, 512), StarvationWatch.Verdict.TOO_SMALL);
      awaitSize(warnings, 1);
      assertThat(System.nanoTime() - started).as("not before the configured delay")
          .isGreaterThanOrEqualTo(timing.firstWarning().toNanos());
      assertThat(warnings.get(0)).contains("3 task(s)").contains("had cpus 1 and mem 512 MB");
      awaitSize(warnings, 2); // still starved: it repeats

      starved.set(false); // a task runs: the starvation is over, and what it saw is forgotten
      watch.launched();
      int before = warnings.size();
      long quiet = System.nanoTime() + timing.firstWarning().multipliedBy(2).toNanos();
      while (System.nanoTime() < quiet) { // nothing may come while work runs
        assertThat(warnings).hasSize(before);
        Thread.sleep(50);
      }
      starved.set(true); // starving again: a new starvation, reported after the delay again
      awaitSize(warnings, before + 1);
      assertThat(warnings.get(before)).contains("no offer came meanwhile");
    }
  }

  private static void awaitSize(List<String> list, int size) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (list.size() < size) {
      assertThat(System.nanoTime()).as("a warning within 10 s").isLessThan(deadline);
      Thread.sleep(20); // polling a condition with a deadline
    }
  }
}
