package io.ferry.driver.mesos.internal;

import io.ferry.driver.mesos.SchedulerLinkConfig;
import io.ferry.mesos.http.MesosAuthorization;
import io.ferry.mesos.http.MesosClientConfig;
import java.net.URI;
import java.time.Duration;

/** The link's settings turned into what the wire layer wants: a client per master, and the wait before each resubscription. */
final class SchedulerClients {

  private SchedulerClients() {}

  /** A client for the master at {@code host:port}, HTTP Basic when a secret is configured. */
  static MesosClientConfig clientConfig(SchedulerLinkConfig config, String hostPort) {
    MesosAuthorization auth = config.secret().isPresent()
        ? MesosAuthorization.basic(config.principal().orElseThrow(), config.secret().get())
        : MesosAuthorization.none();
    // No idle timeout in the client: the heartbeat interval is only known from SUBSCRIBED, and
    // the link's watchdog uses it.
    return MesosClientConfig.builder(URI.create("http://" + hostPort)).contentType(config.contentType())
        .connectTimeout(config.connectTimeout()).requestTimeout(config.requestTimeout())
        .retryPolicy(config.retryPolicy()).streamIdleTimeout(Duration.ZERO).authorization(auth).build();
  }

  /** The initial backoff doubled per earlier failed attempt ({@code attempt} counts from 1), at most the maximum. */
  static Duration backoff(SchedulerLinkConfig config, int attempt) {
    long nanos = config.initialBackoff().toNanos() << Math.min(Math.max(attempt - 1, 0), 20);
    return nanos <= 0 || nanos > config.maxBackoff().toNanos() ? config.maxBackoff() : Duration.ofNanos(nanos);
  }
}
