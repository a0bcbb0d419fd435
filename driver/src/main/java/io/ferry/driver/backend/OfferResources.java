package io.ferry.driver.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

/**
 * What is left of one offer while tasks are carved out of it. Ferry uses the scalar {@code cpus}
 * and {@code mem} of an offer: unreserved ones and ones reserved for the framework's role (Mesos
 * offers a framework only reservations of its roles; as in Spark, reserved ones are used first).
 * Revocable and shared resources are left alone. Whole {@code gpus} are taken only through
 * {@link #takeGpus} ({@link GpuLedger}: what {@code ferry.mesos.gpus.max} allows). Each resource taken is a copy of the offered one
 * with the amount taken, so it keeps the role, reservations and allocation info Mesos checks the
 * launch against.
 */
final class OfferResources {
  /** One offered resource and how much of it is left. */
  private static final class Pool {
    final Resource offered;
    double left;

    Pool(Resource offered) {
      this.offered = offered;
      this.left = offered.getScalar().getValue();
    }

    boolean reserved() {
      return offered.getReservationsCount() > 0 || offered.hasReservation() || isStaticRole(offered);
    }
  }

  private final List<Pool> cpus = new ArrayList<>();
  private final List<Pool> mem = new ArrayList<>();
  private final List<Pool> gpus = new ArrayList<>();

  OfferResources(Offer offer) {
    for (Resource r : offer.getResourcesList()) {
      if (r.getType() != Value.Type.SCALAR || r.hasRevocable() || r.hasShared() || r.hasDisk()) {
        continue;
      }
      if (r.getName().equals("cpus")) {
        cpus.add(new Pool(r));
      } else if (r.getName().equals("mem")) {
        mem.add(new Pool(r));
      } else if (r.getName().equals("gpus")) {
        gpus.add(new Pool(r));
      }
    }
    Comparator<Pool> reservedFirst = Comparator.comparing(p -> !p.reserved());
    cpus.sort(reservedFirst);
    mem.sort(reservedFirst);
    gpus.sort(reservedFirst);
  }

  @SuppressWarnings("deprecation") // Resource.role: what masters without reservation refinement set
  private static boolean isStaticRole(Resource r) {
    return r.hasRole() && !r.getRole().equals("*");
  }

  double cpus() {
    return sum(cpus);
  }

  double mem() {
    return sum(mem);
  }

  double gpus() {
    return sum(gpus);
  }

  /** Takes {@code count} GPUs; call {@link #gpus} first. */
  List<Resource> takeGpus(int count) {
    List<Resource> taken = new ArrayList<>(1);
    take(gpus, count, taken);
    return taken;
  }

  boolean has(double wantCpus, double wantMem) {
    // Mesos scalars have 3 decimal places; compare with that tolerance.
    return cpus() + ExecutorNeeds.EPSILON >= wantCpus && mem() + ExecutorNeeds.EPSILON >= wantMem;
  }

  /** Takes resources (either may be 0, then it is left out); call {@link #has} first. */
  List<Resource> take(double wantCpus, double wantMem) {
    List<Resource> taken = new ArrayList<>(2);
    take(cpus, wantCpus, taken);
    take(mem, wantMem, taken);
    return taken;
  }

  private static void take(List<Pool> pools, double want, List<Resource> into) {
    double needed = round(want);
    for (Pool pool : pools) {
      if (needed <= 0) {
        break;
      }
      double part = round(Math.min(pool.left, needed));
      if (part <= 0) {
        continue;
      }
      pool.left = round(pool.left - part);
      needed = round(needed - part);
      into.add(pool.offered.toBuilder().setScalar(Value.Scalar.newBuilder().setValue(part)).build());
    }
  }

  private static double sum(List<Pool> pools) {
    double total = 0;
    for (Pool p : pools) {
      total += p.left;
    }
    return total;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
