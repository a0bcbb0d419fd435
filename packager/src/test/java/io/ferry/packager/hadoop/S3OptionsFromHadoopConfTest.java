package io.ferry.packager.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.packager.store.S3Options;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fs.s3a.* keys an operator already has, read into Ferry's S3 options. */
@Timeout(30)
class S3OptionsFromHadoopConfTest {

  private static final long MIB = 1024 * 1024;

  private static Configuration conf(String... keyValues) {
    Configuration conf = new Configuration(false);
    for (int i = 0; i < keyValues.length; i += 2) {
      conf.set(keyValues[i], keyValues[i + 1]);
    }
    return conf;
  }

  @Test
  @Timeout(30)
  void nothingSetMeansTheAwsChainsAndFerrysDefaults() {
    S3Options o = S3OptionsFromHadoopConf.from(conf("fs.s3a.endpoint", "", "fs.s3a.access.key", " "), "b");

    assertThat(o.endpoint()).isEmpty();
    assertThat(o.region()).isEmpty();
    assertThat(o.accessKey()).isEmpty();
    assertThat(o.secretKey()).isEmpty();
    assertThat(o.sessionToken()).isEmpty();
    assertThat(o.pathStyle()).isFalse();
    assertThat(o.partSize()).isEqualTo(S3Options.DEFAULTS.partSize());
    assertThat(o.multipartThreshold()).isEqualTo(S3Options.DEFAULTS.multipartThreshold());
  }

  @Test
  @Timeout(30)
  void hadoopsCoreDefaultsApplyAsInS3A() {
    S3Options o = S3OptionsFromHadoopConf.from(new Configuration(), "b");

    assertThat(o.partSize()).isEqualTo(64 * MIB);
    assertThat(o.multipartThreshold()).isEqualTo(128 * MIB);
  }

  @Test
  @Timeout(30)
  void mapsEveryKey() {
    S3Options o = S3OptionsFromHadoopConf.from(conf(
        "fs.s3a.endpoint", "http://127.0.0.1:9000",
        "fs.s3a.endpoint.region", "eu-west-1",
        "fs.s3a.path.style.access", "TRUE",
        "fs.s3a.access.key", "AKIDEXAMPLE",
        "fs.s3a.secret.key", "s3cr3t",
        "fs.s3a.session.token", "tok",
        "fs.s3a.multipart.size", "32M",
        "fs.s3a.multipart.threshold", "268435456"), "b");

    assertThat(o.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
    assertThat(o.region()).contains("eu-west-1");
    assertThat(o.pathStyle()).isTrue();
    assertThat(o.accessKey()).contains("AKIDEXAMPLE");
    assertThat(o.secretKey()).contains("s3cr3t");
    assertThat(o.sessionToken()).contains("tok");
    assertThat(o.partSize()).isEqualTo(32 * MIB);
    assertThat(o.multipartThreshold()).isEqualTo(256 * MIB);
  }

  @Test
  @Timeout(30)
  void aBareEndpointHostGetsTheSchemeS3AWouldUse() {
    assertThat(S3OptionsFromHadoopConf.from(conf("fs.s3a.endpoint", "s3.eu-west-1.amazonaws.com"), "b")
        .endpoint()).contains(URI.create("https://s3.eu-west-1.amazonaws.com"));
    assertThat(S3OptionsFromHadoopConf.from(conf("fs.s3a.endpoint", "minio:9000",
        "fs.s3a.connection.ssl.enabled", "false"), "b")
        .endpoint()).contains(URI.create("http://minio:9000"));
  }

  @Test
  @Timeout(30)
  void perBucketKeysWinForTheirBucket() {
    Configuration conf = conf("fs.s3a.endpoint", "http://main:9000",
        "fs.s3a.bucket.logs.endpoint", "http://logs:9000");

    assertThat(S3OptionsFromHadoopConf.from(conf, "logs").endpoint())
        .contains(URI.create("http://logs:9000"));
    assertThat(S3OptionsFromHadoopConf.from(conf, "dist").endpoint())
        .contains(URI.create("http://main:9000"));
  }

  @Test
  @Timeout(30)
  void sizesReadLikeHadoop() {
    S3Options o = S3OptionsFromHadoopConf.from(conf("fs.s3a.multipart.size", "8388608",
        "fs.s3a.multipart.threshold", "128k"), "b");

    assertThat(o.partSize()).isEqualTo(8 * MIB);
    // Below the part size means one-part uploads; raised, as the bytes sent are the same.
    assertThat(o.multipartThreshold()).isEqualTo(8 * MIB);
  }

  @Test
  @Timeout(30)
  void aPartSizeBelowS3sMinimumIsRaisedAsS3ADoes() {
    assertThat(S3OptionsFromHadoopConf.from(conf("fs.s3a.multipart.size", "1M"), "b").partSize())
        .isEqualTo(S3Options.MIN_PART_SIZE);
  }

  @Test
  @Timeout(30)
  void everyBadValueIsReportedWithItsKeyAndValue() {
    assertThatThrownBy(() -> S3OptionsFromHadoopConf.from(conf(
        "fs.s3a.multipart.size", "12X",
        "fs.s3a.multipart.threshold", "-5",
        "fs.s3a.path.style.access", "yes",
        "fs.s3a.endpoint", "http://"), "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fs.s3a.multipart.size: '12X' is not a size")
        .hasMessageContaining("fs.s3a.multipart.threshold: '-5'")
        .hasMessageContaining("fs.s3a.path.style.access: 'yes' (expected: true or false)")
        .hasMessageContaining("fs.s3a.endpoint: 'http://'");
  }

  @Test
  @Timeout(30)
  void halfACredentialPairIsAnErrorThatHidesTheSecret() {
    assertThatThrownBy(() -> S3OptionsFromHadoopConf.from(conf("fs.s3a.secret.key", "s3cr3t"), "b"))
        .hasMessageContaining("fs.s3a.secret.key is set but fs.s3a.access.key is not")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
  }

  @Test
  @Timeout(30)
  void aSessionTokenNeedsKeys() {
    assertThatThrownBy(() -> S3OptionsFromHadoopConf.from(conf("fs.s3a.session.token", "tok"), "b"))
        .hasMessageContaining("fs.s3a.session.token is set without fs.s3a.access.key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tok'"));
  }
}
