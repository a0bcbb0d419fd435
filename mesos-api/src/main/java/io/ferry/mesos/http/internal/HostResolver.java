package io.ferry.mesos.http.internal;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Turns a target's host into an address without blocking an event loop: IP literals at once,
 * names with the JDK's blocking lookup on a worker thread. A master's 307 names the leader by
 * hostname, so lookups do happen.
 */
final class HostResolver {
  private final Executor blockingExecutor;

  HostResolver(Executor blockingExecutor) {
    this.blockingExecutor = blockingExecutor;
  }

  CompletableFuture<InetSocketAddress> resolve(HttpTarget target) {
    String host = target.host();
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
    if (literal != null) {
      try {
        return CompletableFuture.completedFuture(
            new InetSocketAddress(InetAddress.getByAddress(host, literal), target.port()));
      } catch (UnknownHostException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new InetSocketAddress(InetAddress.getByName(host), target.port());
      } catch (UnknownHostException e) {
        throw new CompletionException(new UnknownHostException("cannot resolve host '" + host + "'"));
      }
    }, blockingExecutor);
  }
}
