package io.ferry.mesos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.mesos.ContentType;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MesosClientConfigTest {

  @Test
  void defaults() {
    MesosClientConfig config = MesosClientConfig.builder(URI.create("http://127.0.0.1:5050")).build();
    assertThat(config.contentType()).isEqualTo(ContentType.PROTOBUF);
    assertThat(config.maxRecordSize()).isEqualTo(64 * 1024 * 1024);
    assertThat(config.streamIdleTimeout()).isZero();
    assertThat(config.retryPolicy()).isEqualTo(RetryPolicy.defaults());
    assertThat(config.maxRedirects()).isEqualTo(5);
    assertThat(config.authorization().header()).isEmpty();
    assertThat(config.toBuilder().build()).isEqualTo(config);
  }

  @Test
  void everyBadValueIsReportedTogetherByName() {
    assertThatThrownBy(() -> MesosClientConfig.builder(URI.create("https://master:5050"))
        .maxRecordSize(0).connectTimeout(Duration.ZERO).requestTimeout(Duration.ofSeconds(-1))
        .streamIdleTimeout(Duration.ofSeconds(-1)).maxRedirects(-1).contentType(null).retryPolicy(null)
        .authorization(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid MesosClientConfig: endpoint: https://master:5050 (expected: http://host:port")
        .hasMessageContaining("contentType: null")
        .hasMessageContaining("maxRecordSize: 0 (expected: > 0)")
        .hasMessageContaining("connectTimeout: PT0S (expected: > 0)")
        .hasMessageContaining("requestTimeout: PT-1S (expected: > 0)")
        .hasMessageContaining("streamIdleTimeout: PT-1S (expected: >= 0, 0 to disable)")
        .hasMessageContaining("retryPolicy: null")
        .hasMessageContaining("maxRedirects: -1 (expected: >= 0)")
        .hasMessageContaining("authorization: null");
  }

  @Test
  void endpointMustBeHttpWithAHost() {
    for (String bad : new String[] {"localhost:5050", "http:///path", "http://h:1/?q=1", "ftp://h"}) {
      assertThatThrownBy(() -> MesosClientConfig.builder(URI.create(bad)).build())
          .as(bad).hasMessageContaining("endpoint: " + bad);
    }
    assertThatThrownBy(() -> MesosClientConfig.builder(null).build()).hasMessageContaining("endpoint: null");
  }

  @Test
  void secretsNeverPrint() {
    MesosClientConfig config = MesosClientConfig.builder(URI.create("http://127.0.0.1:5050"))
        .authorization(MesosAuthorization.basic("ferry", "s3cret")).build();
    assertThat(config.toString()).contains("authorization=[REDACTED]").doesNotContain("s3cret")
        .doesNotContain(config.authorization().header().orElseThrow());
    assertThat(config.authorization().toString()).isEqualTo("Basic [REDACTED]");
    assertThat(MesosAuthorization.bearer("tok").toString()).isEqualTo("Bearer [REDACTED]");
  }

  @Test
  void authorizationHeaders() {
    assertThat(MesosAuthorization.basic("ferry", "s3cret").header()).contains("Basic ZmVycnk6czNjcmV0");
    assertThat(MesosAuthorization.bearer("a.b.c").header()).contains("Bearer a.b.c");
    assertThat(MesosAuthorization.fromExecutorEnvironment(Map.of()).header()).isEmpty();
    assertThat(MesosAuthorization.fromExecutorEnvironment(
        Map.of("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "jwt")).header()).contains("Bearer jwt");
    assertThatThrownBy(() -> MesosAuthorization.basic("a:b", "x")).hasMessageContaining("principal: 'a:b'");
    assertThatThrownBy(() -> MesosAuthorization.bearer(" ")).hasMessageContaining("token: empty");
  }
}
