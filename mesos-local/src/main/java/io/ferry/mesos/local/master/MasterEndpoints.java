package io.ferry.mesos.local.master;

import com.google.gson.JsonObject;
import io.ferry.mesos.local.ThreadTimers;
import io.ferry.mesos.local.http.BuildInfo;
import io.ferry.mesos.local.http.HttpResponses;
import io.ferry.mesos.local.http.JsonResponse;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The master's read-only endpoints, Mesos 1.12's paths: {@code /master/state} (and
 * {@code /state}, {@code /state.json}, {@code /master/state.json}), {@code /master/slaves},
 * {@code /master/frameworks}, {@code /master/tasks} (and {@code tasks.json}), each also without
 * the {@code /master} prefix as libprocess's default process answers them;
 * {@code /metrics/snapshot}, {@code /health} ({@code /master/health}), {@code /version} and
 * {@code /master/redirect} ({@code /redirect}). Every JSON answer honours {@code jsonp}. A master
 * that does not lead answers the state endpoints with 307 to the leader (503 while none is
 * elected), as Mesos's do. Documents are built on the master's thread, which owns the state.
 */
final class MasterEndpoints {

  private static final Map<String, Function<Request, JsonObject>> JSON = Map.ofEntries(
      Map.entry("state", r -> StateJson.state(r.core)),
      Map.entry("state.json", r -> StateJson.state(r.core)),
      Map.entry("slaves", r -> SlaveJson.endpoint(r.core, r.param("slave_id"))),
      Map.entry("frameworks", r -> FrameworkJson.endpoint(r.core, r.param("framework_id"))),
      Map.entry("tasks", r -> TaskJson.tasks(r.core, TaskJson.Query.of(r.query.parameters()))),
      Map.entry("tasks.json", r -> TaskJson.tasks(r.core, TaskJson.Query.of(r.query.parameters()))));

  private record Request(MasterCore core, QueryStringDecoder query) {
    Optional<String> param(String name) {
      List<String> v = query.parameters().get(name);
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
  }

  private MasterEndpoints() {}

  /** Answers {@code path} if it is one of these endpoints; false if it is not (the caller goes on). */
  static boolean serve(String path, QueryStringDecoder query, Channel channel, boolean keepAlive, MasterCore core,
      ThreadTimers master) {
    String name = path.startsWith("/master/") ? path.substring("/master/".length())
        : path.length() > 1 ? path.substring(1) : "";
    Function<Request, JsonObject> json = JSON.get(name);
    if (json != null) {
      master.execute(() -> {
        if (core.leading()) {
          JsonResponse.write(channel, query, json.apply(new Request(core, query)).toString(), keepAlive);
        } else {
          // Mesos's state endpoints on a master that does not lead: to the leader, same path and query.
          redirect(channel, query.uri(), core, keepAlive);
        }
      });
      return true;
    }
    switch (path) {
      case "/metrics/snapshot" -> master.execute(() ->
          JsonResponse.write(channel, query, MetricsJson.snapshot(core).toString(), keepAlive));
      case "/health", "/master/health" -> HttpResponses.write(channel, 200, "", Map.of(), keepAlive);
      case "/version" -> JsonResponse.write(channel, query, BuildInfo.json().toString(), keepAlive);
      case "/redirect", "/master/redirect" -> master.execute(() -> redirect(channel, "", core, keepAlive));
      default -> {
        if (path.startsWith("/redirect/") || path.startsWith("/master/redirect/")) {
          // As Mesos: no redirect loop.
          HttpResponses.write(channel, 404, "", Map.of(), keepAlive);
          return true;
        }
        return false;
      }
    }
    return true;
  }

  /**
   * Mesos's {@code Master::Http::redirect}: 307 to the leading master ({@code //host:port}, then
   * {@code rest}: the request's path and query, or nothing for {@code /master/redirect}), 503
   * while none leads.
   */
  private static void redirect(Channel channel, String rest, MasterCore core, boolean keepAlive) {
    Optional<String> leader = core.leaderAddress();
    if (leader.isEmpty()) {
      HttpResponses.write(channel, 503, "No leader elected", Map.of(), keepAlive);
    } else {
      HttpResponses.write(channel, 307, "", Map.of(HttpHeaderNames.LOCATION.toString(), "//" + leader.get() + rest),
          keepAlive);
    }
  }
}
