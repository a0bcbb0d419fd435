package io.ferry.packager.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.packager.testing.MiniHdfs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The datanodes die in the middle of an upload: nothing may appear at the final path. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HadoopFileStoreFailureTest {

  @TempDir Path tmp;

  @Test
  void datanodesDyingMidUploadLeaveNoObjectAtTheFinalPath() throws IOException {
    Path big = tmp.resolve("big.tgz");
    byte[] chunk = new byte[1 << 20];
    new Random(5).nextBytes(chunk);
    try (OutputStream out = Files.newOutputStream(big)) {
      for (int i = 0; i < 64; i++) {
        out.write(chunk);
      }
    }
    try (MiniHdfs hdfs = MiniHdfs.start(tmp.resolve("hdfs"), 1)) {
      URI target = hdfs.uri("/dist/ferry-1.0-bin.tgz");
      AtomicBoolean killed = new AtomicBoolean();
      TransferListener killer = new TransferListener() {
        long sent;

        @Override
        public void transferred(long bytes) {
          sent += bytes;
          if (sent >= 16 << 20 && killed.compareAndSet(false, true)) {
            hdfs.stopDataNodes();
          }
        }
      };
      Stores stores = new Stores(S3Options.DEFAULTS, HttpOptions.DEFAULTS, hdfs.clientConf(), RetryPolicy.NONE);
      try (ObjectStore store = stores.forUri(target)) {
        assertThatThrownBy(() -> store.put(big, target, false, killer))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining(target.toString());
      }
      assertThat(killed).isTrue();
      FileSystem fs = hdfs.fileSystem();
      assertThat(fs.exists(new org.apache.hadoop.fs.Path("/dist/ferry-1.0-bin.tgz"))).isFalse();
    }
  }
}
