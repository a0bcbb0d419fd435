package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import io.ferry.mesos.local.fetcher.FetchLimit;

/**
 * What one fetch may still write into the sandbox. Every writer charges a chunk <em>before</em>
 * writing it, so the limit is never crossed on disk: the chunk that would cross it fails the fetch
 * instead, and the writer removes its partial file. Used by one fetch, on one thread.
 */
public final class FetchBudget {

  private final FetchLimit limit;
  private long written;

  public FetchBudget(FetchLimit limit) {
    this.limit = limit;
  }

  /** No limit: for writes that do not go into the sandbox (filling the fetcher cache). */
  public static FetchBudget unlimited() {
    return new FetchBudget(FetchLimit.NONE);
  }

  /**
   * Takes {@code n} bytes that {@code what} is about to write.
   *
   * @param what e.g. {@code "extracting entry 'big.bin' of archive bomb.tgz"}, for the reason
   * @throws FetchException if they do not fit; nothing is taken then
   */
  public void charge(long n, String what) throws FetchException {
    if (n > limit.bytes() - written) {
      throw over(what);
    }
    written += n;
  }

  /** Fails now if {@code total} bytes, known in advance, cannot fit (nothing is taken). */
  public void checkFits(long total, String what) throws FetchException {
    if (total > limit.bytes() - written) {
      throw new FetchException(null, "over the fetch limit: " + what + " is " + total
          + " bytes, more than the " + remaining() + " bytes left of the limit of "
          + limit.describe() + "; nothing was written");
    }
  }

  public long written() {
    return written;
  }

  public long remaining() {
    return limit.bytes() - written;
  }

  private FetchException over(String what) {
    return new FetchException(null, "over the fetch limit: " + what + " would take what this"
        + " fetch writes into the sandbox past " + limit.describe() + "; stopped there and removed"
        + " the partial file");
  }
}
