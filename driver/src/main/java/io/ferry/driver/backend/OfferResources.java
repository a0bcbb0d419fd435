package io.ferry.driver.backend;

import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

/**
 * What is left of one offer while tasks are carved out of it. Only unreserved-or-role scalar
 * {@code cpus} and {@code mem} matter to Ferry; each resource taken keeps the offer's role and
 * allocation info, as Mesos requires.
 */
@SuppressWarnings("deprecation") // Resource.role: still what older masters set
final class OfferResources {
  private final Offer offer;
  private double cpus;
  private double mem;

  OfferResources(Offer offer) {
    this.offer = offer;
    for (Resource r : offer.getResourcesList()) {
      if (r.getType() != Value.Type.SCALAR || r.hasDisk() || r.hasReservation() || r.getReservationsCount() > 0) {
        continue;
      }
      if (r.getName().equals("cpus")) {
        cpus += r.getScalar().getValue();
      } else if (r.getName().equals("mem")) {
        mem += r.getScalar().getValue();
      }
    }
  }

  double cpus() {
    return cpus;
  }

  double mem() {
    return mem;
  }

  boolean has(double wantCpus, double wantMem) {
    // Mesos scalars have 3 decimal places; compare with that tolerance.
    return cpus + 0.0005 >= wantCpus && mem + 0.0005 >= wantMem;
  }

  /** Takes resources (either may be 0, then it is left out). */
  List<Resource> take(double wantCpus, double wantMem) {
    List<Resource> taken = new ArrayList<>(2);
    if (wantCpus > 0) {
      taken.add(scalar("cpus", wantCpus));
      cpus -= wantCpus;
    }
    if (wantMem > 0) {
      taken.add(scalar("mem", wantMem));
      mem -= wantMem;
    }
    return taken;
  }

  private Resource scalar(String name, double value) {
    Resource.Builder r = Resource.newBuilder()
        .setName(name)
        .setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(Math.round(value * 1000) / 1000.0));
    for (Resource offered : offer.getResourcesList()) {
      if (offered.getName().equals(name)) {
        if (offered.hasAllocationInfo()) {
          r.setAllocationInfo(offered.getAllocationInfo());
        }
        if (offered.hasRole()) {
          r.setRole(offered.getRole());
        }
        break;
      }
    }
    return r.build();
  }
}
