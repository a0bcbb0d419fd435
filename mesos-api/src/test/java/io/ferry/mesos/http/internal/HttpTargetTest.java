package io.ferry.mesos.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HttpTargetTest {
  private final HttpTarget master = HttpTarget.of(URI.create("http://10.0.0.1:5050/"), "/api/v1/scheduler");

  @Test
  void apiPathIsAppendedToTheEndpoint() {
    assertThat(master.url()).isEqualTo(URI.create("http://10.0.0.1:5050/api/v1/scheduler"));
    assertThat(master.requestTarget()).isEqualTo("/api/v1/scheduler");
    assertThat(master.hostHeader()).isEqualTo("10.0.0.1:5050");
    assertThat(HttpTarget.of(URI.create("http://proxy/mesos"), "/api/v1/executor").url())
        .isEqualTo(URI.create("http://proxy/mesos/api/v1/executor"));
    assertThat(HttpTarget.of(URI.create("http://proxy"), "/x").port()).isEqualTo(80);
    assertThat(HttpTarget.of(URI.create("http://[::1]:5051"), "/x").host()).isEqualTo("::1");
  }

  @Test
  void schemelessLocationKeepsOurScheme() {
    assertThat(master.resolve("//master-2.example:5050/api/v1/scheduler").url())
        .isEqualTo(URI.create("http://master-2.example:5050/api/v1/scheduler"));
  }

  @Test
  void relativeAndAbsoluteLocations() {
    assertThat(master.resolve("/master/api/v1/scheduler").url())
        .isEqualTo(URI.create("http://10.0.0.1:5050/master/api/v1/scheduler"));
    assertThat(master.resolve("http://10.0.0.2:5050/api/v1/scheduler").url())
        .isEqualTo(URI.create("http://10.0.0.2:5050/api/v1/scheduler"));
  }

  @Test
  void unusableLocationsAreExplained() {
    assertThatThrownBy(() -> master.resolve(null)).hasMessage("the 307 answer has no Location header");
    assertThatThrownBy(() -> master.resolve("https://m:5050/api")).hasMessageContaining("not an http URL");
    assertThatThrownBy(() -> master.resolve("//bad host")).hasMessageContaining("is not a URI");
  }
}
