package io.ferry.mesos.local.fetcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ArchiveFormatTest {

  @ParameterizedTest
  @CsvSource({
      "a.tar, TAR", "a.tgz, TAR_GZ", "a.tar.gz, TAR_GZ", "a.tbz2, TAR_BZIP2",
      "a.tar.bz2, TAR_BZIP2", "a.txz, TAR_XZ", "a.tar.xz, TAR_XZ", "a.zip, ZIP",
      "a.csv.gz, GZIP", "a.tgz?sig=1, NONE", "a.TGZ, NONE", "a.jar, NONE", "a.bz2, NONE"})
  void formatFollowsTheNameAsMesosDoes(String name, ArchiveFormat format) {
    assertThat(ArchiveFormat.of(name)).isEqualTo(format);
  }
}
