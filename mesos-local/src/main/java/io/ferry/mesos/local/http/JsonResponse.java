package io.ferry.mesos.local.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A JSON endpoint's answer as Mesos gives it ({@code OK(JSON, jsonp)} in libprocess): the
 * document with {@code application/json}, or, when the request carries {@code jsonp=<callback>},
 * {@code <callback>(<document>);} with {@code text/javascript}, so that a page served by the master
 * can read an agent's endpoints on another port the way Mesos's web UI does.
 *
 * <p>Unlike Mesos, the callback must be a JavaScript name path ({@code angular.callbacks._0},
 * {@code cb$1}): Mesos echoes any text, which lets a link make a response carry script of its
 * choosing; a callback that is not such a name gets 400 naming the parameter.
 */
public final class JsonResponse {

  private static final Pattern CALLBACK = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
  private static final int MAX_CALLBACK = 200;

  private JsonResponse() {}

  /** The request's {@code jsonp} parameter, if any; the last of repeated values, as libprocess decodes a query. */
  public static Optional<String> jsonp(QueryStringDecoder query) {
    List<String> values = query.parameters().get("jsonp");
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
  }

  /** Whether {@code callback} may be used as a {@code jsonp} callback. */
  public static boolean validCallback(String callback) {
    return callback.length() <= MAX_CALLBACK && CALLBACK.matcher(callback).matches();
  }

  /**
   * Writes {@code json} as the answer to a request whose query is {@code query}: plain JSON, or
   * wrapped in its {@code jsonp} callback; a callback that is not a name gets 400.
   */
  public static void write(Channel channel, QueryStringDecoder query, String json, boolean keepAlive) {
    Optional<String> callback = jsonp(query);
    if (callback.isEmpty()) {
      HttpResponses.write(channel, 200, json, Map.of(HttpHeaderNames.CONTENT_TYPE.toString(), "application/json"),
          keepAlive);
    } else if (!validCallback(callback.get())) {
      HttpResponses.write(channel, 400, "Invalid 'jsonp' query parameter: expected a JavaScript name such as"
          + " 'angular.callbacks._0' (letters, digits, '_', '$' and dots, at most " + MAX_CALLBACK + " characters)",
          Map.of(), keepAlive);
    } else {
      HttpResponses.write(channel, 200, callback.get() + "(" + json + ");",
          Map.of(HttpHeaderNames.CONTENT_TYPE.toString(), "text/javascript"), keepAlive);
    }
  }
}
