package io.ferry.mesos.local.fetcher.internal;

/**
 * The state of one fetch that its downloaders and extractors share: what it may still write and
 * as whom it reads local files.
 */
public record FetchSession(FetchBudget budget, LocalReads reads) {

  /** The same reads with no limit, for filling the cache (which has its own capacity). */
  public FetchSession forCache() {
    return new FetchSession(FetchBudget.unlimited(), reads);
  }
}
