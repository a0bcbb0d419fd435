package io.ferry.mesos.http;

import io.ferry.mesos.ContentType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything a {@link MesosClient} needs, validated at once: every bad value is reported in one
 * {@link IllegalArgumentException}, each naming its parameter, e.g.
 * {@code maxRecordSize: 0 (expected: > 0)}.
 *
 * <pre>{@code
 * MesosClientConfig config = MesosClientConfig.builder(URI.create("http://10.0.0.5:5050"))
 *     .contentType(ContentType.PROTOBUF)
 *     .streamIdleTimeout(Duration.ofSeconds(75))   // 5 missed 15 s heartbeats
 *     .authorization(MesosAuthorization.basic("ferry", secret))
 *     .build();
 * }</pre>
 *
 * @param endpoint where the master or agent listens, {@code http://host:port}, optionally with a
 *     path prefix; the API's path is appended
 * @param contentType the encoding of calls and of the event stream
 * @param maxRecordSize the largest stream record, and the largest non-streaming response body,
 *     accepted, in bytes
 * @param connectTimeout how long a TCP connect may take
 * @param requestTimeout how long a call may wait for its whole response, and SUBSCRIBE for its
 *     response headers
 * @param streamIdleTimeout close the stream when nothing arrives for this long; {@link Duration#ZERO}
 *     disables it
 * @param retryPolicy how 503 answers are retried
 * @param maxRedirects how many 307 answers one call may follow
 * @param authorization the {@code Authorization} header; printed as {@code [REDACTED]}
 */
public record MesosClientConfig(
    URI endpoint,
    ContentType contentType,
    int maxRecordSize,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration streamIdleTimeout,
    RetryPolicy retryPolicy,
    int maxRedirects,
    MesosAuthorization authorization) {

  public static final int DEFAULT_MAX_RECORD_SIZE = 64 * 1024 * 1024;

  public MesosClientConfig {
    List<String> errors = new ArrayList<>();
    if (endpoint == null) {
      errors.add("endpoint: null (expected: http://host:port)");
    } else if (endpoint.getScheme() == null || !endpoint.getScheme().toLowerCase(Locale.ROOT).equals("http")
        || endpoint.getHost() == null || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
      errors.add("endpoint: " + endpoint + " (expected: http://host:port with an optional path prefix;"
          + " https is not supported)");
    }
    if (contentType == null) {
      errors.add("contentType: null (expected: PROTOBUF or JSON)");
    }
    if (maxRecordSize <= 0) {
      errors.add("maxRecordSize: " + maxRecordSize + " (expected: > 0)");
    }
    positive(errors, "connectTimeout", connectTimeout);
    positive(errors, "requestTimeout", requestTimeout);
    if (streamIdleTimeout == null || streamIdleTimeout.isNegative()) {
      errors.add("streamIdleTimeout: " + streamIdleTimeout + " (expected: >= 0, 0 to disable)");
    }
    if (retryPolicy == null) {
      errors.add("retryPolicy: null (expected: a RetryPolicy, e.g. RetryPolicy.none())");
    }
    if (maxRedirects < 0) {
      errors.add("maxRedirects: " + maxRedirects + " (expected: >= 0)");
    }
    if (authorization == null) {
      errors.add("authorization: null (expected: e.g. MesosAuthorization.none())");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid MesosClientConfig: " + String.join("; ", errors));
    }
  }

  private static void positive(List<String> errors, String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      errors.add(name + ": " + value + " (expected: > 0)");
    } else if (value.toMillis() > Integer.MAX_VALUE) {
      errors.add(name + ": " + value + " (expected: <= " + Integer.MAX_VALUE + " ms)");
    }
  }

  /** Defaults: protobuf, 64 MiB records, 10 s connect, 30 s request, no idle timeout, 5 redirects. */
  public static Builder builder(URI endpoint) {
    return new Builder(endpoint);
  }

  public Builder toBuilder() {
    return new Builder(endpoint).contentType(contentType).maxRecordSize(maxRecordSize)
        .connectTimeout(connectTimeout).requestTimeout(requestTimeout).streamIdleTimeout(streamIdleTimeout)
        .retryPolicy(retryPolicy).maxRedirects(maxRedirects).authorization(authorization);
  }

  @Override
  public String toString() {
    return "MesosClientConfig[endpoint=" + endpoint + ", contentType=" + contentType
        + ", maxRecordSize=" + maxRecordSize + ", connectTimeout=" + connectTimeout
        + ", requestTimeout=" + requestTimeout + ", streamIdleTimeout=" + streamIdleTimeout
        + ", retryPolicy=" + retryPolicy + ", maxRedirects=" + maxRedirects
        + ", authorization=" + (authorization == MesosAuthorization.none() ? "none" : "[REDACTED]") + "]";
  }

  /** Collects settings; {@link #build()} validates them all together. */
  public static final class Builder {
    private final URI endpoint;
    private ContentType contentType = ContentType.PROTOBUF;
    private int maxRecordSize = DEFAULT_MAX_RECORD_SIZE;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration streamIdleTimeout = Duration.ZERO;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private int maxRedirects = 5;
    private MesosAuthorization authorization = MesosAuthorization.none();

    private Builder(URI endpoint) {
      this.endpoint = endpoint;
    }

    public Builder contentType(ContentType contentType) {
      this.contentType = contentType;
      return this;
    }

    public Builder maxRecordSize(int maxRecordSize) {
      this.maxRecordSize = maxRecordSize;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder streamIdleTimeout(Duration streamIdleTimeout) {
      this.streamIdleTimeout = streamIdleTimeout;
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    public Builder maxRedirects(int maxRedirects) {
      this.maxRedirects = maxRedirects;
      return this;
    }

    public Builder authorization(MesosAuthorization authorization) {
      this.authorization = authorization;
      return this;
    }

    public MesosClientConfig build() {
      return new MesosClientConfig(endpoint, contentType, maxRecordSize, connectTimeout, requestTimeout,
          streamIdleTimeout, retryPolicy, maxRedirects, authorization);
    }
  }
}
