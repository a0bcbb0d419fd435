package io.ferry.mesos.local.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mesos.local.master.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class AgentDiskTest {

  @TempDir Path tmp;

  @Test
  void resourcesWithoutDiskGetMesossDefaultFromTheWorkDirectorysFileSystem() throws Exception {
    long total = Files.getFileStore(tmp).getTotalSpace();
    long gb = 1024L * 1024 * 1024;
    long expectedMb = (total >= 10 * gb ? total - 5 * gb : total / 2) / (1024 * 1024);

    String resources = AgentDisk.withDisk("cpus:1;mem:512", tmp.resolve("not-yet"));

    assertThat(Resources.parse(resources).scalar("disk")).isEqualTo((double) Math.max(1, expectedMb));
    assertThat(resources).startsWith("cpus:1;mem:512;disk:");
  }

  @Test
  void aDiskResourceThatIsGivenIsKept() {
    assertThat(AgentDisk.withDisk("cpus:1;disk:2048", tmp)).isEqualTo("cpus:1;disk:2048");
  }
}
