package io.ferry.driver.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Resources reserved for the framework's role are offered to it and are its to use: an agent whose
 * cpus and memory are all reserved for {@code ferry.mesos.role} used to look empty to the driver
 * (nothing ran, and the starvation warning said "cpus 0"). Mesos accepts a launch only with
 * resources contained in the offer, so each taken resource keeps role, reservation and allocation.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
@SuppressWarnings("deprecation") // Resource.role / reservation: the pre-refinement format Mesos sends Ferry
class OfferResourcesTest {

  private static Resource scalar(String name, double value, String role) {
    Resource.Builder r = Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).setRole(role)
        .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("analytics"));
    return r.build();
  }

  private static Offer offer(Resource... resources) {
    return Offer.newBuilder().setId(OfferID.newBuilder().setValue("o1"))
        .setFrameworkId(FrameworkID.newBuilder().setValue("f")).setAgentId(AgentID.newBuilder().setValue("a1"))
        .setHostname("a1").addAllResources(List.of(resources)).build();
  }

  @Test
  void gpusAreTakenWholeWithinTheCapAndGivenBackWhenTheirTaskEnds() {
    GpuLedger ledger = new GpuLedger(3);
    OfferResources first = new OfferResources(offer(scalar("cpus", 4, "*"), scalar("gpus", 2.5, "*")));
    assertThat(first.gpus()).isEqualTo(2.5);
    List<Resource> slot = ledger.take(first, "slot-1", Integer.MAX_VALUE);
    assertThat(slot).singleElement().satisfies(r -> {
      assertThat(r.getName()).isEqualTo("gpus");
      assertThat(r.getScalar().getValue()).as("whole GPUs only").isEqualTo(2);
      assertThat(r.getAllocationInfo().getRole()).as("a copy of the offered resource").isEqualTo("analytics");
    });
    assertThat(first.cpus()).as("cpus untouched").isEqualTo(4);

    OfferResources second = new OfferResources(offer(scalar("gpus", 4, "*")));
    assertThat(ledger.take(second, "task-1", 1)).singleElement()
        .satisfies(r -> assertThat(r.getScalar().getValue()).isEqualTo(1));
    assertThat(ledger.take(second, "task-2", 1)).as("the cap of 3 is reached").isEmpty();
    assertThat(ledger.held()).isEqualTo(3);
    ledger.release("slot-1");
    ledger.release("slot-1");
    assertThat(ledger.held()).as("released once").isEqualTo(1);
    assertThat(ledger.take(second, "task-3", 1)).hasSize(1);

    assertThat(new GpuLedger(0).take(new OfferResources(offer(scalar("gpus", 4, "*"))), "t", 1))
        .as("a cap of 0 takes none").isEmpty();
  }

  @Test
  void reservedResourcesOfTheRoleCountAndAreTakenFirstKeepingTheirReservation() {
    Resource dynamicMem = scalar("mem", 1024, "analytics").toBuilder()
        .setReservation(Resource.ReservationInfo.newBuilder().setPrincipal("ops")).build();
    OfferResources free = new OfferResources(offer(scalar("cpus", 1, "*"), scalar("cpus", 2, "analytics"),
        scalar("mem", 512, "*"), dynamicMem,
        scalar("cpus", 4, "*").toBuilder().setRevocable(Resource.RevocableInfo.getDefaultInstance()).build()));
    assertThat(free.cpus()).as("revocable cpus are not used").isEqualTo(3.0);
    assertThat(free.mem()).isEqualTo(1536.0);
    assertThat(free.has(3, 1536)).isTrue();

    List<Resource> taken = free.take(2.5, 1200);
    assertThat(taken).extracting(Resource::getName, r -> r.getScalar().getValue(), Resource::getRole)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("cpus", 2.0, "analytics"),
            org.assertj.core.groups.Tuple.tuple("cpus", 0.5, "*"),
            org.assertj.core.groups.Tuple.tuple("mem", 1024.0, "analytics"),
            org.assertj.core.groups.Tuple.tuple("mem", 176.0, "*"));
    assertThat(taken.get(2).getReservation().getPrincipal()).isEqualTo("ops");
    assertThat(taken).allSatisfy(r -> assertThat(r.getAllocationInfo().getRole()).isEqualTo("analytics"));
    assertThat(free.cpus()).isEqualTo(0.5);
    assertThat(free.mem()).isEqualTo(336.0);
    assertThat(free.has(1, 0)).isFalse();
  }

  @Test
  void anUnreservedOfferIsTakenAsBefore() {
    OfferResources free = new OfferResources(offer(scalar("cpus", 2, "*"), scalar("mem", 1024, "*")));
    assertThat(free.take(1, 0)).singleElement().satisfies(r -> {
      assertThat(r.getName()).isEqualTo("cpus");
      assertThat(r.getScalar().getValue()).isEqualTo(1.0);
      assertThat(r.getRole()).isEqualTo("*");
    });
    assertThat(free.take(0, 1024)).singleElement().satisfies(r -> assertThat(r.getScalar().getValue()).isEqualTo(1024.0));
    assertThat(free.has(1, 1)).isFalse();
  }
}
