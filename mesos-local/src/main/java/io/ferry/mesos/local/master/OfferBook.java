package io.ferry.mesos.local.master;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;

/**
 * Outstanding offers, and the offers of the current allocation batch waiting to go out: Mesos sends
 * each framework one OFFERS event per batch. Offer IDs are {@code <master>-O<n>} and single-use.
 * Confined to the master's thread.
 */
final class OfferBook {

  private final String masterId;
  private final Map<String, OfferRecord> outstanding = new LinkedHashMap<>();
  private final Map<String, List<Offer>> pending = new LinkedHashMap<>();
  private long serial;

  OfferBook(String masterId) {
    this.masterId = masterId;
  }

  /** Records a new offer of the batch, shaped as Mesos shapes it. */
  void add(String frameworkId, String role, AgentInfo agent, Resources resources, Set<String> executorIds) {
    String id = masterId + "-O" + serial++;
    String agentId = agent.getId().getValue();
    outstanding.put(id, new OfferRecord(id, frameworkId, agentId, role, resources));
    Offer.Builder offer = Offer.newBuilder().setId(OfferID.newBuilder().setValue(id))
        .setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId))
        .setAgentId(AgentID.newBuilder().setValue(agentId)).setHostname(agent.getHostname())
        .addAllResources(resources.toProtos(Optional.of(role)))
        .addAllAttributes(agent.getAttributesList());
    offer.getAllocationInfoBuilder().setRole(role);
    offer.getUrlBuilder().setScheme("http").setPath("/slave(1)").getAddressBuilder()
        .setHostname(agent.getHostname()).setIp("127.0.0.1").setPort(agent.getPort());
    for (String executorId : executorIds) {
      offer.addExecutorIds(ExecutorID.newBuilder().setValue(executorId));
    }
    pending.computeIfAbsent(frameworkId, k -> new ArrayList<>()).add(offer.build());
  }

  /** Hands each framework's offers of this batch to {@code send}, then forgets the batch. */
  void flush(BiConsumer<String, List<Offer>> send) {
    pending.forEach(send);
    pending.clear();
  }

  /** Every outstanding offer, oldest first. */
  List<OfferRecord> outstanding() {
    return List.copyOf(outstanding.values());
  }

  Optional<OfferRecord> get(String offerId) {
    return Optional.ofNullable(outstanding.get(offerId));
  }

  void remove(String offerId) {
    outstanding.remove(offerId);
  }

  /**
   * Removes and returns the outstanding offers that match. One of the current batch not sent yet
   * is dropped from it too, so a framework never receives an offer after its RESCIND.
   */
  List<OfferRecord> removeIf(Predicate<OfferRecord> which) {
    List<OfferRecord> removed = new ArrayList<>();
    outstanding.values().removeIf(o -> {
      if (which.test(o)) {
        removed.add(o);
        return true;
      }
      return false;
    });
    for (OfferRecord o : removed) {
      List<Offer> batch = pending.get(o.frameworkId());
      if (batch != null) {
        batch.removeIf(offer -> offer.getId().getValue().equals(o.id()));
      }
    }
    pending.values().removeIf(List::isEmpty);
    return removed;
  }
}
