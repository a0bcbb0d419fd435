package io.ferry.mesos.local.agent;

import io.ferry.mesos.local.ThreadTimers;
import io.ferry.mesos.local.fetcher.SandboxLayout;
import io.ferry.mesos.local.http.BuildInfo;
import io.ferry.mesos.local.http.HttpResponses;
import io.ferry.mesos.local.http.JsonResponse;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;

/**
 * An agent's read-only endpoints on its own port, Mesos's paths: {@code /slave(1)/state} (also
 * {@code /state}, {@code /slave(1)/state.json}, {@code /state.json}), {@code /metrics/snapshot},
 * {@code /slave(1)/health} ({@code /health}) and {@code /version}. JSON answers honour
 * {@code jsonp}. While the agent restarts (its containerizer recovering, then executors
 * reregistering), {@code state} answers 503 "Agent has not finished recovery" as Mesos does.
 * Documents are built on the agent's thread.
 *
 * @param flags what the agent shows under {@code flags}: Mesos's flag names with the values
 *     mesos-local really uses
 */
record AgentEndpoints(AgentCore core, ThreadTimers agent, SandboxLayout layout, java.util.function.IntSupplier port,
    Map<String, String> flags) {

  /** Answers {@code path} if it is one of these endpoints; false if not. */
  boolean serve(String path, QueryStringDecoder query, Channel channel, boolean keepAlive) {
    switch (path) {
      case "/slave(1)/state", "/slave(1)/state.json", "/state", "/state.json" -> agent.execute(() -> {
        if (core.phase() != AgentCore.Phase.RUNNING) {
          HttpResponses.write(channel, 503, "Agent has not finished recovery", Map.of(), keepAlive);
        } else {
          JsonResponse.write(channel, query, AgentStateJson.state(core, port.getAsInt(), layout, flags).toString(), keepAlive);
        }
      });
      case "/metrics/snapshot" -> agent.execute(() ->
          JsonResponse.write(channel, query, AgentMetricsJson.snapshot(core).toString(), keepAlive));
      case "/slave(1)/health", "/health" -> HttpResponses.write(channel, 200, "", Map.of(), keepAlive);
      case "/version" -> JsonResponse.write(channel, query, BuildInfo.json().toString(), keepAlive);
      default -> {
        return false;
      }
    }
    return true;
  }
}
