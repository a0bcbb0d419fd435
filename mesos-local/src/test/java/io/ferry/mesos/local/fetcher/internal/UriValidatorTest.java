package io.ferry.mesos.local.fetcher.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.mesos.local.fetcher.FetchException;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UriValidatorTest {

  private static FetchItem validate(String value) throws FetchException {
    return UriValidator.validate(CommandInfo.URI.newBuilder().setValue(value).build());
  }

  private static FetchItem validate(String value, String outputFile) throws FetchException {
    return UriValidator.validate(CommandInfo.URI.newBuilder().setValue(value)
        .setOutputFile(outputFile).build());
  }

  @ParameterizedTest
  @CsvSource({
      "http://host/dir/app.tgz, app.tgz",
      "http://host/app.tgz?sig=1&x=y, app.tgz?sig=1&x=y",
      "hdfs://nn:8020/a/b.jar, b.jar",
      "s3a://bucket/key.zip, key.zip",
      "/opt/app/run.sh, run.sh",
      "relative/dir/, dir",
      "file:///etc/hosts, hosts",
      "c://x/y, y"})
  void localNameIsTheLastSegmentWithItsQuery(String value, String name) throws Exception {
    assertThat(validate(value).localName()).isEqualTo(name);
  }

  @Test
  void defaultsAreMesoss() throws Exception {
    FetchItem item = validate("http://host/a.tgz");

    assertThat(item.extract()).isTrue();
    assertThat(item.executable()).isFalse();
    assertThat(item.cache()).isFalse();
    assertThat(item.outputFile()).isEmpty();
  }

  @Test
  void leadingWhitespaceIsTrimmed() throws Exception {
    assertThat(validate(" \t\n http://host/a.tgz").value()).isEqualTo("http://host/a.tgz");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://host/it's.tgz", "http://host/a\\b.tgz", "/tmp/a\0b"})
  void illegalCharactersAreRefused(String value) {
    assertThatThrownBy(() -> validate(value))
        .hasMessageContaining("illegal characters in URI");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://host", "http://host/", "hdfs://nn:8020"})
  void schemeUrisNeedAPath(String value) {
    assertThatThrownBy(() -> validate(value))
        .hasMessageContaining("malformed URI (missing path after the host)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://host/dir/", "http://host/dir/..", "/", "", "   "})
  void urisThatNameNoFileAreRefused(String value) {
    assertThatThrownBy(() -> validate(value)).isInstanceOf(FetchException.class);
  }

  @Test
  void outputFileIsCleaned() throws Exception {
    assertThat(validate("http://h/x", "./sub//x.tgz").localName()).isEqualTo("sub/x.tgz");
    assertThat(validate("http://h/x", "sub/x.tgz").localBasename()).isEqualTo("x.tgz");
  }

  @ParameterizedTest
  @CsvSource({
      "'', output_file is empty",
      "/abs/x, is absolute",
      "../x, has a '..' segment",
      "a/../../x, has a '..' segment",
      "dir/, names no file",
      "./., names no file"})
  void badOutputFilesAreRefused(String outputFile, String reason) {
    assertThatThrownBy(() -> validate("http://h/x", outputFile))
        .hasMessageStartingWith("Failed to fetch 'http://h/x': ")
        .hasMessageContaining(reason);
  }
}
