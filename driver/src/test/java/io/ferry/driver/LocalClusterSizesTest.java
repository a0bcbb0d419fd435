package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.driver.backend.ExecutorNeeds;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local-cluster}'s agents are known before anything starts: the defaults fit every size the
 * docs, scripts and benchmarks use, and a size nothing fits is a configuration error naming the
 * numbers and the settings (issue 16: {@code local-cluster[2,2,1024]} with the 1g + 384m default
 * executor used to wait forever without a word).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalClusterSizesTest {
  @TempDir Path confDir;

  private FerryConf load(String master, boolean coarse, String... more) {
    Map<String, String> settings = new HashMap<>(Map.of("ferry.master", master, "ferry.executor.uri", "file:///x/ferry-0.1.0-bin.tgz",
        "ferry.mesos.coarse", String.valueOf(coarse)));
    for (int i = 0; i < more.length; i += 2) {
      settings.put(more[i], more[i + 1]);
    }
    return FerryConf.load(settings, Map.of(), Map.of("FERRY_CONF_DIR", confDir.toString()));
  }

  @ParameterizedTest(name = "{0} coarse={1}")
  @CsvSource({
      "'local-cluster[2,2,1024]', false", "'local-cluster[2,2,1024]', true",
      "'local-cluster[2,2,2048]', false", "'local-cluster[2,2,2048]', true",
      "'local-cluster[2,4,4096]', false", "'local-cluster[2,4,4096]', true",
      "'local-cluster[1,2,1024]', false", "'local-cluster[1,3,2048]', true",
      "'local-cluster[2,1.5,1024]', false", "'local-cluster[1,1,512]', true"})
  void everyDocumentedSizeFitsOneExecutorWithTheDefaults(String master, boolean coarse) {
    FerryConf conf = load(master, coarse);
    MasterUrl.LocalCluster lc = (MasterUrl.LocalCluster) conf.master();
    assertThat(ExecutorNeeds.of(conf).fits(lc.cpus(), lc.memMb())).as("%s fits %s", ExecutorNeeds.of(conf).describe(), lc)
        .isTrue();
  }

  @Test
  void theExecutorTakesAnAgentTooSmallForTheDefaultAndNoMoreThanTheDefaultOtherwise() {
    FerryConf small = load("local-cluster[2,2,1024]", true);
    assertThat(small.executorMemoryMb()).isEqualTo(768);
    assertThat(small.executorMemoryOverheadMb()).isEqualTo(256);
    FerryConf big = load("local-cluster[2,2,2048]", false);
    assertThat(big.executorMemoryMb()).isEqualTo(1024);
    assertThat(big.executorMemoryOverheadMb()).isEqualTo(384);
    assertThat(big.executorCores()).isEqualTo(1.0);
    assertThat(load("local-cluster[2,1.5,1024]", false).executorCores()).isEqualTo(0.5);
    // What the user set is kept, never derived.
    FerryConf set = load("local-cluster[2,2,1024]", false, "ferry.executor.memory", "256m");
    assertThat(set.executorMemoryMb()).isEqualTo(256);
    assertThat(set.executorMemoryOverheadMb()).isEqualTo(384);
    // A real cluster keeps the documented defaults.
    FerryConf real = load("mesos://127.0.0.1:5050", false);
    assertThat(real.executorMemoryMb()).isEqualTo(1024);
    assertThat(real.executorMemoryOverheadMb()).isEqualTo(384);
  }

  @Test
  void tooMuchMemoryIsRefusedNamingTheNumbersAndTheSettings() {
    assertThatThrownBy(() -> load("local-cluster[2,2,1024]", true, "ferry.executor.memory", "4g"))
        .isInstanceOfSatisfying(FerryConfException.class, e -> assertThat(e.problems()).singleElement().satisfies(p ->
            assertThat(p).startsWith("ferry.master: local-cluster[2,2,1024] cannot run one executor (coarse-grained mode)")
                .contains("mem 4505 MB (ferry.executor.memory 4096m + ferry.executor.memoryOverhead 409m)")
                .contains("an agent has 1024 MB").contains("lower ferry.executor.memory or ferry.executor.memoryOverhead")));
  }

  @Test
  void tooManyCpusAreRefusedInEitherMode() {
    assertThatThrownBy(() -> load("local-cluster[2,1,1024]", false, "ferry.executor.cores", "1"))
        .isInstanceOf(FerryConfException.class)
        .hasMessageContaining("local-cluster[2,1,1024] cannot run one executor (fine-grained mode)")
        .hasMessageContaining("cpus 2 (ferry.executor.cores 1 + ferry.task.cpus 1) but an agent has 1")
        .hasMessageContaining("ferry.mesos.coarse=true");
    // Fine mode on 1-cpu agents: one task takes the whole agent, nothing is left for the executor.
    assertThatThrownBy(() -> load("local-cluster[2,1,1024]", false))
        .isInstanceOf(FerryConfException.class).hasMessageContaining("but an agent has 1");
    assertThatThrownBy(() -> load("local-cluster[2,2,2048]", true, "ferry.task.cpus", "3"))
        .isInstanceOf(FerryConfException.class)
        .hasMessageContaining("cpus 3 whole (ferry.task.cpus 3) but an agent has 2");
    assertThat(load("local-cluster[2,1,1024]", true).master()).isEqualTo(new MasterUrl.LocalCluster(2, 1, 1024));
  }

  @Test
  void constraintsNoLocalAgentHasAreRefused() {
    assertThatThrownBy(() -> load("local-cluster[2,2,2048]", false, "ferry.mesos.constraints", "zone:a"))
        .isInstanceOf(FerryConfException.class).hasMessageContaining("ferry.mesos.constraints zone:a");
  }

  @Test
  void aCoresMaxBelowOneTaskIsAnErrorOnAnyMaster() {
    assertThatThrownBy(() -> load("mesos://127.0.0.1:5050", true, "ferry.cores.max", "1", "ferry.task.cpus", "2"))
        .isInstanceOf(FerryConfException.class).hasMessageContaining("ferry.cores.max: '1'")
        .hasMessageContaining("at least ferry.task.cpus 2");
  }

  /** Coarse mode: ferry.executor.cores sizes each executor (issue 17: several executors per agent). */
  @Test
  void coarseExecutorCoresAreWholeAtLeastOneTaskAndWithinCoresMax() {
    assertThat(load("mesos://127.0.0.1:5050", true).coarseExecutorCores()).as("unset: all offered").isEmpty();
    assertThat(load("mesos://127.0.0.1:5050", true, "ferry.executor.cores", "2").coarseExecutorCores()).hasValue(2);
    assertThat(load("mesos://127.0.0.1:5050", false, "ferry.executor.cores", "0.5").coarseExecutorCores())
        .as("fine mode: the executor's own cpus, not a coarse size").isEmpty();
    assertThatThrownBy(() -> load("mesos://127.0.0.1:5050", true, "ferry.executor.cores", "1.5"))
        .isInstanceOf(FerryConfException.class)
        .hasMessageContaining("ferry.executor.cores: '1.5' from explicit setting (expected: in coarse mode, a whole"
            + " number of cores for each executor, at least ferry.task.cpus 1");
    assertThatThrownBy(() -> load("mesos://127.0.0.1:5050", true, "ferry.executor.cores", "1", "ferry.task.cpus", "2"))
        .isInstanceOf(FerryConfException.class).hasMessageContaining("ferry.executor.cores: '1'")
        .hasMessageContaining("at least ferry.task.cpus 2");
    assertThatThrownBy(() -> load("mesos://127.0.0.1:5050", true, "ferry.executor.cores", "4", "ferry.cores.max", "3"))
        .isInstanceOf(FerryConfException.class).hasMessageContaining("ferry.cores.max: '3'")
        .hasMessageContaining("at least ferry.executor.cores 4 in coarse mode");
  }

  @Test
  void coarseExecutorsOfSomeCoresShareAnAgentsMemoryWhenItIsDerived() {
    FerryConf four = load("local-cluster[1,4,1024]", true, "ferry.executor.cores", "1");
    assertThat(four.executorMemoryMb() + four.executorMemoryOverheadMb()).as("a quarter of the agent").isEqualTo(256);
    assertThat(four.executorMemoryMb()).isEqualTo(192);
    FerryConf two = load("local-cluster[1,5,1024]", true, "ferry.executor.cores", "2");
    assertThat(two.executorMemoryMb() + two.executorMemoryOverheadMb()).as("half: two executors of 2 fit 5 cpus")
        .isEqualTo(512);
    FerryConf set = load("local-cluster[1,4,1024]", true, "ferry.executor.cores", "1", "ferry.executor.memory", "600m");
    assertThat(set.executorMemoryMb()).as("what the user set is kept").isEqualTo(600);
    assertThatThrownBy(() -> load("local-cluster[1,2,1024]", true, "ferry.executor.cores", "3"))
        .isInstanceOf(FerryConfException.class)
        .hasMessageContaining("cpus 3 whole (ferry.executor.cores 3) but an agent has 2")
        .hasMessageContaining("lower ferry.executor.cores (at least ferry.task.cpus) or unset it");
  }
}
