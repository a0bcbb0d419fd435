package io.ferry.mesos.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.ContentType;
import io.ferry.mesos.local.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A master that authenticates frameworks: 401 without or with wrong credentials, 400 for another principal. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrameworkAuthenticationTest {

  @TempDir Path work;

  static String basic(String principal, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((principal + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void basicAuthenticationAndThePrincipalRule() throws Exception {
    LocalCluster.Settings settings = LocalCluster.Settings.parse("local-cluster[1,1,512]", work)
        .withFrameworkCredentials(Map.of("ops", "s3cret", "dev", "other-secret"));
    assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("other-secret");
    try (LocalCluster cluster = LocalCluster.start(settings)) {
      RawScheduler anonymous = new RawScheduler(cluster.masterUrl());
      assertThat(anonymous.subscribe(ConformanceTest.framework(60), ContentType.JSON)).isEqualTo(401);
      RawScheduler wrong = new RawScheduler(cluster.masterUrl());
      wrong.authorization = basic("ops", "guess");
      assertThat(wrong.subscribe(ConformanceTest.framework(60), ContentType.JSON)).isEqualTo(401);

      try (RawScheduler ops = new RawScheduler(cluster.masterUrl())) {
        ops.authorization = basic("ops", "s3cret");
        assertThat(ops.subscribe(ConformanceTest.framework(60).toBuilder().setPrincipal("ops").build(), ContentType.JSON))
            .isEqualTo(200);
        assertThat(ops.call(ops.callOf(Call.Type.REVIVE).build()).statusCode()).isEqualTo(202);
        ops.authorization = basic("dev", "other-secret");
        assertThat(ops.call(ops.callOf(Call.Type.REVIVE).build()).statusCode()).as("another principal").isEqualTo(400);
      }
    }
  }
}
