package io.ferry.mesos.local.agent;

import io.ferry.mesos.local.fetcher.internal.ReasonText;
import io.ferry.mesos.local.user.UnixAccount;
import java.io.IOException;
import java.util.Optional;

/**
 * Who a container's fetch and executor run as: Mesos's {@code --switch_user}. The user is
 * {@code CommandInfo.user}, else {@code FrameworkInfo.user}. With switching on (the default) and
 * the agent running as root, the container runs as that user, who must exist on the agent; a
 * non-root agent cannot switch, so its containers run as the agent's own user (as they do with
 * switching off). A user that is the agent's own needs no switch either.
 */
final class ContainerUsers {

  private final boolean switchUser;
  private final UnixAccount agent;

  /**
   * @param switchUser the agent's {@code switch_user} setting
   * @param agent the user the agent runs as
   */
  ContainerUsers(boolean switchUser, UnixAccount agent) {
    this.switchUser = switchUser;
    this.agent = agent;
  }

  /** Whether containers of other users are switched to them at all. */
  boolean switching() {
    return switchUser && agent.uid() == 0;
  }

  /**
   * The account to switch to for {@code user}, or empty to run as the agent.
   *
   * @throws IOException naming the user when it does not exist here (the launch fails with it)
   */
  Optional<UnixAccount> resolve(String user) throws IOException {
    if (!switching() || user.equals(agent.name())) {
      return Optional.empty();
    }
    Optional<UnixAccount> account = UnixAccount.lookup(user);
    if (account.isEmpty()) {
      throw new IOException("the task's user '" + ReasonText.quote(user, 64) + "' does not exist on this agent; the agent runs tasks as their"
          + " user (switch_user, as root): set FrameworkInfo.user or CommandInfo.user to an"
          + " existing user, create the user, or turn the agent's switch_user off");
    }
    if (account.get().uid() == agent.uid()) {
      return Optional.empty();
    }
    return account;
  }
}
