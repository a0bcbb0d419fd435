package io.ferry.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A loopback port free right now, for settings that need a port number before a server binds it. */
public final class FreePort {
  private FreePort() {}

  public static int pick() throws IOException {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress("127.0.0.1", 0));
      return probe.getLocalPort();
    }
  }
}
