package io.ferry.mesos.local.fetcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SandboxLayoutTest {

  @TempDir
  Path tmp;

  @Test
  void sandboxPathIsMesoss() {
    SandboxLayout layout = new SandboxLayout(tmp);

    assertThat(layout.sandbox("S0", "F1", "E2", "C3")).isEqualTo(
        tmp.resolve("slaves/S0/frameworks/F1/executors/E2/runs/C3"));
  }

  @Test
  void createMakesEmptyStdoutAndStderrAndPointsLatestAtTheRun() throws Exception {
    SandboxLayout layout = new SandboxLayout(tmp);

    Path sandbox = layout.create("S0", "F1", "E2", "C3");

    assertThat(sandbox).isDirectory();
    assertThat(sandbox.resolve("stdout")).isEmptyFile();
    assertThat(sandbox.resolve("stderr")).isEmptyFile();
    assertThat(Files.getPosixFilePermissions(sandbox.resolve("stderr")))
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    Path latest = sandbox.getParent().resolve("latest");
    assertThat(Files.readSymbolicLink(latest)).isEqualTo(sandbox);
  }

  @Test
  void aNewRunMovesLatestAndARecreatedRunStartsWithEmptyLogs() throws Exception {
    SandboxLayout layout = new SandboxLayout(tmp);
    Path first = layout.create("S0", "F1", "E2", "C3");
    Files.writeString(first.resolve("stderr"), "old fetch log");

    Path second = layout.create("S0", "F1", "E2", "C4");
    assertThat(Files.readSymbolicLink(second.getParent().resolve("latest"))).isEqualTo(second);

    layout.create("S0", "F1", "E2", "C3");
    assertThat(first.resolve("stderr")).isEmptyFile();
    assertThat(Files.readSymbolicLink(first.getParent().resolve("latest"))).isEqualTo(first);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "a\\b", "tab\there", "nul\0", "del\u007f"})
  void badIdsAreRefusedNamingTheKind(String id) {
    SandboxLayout layout = new SandboxLayout(tmp);

    assertThatThrownBy(() -> layout.sandbox("S0", "F1", id, "C3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("executorId: ");
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void idsUpTo255BytesAreAllowed() {
    assertThat(SandboxLayout.id("containerId", "x".repeat(255))).hasSize(255);
    assertThatThrownBy(() -> SandboxLayout.id("containerId", "x".repeat(256)))
        .hasMessage("containerId: 256 bytes long (expected: at most 255)");
    // Bytes, not characters: 128 two-byte characters are 256 bytes.
    assertThatThrownBy(() -> SandboxLayout.id("containerId", "é".repeat(128)))
        .hasMessageContaining("256 bytes");
  }

  @Test
  void ordinaryIdsPass() {
    assertThat(SandboxLayout.id("frameworkId", "5e4a-001-ferry.job:1 (x)"))
        .isEqualTo("5e4a-001-ferry.job:1 (x)");
  }
}
