package io.ferry.rpc.internal;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Formats a channel's remote end for logs and messages. */
public final class Peers {
  private Peers() {}

  public static String describe(Channel channel) {
    return hostPort(channel.remoteAddress());
  }

  public static String hostPort(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }
}
