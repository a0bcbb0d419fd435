package io.ferry.mesos.local.fetcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A failed local write: the file system's reason, and a hint only where one fits. */
@Timeout(10)
class LocalFailureTest {

  private final Path sandbox = Path.of("/work/slaves/a/runs/c");

  @Test
  void aFullDiskSaysToCheckTheFreeSpace() {
    assertThat(UriFetcher.localFailure(new FileSystemException(sandbox + "/big.bin", null,
        "No space left on device"), sandbox))
        .isEqualTo("writing 'big.bin' in the sandbox failed: No space left on device; check the free"
            + " space of the file system that holds " + sandbox);
  }

  @Test
  void aRefusalSaysToCheckThePermissions() {
    assertThat(UriFetcher.localFailure(new AccessDeniedException(sandbox + "/x"), sandbox))
        .isEqualTo("writing 'x' in the sandbox failed: Permission denied; check the permissions of "
            + sandbox);
  }

  @Test
  void anythingElseGetsNoMisleadingHintAndALongNameIsCut() {
    String reason = UriFetcher.localFailure(new FileSystemException(sandbox + "/" + "n".repeat(4000),
        null, "File name too long"), sandbox);
    assertThat(reason).startsWith("writing 'nnn").contains("…' in the sandbox failed: File name too long")
        .doesNotContain("disk").doesNotContain("permissions").hasSizeLessThan(250);
    assertThat(UriFetcher.localFailure(new IOException("odd"), sandbox))
        .isEqualTo("a local file operation in the sandbox failed: java.io.IOException: odd");
  }
}
