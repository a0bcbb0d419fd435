package io.ferry.mesos.local.fetcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UriTextTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://host/a.tgz|http://host/a.tgz",
      "http://u:p@host:80/a.tgz|http://[REDACTED]@host:80/a.tgz",
      "https://host/a.tgz?X-Amz-Signature=abc|https://host/a.tgz?[REDACTED]",
      "s3a://key:secret@bucket/k|s3a://[REDACTED]@bucket/k",
      "/plain/path?not-a-query|/plain/path?not-a-query",
      "http://host/a@b.tgz|http://host/a@b.tgz"})
  void redactsCredentialsAndQueries(String in, String out) {
    assertThat(UriText.redact(in)).isEqualTo(out);
  }
}
