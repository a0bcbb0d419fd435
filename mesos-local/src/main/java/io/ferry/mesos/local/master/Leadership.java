package io.ferry.mesos.local.master;

/**
 * What a master knows about who leads, from ZooKeeper (the digest, section 3).
 *
 * @param state whether this master leads, another one does, or none is elected
 * @param leaderAddress the leader's {@code host:port} when another master leads
 */
record Leadership(State state, String leaderAddress) {

  enum State {
    /** This master leads (also a master without ZooKeeper). */
    LEADING,
    /** Another master leads: calls get 307 to it. */
    FOLLOWING,
    /** No leader is elected: calls get 503. */
    NONE
  }

  static final Leadership LEADING = new Leadership(State.LEADING, null);
  static final Leadership NONE = new Leadership(State.NONE, null);

  static Leadership following(String address) {
    return new Leadership(State.FOLLOWING, address);
  }
}
