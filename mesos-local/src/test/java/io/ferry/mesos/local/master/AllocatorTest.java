package io.ferry.mesos.local.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.v1.Protos.Filters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AllocatorTest {

  record Offer(String framework, String role, String agent, Resources resources) {}

  final AtomicLong clock = new AtomicLong();
  final List<Offer> offers = new ArrayList<>();
  Allocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new Allocator(clock::get, (f, r, a, res) -> offers.add(new Offer(f, r, a, res)));
  }

  @Test
  void subscribingAndAgentsJoiningOfferAtOnce() {
    allocator.addAgent("S1", Resources.parse("cpus:2;mem:1024"));
    assertThat(offers).isEmpty();
    allocator.addFramework("F1", List.of("*"), Set.of());
    assertThat(offers).containsExactly(new Offer("F1", "*", "S1", Resources.parse("cpus:2;mem:1024")));
    allocator.addAgent("S2", Resources.parse("cpus:1;mem:512"));
    assertThat(offers).hasSize(2).last().isEqualTo(new Offer("F1", "*", "S2", Resources.parse("cpus:1;mem:512")));
  }

  @Test
  void anAgentWithGpusIsOfferedOnlyToFrameworksWithTheGpuCapability() {
    allocator.addAgent("S1", Resources.parse("cpus:2;mem:1024;gpus:2"));
    allocator.addAgent("S2", Resources.parse("cpus:2;mem:1024"));
    allocator.addFramework("F1", List.of("*"), Set.of(), false);
    assertThat(offers).as("S1 has GPUs: kept from a framework that cannot use them")
        .containsExactly(new Offer("F1", "*", "S2", Resources.parse("cpus:2;mem:1024")));
    allocator.addFramework("F2", List.of("*"), Set.of(), true);
    assertThat(offers).hasSize(2).last().isEqualTo(new Offer("F2", "*", "S1", Resources.parse("cpus:2;mem:1024;gpus:2")));
    // Even with the GPU framework suppressed and F1 the only one asking, S1 stays F2's to use.
    allocator.recover("F2", "*", "S1", Resources.parse("cpus:2;mem:1024;gpus:2"), Duration.ZERO);
    allocator.suppress("F2", Set.of());
    allocator.allocate();
    assertThat(offers).hasSize(2);
  }

  @Test
  void recoveredResourcesWaitForTheNextBatch() {
    allocator.addAgent("S1", Resources.parse("cpus:2;mem:1024"));
    allocator.addFramework("F1", List.of("*"), Set.of());
    offers.clear();
    // A task used 1 cpu of the offer; the rest was declined with refuse_seconds=0.
    allocator.recover("F1", "*", "S1", Resources.parse("cpus:1;mem:512"), Duration.ZERO);
    assertThat(offers).isEmpty();
    allocator.allocate();
    assertThat(offers).containsExactly(new Offer("F1", "*", "S1", Resources.parse("cpus:1;mem:512")));
    // The task finished: its resources come back at the next batch too.
    allocator.recover("F1", "*", "S1", Resources.parse("cpus:1;mem:512"), Duration.ZERO);
    assertThat(offers).hasSize(1);
  }

  @Test
  void declineFiltersHoldUntilTheyExpireOrRevive() {
    allocator.addAgent("S1", Resources.parse("cpus:2;mem:1024"));
    allocator.addFramework("F1", List.of("*"), Set.of());
    offers.clear();
    Duration filter = OfferFilters.refuseDuration(Filters.newBuilder().setRefuseSeconds(10).build());
    allocator.recover("F1", "*", "S1", Resources.parse("cpus:2;mem:1024"), filter);
    allocator.allocate();
    assertThat(offers).isEmpty();
    clock.addAndGet(Duration.ofSeconds(9).toNanos());
    allocator.allocate();
    assertThat(offers).isEmpty();
    clock.addAndGet(Duration.ofSeconds(2).toNanos());
    allocator.allocate();
    assertThat(offers).hasSize(1);

    allocator.recover("F1", "*", "S1", Resources.parse("cpus:2;mem:1024"), Duration.ofDays(1));
    allocator.allocate();
    assertThat(offers).hasSize(1);
    allocator.revive("F1", Set.of());
    assertThat(offers).hasSize(2);
  }

  @Test
  void refuseSecondsFollowMesos() {
    assertThat(OfferFilters.refuseDuration(Filters.getDefaultInstance())).isEqualTo(Duration.ofSeconds(5));
    assertThat(OfferFilters.refuseDuration(Filters.newBuilder().setRefuseSeconds(-3).build())).isEqualTo(Duration.ofSeconds(5));
    assertThat(OfferFilters.refuseDuration(Filters.newBuilder().setRefuseSeconds(0).build())).isZero();
    assertThat(OfferFilters.refuseDuration(Filters.newBuilder().setRefuseSeconds(1e9).build())).isEqualTo(Duration.ofDays(365));
    assertThat(OfferFilters.refuseDuration(Filters.newBuilder().setRefuseSeconds(0.5).build())).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void suppressedFrameworksGetNothingAndTheOtherGetsIt() {
    allocator.addAgent("S1", Resources.parse("cpus:2;mem:1024"));
    allocator.addFramework("F1", List.of("*"), Set.of("*"));
    assertThat(offers).isEmpty();
    allocator.addFramework("F2", List.of("*"), Set.of());
    assertThat(offers).extracting(Offer::framework).containsExactly("F2");
  }

  @Test
  void theFrameworkWithTheSmallerDominantShareGoesFirst() {
    allocator.addAgent("S1", Resources.parse("cpus:4;mem:4096"));
    allocator.addFramework("F1", List.of("*"), Set.of());
    allocator.addFramework("F2", List.of("*"), Set.of());
    // F1 took all of S1 in its offer; give half back unfiltered and add a second agent.
    allocator.recover("F1", "*", "S1", Resources.parse("cpus:2;mem:2048"), Duration.ZERO);
    offers.clear();
    allocator.addAgent("S2", Resources.parse("cpus:4;mem:4096"));
    // F2 (share 0) takes S1's free half; then both hold 2 of 8 cpus and the tie goes by id.
    assertThat(offers).extracting(Offer::framework, Offer::agent).containsExactly(
        org.assertj.core.groups.Tuple.tuple("F2", "S1"), org.assertj.core.groups.Tuple.tuple("F1", "S2"));
  }

  @Test
  void agentsWithTheSamePortRangesAreAccountedApart() {
    allocator.addAgent("S1", Resources.parse("cpus:1;mem:128;ports:[31000-32000]"));
    allocator.addAgent("S2", Resources.parse("cpus:1;mem:128;ports:[31000-32000]"));
    allocator.addFramework("F1", List.of("*"), Set.of());
    assertThat(offers).hasSize(2);
    allocator.recover("F1", "*", "S1", Resources.parse("cpus:1;mem:128;ports:[31000-32000]"), Duration.ZERO);
    allocator.recover("F1", "*", "S2", Resources.parse("cpus:1;mem:128;ports:[31000-32000]"), Duration.ZERO);
    offers.clear();
    allocator.allocate();
    assertThat(offers).extracting(Offer::agent).containsExactly("S1", "S2");
  }

  @Test
  void crumbsBelowTheMinimumAreNotOffered() {
    allocator.addAgent("S1", Resources.parse("cpus:0.005;mem:16"));
    allocator.addFramework("F1", List.of("*"), Set.of());
    assertThat(offers).isEmpty();
  }
}
