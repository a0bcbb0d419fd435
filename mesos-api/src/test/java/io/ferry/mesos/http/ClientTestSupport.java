package io.ferry.mesos.http;

import com.google.protobuf.Message;
import io.ferry.mesos.ContentType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * Starts servers and clients for a test and closes them all afterwards, clients first, whether
 * or not the test passed.
 */
abstract class ClientTestSupport {
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  ScriptedMesosServer server() {
    ScriptedMesosServer server = ScriptedMesosServer.start();
    resources.addLast(server);
    return server;
  }

  /** Short timeouts and fast retries, so failure paths finish quickly. */
  static MesosClientConfig.Builder config(URI endpoint, ContentType type) {
    return MesosClientConfig.builder(endpoint).contentType(type)
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(5))
        .retryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)));
  }

  <C extends Message, E extends Message> MesosClient<C, E> client(MesosApi<C, E> api, MesosClientConfig config) {
    MesosClient<C, E> client = MesosClient.create(api, config);
    resources.addFirst(client);
    return client.start();
  }

  MesosClient<org.apache.mesos.v1.scheduler.Protos.Call, org.apache.mesos.v1.scheduler.Protos.Event> scheduler(
      ScriptedMesosServer server, ContentType type) {
    return client(MesosApi.SCHEDULER, config(server.uri(), type).build());
  }

  static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(ScriptedMesosServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The exception a future failed with, failing the test if it succeeds. */
  static Throwable failure(CompletableFuture<?> future) throws Exception {
    try {
      Object value = await(future);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @AfterEach
  void closeResources() throws Exception {
    Exception first = null;
    for (AutoCloseable resource; (resource = resources.pollFirst()) != null; ) {
      try {
        resource.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
