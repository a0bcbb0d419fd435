package io.ferry.mesos.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to a successful non-streaming call: 202 Accepted (queued by Mesos, not yet done) or
 * 200 OK with a body (e.g. UPDATE_FRAMEWORK).
 *
 * @param status the HTTP status code
 * @param headers header names in lower case, each with its values in order
 * @param body the response body, possibly empty; not copied, so do not modify it
 */
public record MesosResponse(int status, Map<String, List<String>> headers, byte[] body) {

  public MesosResponse {
    headers = Map.copyOf(headers);
  }

  /** The first value of a header, by case-insensitive name. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "MesosResponse[status=" + status + ", headers=" + headers + ", body=" + body.length + " bytes]";
  }
}
