package io.ferry.mesos.local.fetcher;

import io.ferry.mesos.local.user.UnixAccount;
import java.util.Objects;
import java.util.Optional;

/**
 * What one fetch needs to know about its container, as an agent decides it.
 *
 * @param user the task's user ({@code CommandInfo.user}, else {@code FrameworkInfo.user}); it
 *     keys the cache
 * @param limit the most this fetch may write into the sandbox
 * @param readAs when the agent switches users (Mesos's {@code --switch_user}, as root): local
 *     files ({@code file://} and plain paths) are read by a child process running as this
 *     account, so a task gets only what its user may read. Empty: the agent's own user reads them.
 */
public record FetchOptions(Optional<String> user, FetchLimit limit, Optional<UnixAccount> readAs) {

  public FetchOptions {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(readAs, "readAs");
  }

  /** As the agent's own user, with no limit: for tools and tests that bound the fetch themselves. */
  public static FetchOptions unlimited(Optional<String> user) {
    return new FetchOptions(user, FetchLimit.NONE, Optional.empty());
  }
}
