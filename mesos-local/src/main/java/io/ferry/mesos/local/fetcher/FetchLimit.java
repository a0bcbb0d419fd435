package io.ferry.mesos.local.fetcher;

import io.ferry.mesos.local.fetcher.internal.ReasonText;

/**
 * The most one fetch (every URI of one container launch: downloads, copies and what archives
 * unpack to) may write into a sandbox. The fetcher counts bytes before it writes them and stops
 * at the limit, so a gzip bomb or an endless download never fills the agent's disk; the partial
 * file is removed and the launch fails naming the URI and this limit.
 *
 * <p>Mesos has no such limit in its fetcher (its {@code disk/du} isolator, off by default, would
 * only kill the container afterwards); an agent's disk resource is the natural bound, since no
 * task can be given more disk than the agent has.
 *
 * @param bytes the limit, {@code > 0}
 * @param origin where it came from, for the failure reason (e.g. "the agent's disk resource")
 */
public record FetchLimit(long bytes, String origin) {

  /** For callers that bound the fetch themselves (tests, tools); an agent always sets a limit. */
  public static final FetchLimit NONE = new FetchLimit(Long.MAX_VALUE, "no limit");

  public FetchLimit {
    if (bytes <= 0) {
      throw new IllegalArgumentException("fetch limit: " + bytes + " bytes (expected: > 0)");
    }
    if (origin == null || origin.isBlank()) {
      throw new IllegalArgumentException("fetch limit: origin is empty");
    }
  }

  /** The agent's whole disk resource, in MB as Mesos counts it ({@code disk:10240}). */
  public static FetchLimit ofDiskResource(double diskMb) {
    if (!(diskMb > 0)) {
      throw new IllegalArgumentException("disk resource: " + diskMb + " MB (expected: > 0)");
    }
    return new FetchLimit((long) (diskMb * 1024 * 1024),
        "the agent's disk resource, disk:" + formatMb(diskMb));
  }

  /** A limit the agent was configured with. */
  public static FetchLimit configured(long bytes) {
    return new FetchLimit(bytes, "the agent's fetch limit");
  }

  /** {@code 8 MiB (8388608 bytes, the agent's fetch limit)}. */
  public String describe() {
    return ReasonText.size(bytes) + " (" + bytes + " bytes, " + origin + ")";
  }

  private static String formatMb(double mb) {
    return mb == Math.rint(mb) ? Long.toString((long) mb) : Double.toString(mb);
  }
}
