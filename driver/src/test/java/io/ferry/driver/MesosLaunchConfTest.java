package io.ferry.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.driver.MesosLaunchSettings.Label;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Spark-parity keys of {@link MesosLaunchSettings}: what each value parses to, and for a bad one
 * an error naming the key, the value, where it came from and what to write instead.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MesosLaunchConfTest {

  private static FerryConf conf(String... keyValues) {
    Map<String, String> settings = new HashMap<>(Map.of("ferry.master", "mesos://m:5050",
        "ferry.executor.uri", "hdfs://nn/ferry/ferry-0.1.0-bin.tgz"));
    for (int i = 0; i < keyValues.length; i += 2) {
      if (keyValues[i + 1] == null) {
        settings.remove(keyValues[i]);
      } else {
        settings.put(keyValues[i], keyValues[i + 1]);
      }
    }
    return FerryConf.load(settings, Map.of(), Map.of());
  }

  @Test
  void unsetTheyChangeNothing() {
    FerryConf conf = conf();
    assertThat(conf.mesosLaunch()).isEqualTo(MesosLaunchSettings.NONE);
    assertThat(conf.mesosLaunch().usesGpus()).isFalse();
    assertThat(FerryConf.knownKeys()).containsEntry("ferry.mesos.gpus.max", "0")
        .containsKeys("ferry.mesos.executor.home", "ferry.mesos.task.labels", "ferry.mesos.network.name",
            "ferry.mesos.network.labels");
  }

  @Test
  void sparksNamesPointAtTheFerryKeys() {
    assertThatThrownBy(() -> conf("spark.mesos.task.labels", "a:b", "spark.mesos.executor.home", "/opt/spark",
        "spark.mesos.gpus.max", "1"))
        .isInstanceOfSatisfying(FerryConfException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "spark.mesos.executor.home: not a Ferry key (from explicit setting) (expected: ferry.*); did you mean"
                + " ferry.mesos.executor.home?",
            "spark.mesos.gpus.max: not a Ferry key (from explicit setting) (expected: ferry.*); did you mean"
                + " ferry.mesos.gpus.max?",
            "spark.mesos.task.labels: not a Ferry key (from explicit setting) (expected: ferry.*); did you mean"
                + " ferry.mesos.task.labels?"));
  }

  @Test
  void taskLabelsParseAsSparkDoesWithEscapedCommasAndColons() {
    assertThat(conf("ferry.mesos.task.labels", "team:data,tier:batch").mesosLaunch().taskLabels())
        .containsExactly(new Label("team", "data"), new Label("tier", "batch"));
    assertThat(conf("ferry.mesos.task.labels", "url:http\\://host\\:80,list:a\\,b, c : d").mesosLaunch().taskLabels())
        .as("\\: and \\, are literal; blanks inside the value are kept, as in Spark")
        .containsExactly(new Label("url", "http://host:80"), new Label("list", "a,b"), new Label(" c ", " d"));
    assertThat(conf("ferry.mesos.task.labels", "empty:").mesosLaunch().taskLabels())
        .containsExactly(new Label("empty", ""));
  }

  @Test
  void aMalformedLabelNamesTheKeyTheValueAndTheBadEntry() {
    assertThatThrownBy(() -> conf("ferry.mesos.task.labels", "team:data,oops"))
        .isInstanceOf(FerryConfException.class)
        .hasMessageContaining("ferry.mesos.task.labels: 'team:data,oops' from explicit setting (entry 'oops' has no"
            + " ':'; expected: key:value pairs separated by commas, such as team:data,tier:batch; write \\, or \\:"
            + " for a comma or colon inside a key or value)");
    assertThatThrownBy(() -> conf("ferry.mesos.task.labels", "url:http://host"))
        .hasMessageContaining("entry 'url:http://host' has 2 unescaped ':'");
    assertThatThrownBy(() -> conf("ferry.mesos.task.labels", "a:b,"))
        .hasMessageContaining("entry '' has no ':'");
  }

  @Test
  void theNetworkTakesACniNameAndLabelsThatNeedIt() {
    MesosLaunchSettings launch = conf("ferry.mesos.network.name", "overlay-1",
        "ferry.mesos.network.labels", "rack:r1,zone:z\\:2").mesosLaunch();
    assertThat(launch.networkName()).hasValue("overlay-1");
    assertThat(launch.networkLabels()).containsExactly(new Label("rack", "r1"), new Label("zone", "z:2"));

    assertThatThrownBy(() -> conf("ferry.mesos.network.name", "my net"))
        .hasMessageContaining("ferry.mesos.network.name: 'my net' from explicit setting (expected: the name of a CNI"
            + " network configured on the agents");
    assertThatThrownBy(() -> conf("ferry.mesos.network.labels", "rack:r1"))
        .hasMessageContaining("ferry.mesos.network.labels: 'rack:r1' from explicit setting (expected: set"
            + " ferry.mesos.network.name too");
    assertThatThrownBy(() -> conf("ferry.mesos.network.name", "n", "ferry.mesos.network.labels", "rack"))
        .hasMessageContaining("ferry.mesos.network.labels: 'rack' from explicit setting (entry 'rack' has no ':'");
  }

  @Test
  void gpusMaxIsAWholeNumberFromZero() {
    assertThat(conf("ferry.mesos.gpus.max", "2").mesosLaunch().gpusMax()).isEqualTo(2);
    assertThat(conf("ferry.mesos.gpus.max", "2").mesosLaunch().usesGpus()).isTrue();
    assertThatThrownBy(() -> conf("ferry.mesos.gpus.max", "-1"))
        .hasMessageContaining("ferry.mesos.gpus.max: '-1' from explicit setting (expected: an integer >= 0)");
    assertThatThrownBy(() -> conf("ferry.mesos.gpus.max", "1.5"))
        .hasMessageContaining("ferry.mesos.gpus.max: '1.5'");
  }

  @Test
  void anInstalledHomeReplacesTheExecutorUriAndMustBeAbsolute() {
    FerryConf conf = conf("ferry.executor.uri", null, "ferry.mesos.executor.home", "/opt/ferry 0.1/");
    assertThat(conf.executorUri()).isEmpty();
    assertThat(conf.mesosLaunch().executorHome()).as("trailing slash dropped").hasValue("/opt/ferry 0.1");

    assertThatThrownBy(() -> conf("ferry.mesos.executor.home", "opt/ferry"))
        .hasMessageContaining("ferry.mesos.executor.home: 'opt/ferry' from explicit setting (expected: the absolute"
            + " path of the Ferry distribution installed on every agent");
    assertThatThrownBy(() -> conf("ferry.executor.uri", null))
        .hasMessageContaining("ferry.executor.uri: missing")
        .hasMessageContaining("or from a distribution installed on every agent with ferry.mesos.executor.home");
  }

  @Test
  void anInstalledHomeAndAnImageExcludeEachOther() {
    assertThatThrownBy(() -> conf("ferry.mesos.executor.home", "/opt/ferry",
        "ferry.mesos.executor.docker.image", "ferry:0.1.0"))
        .isInstanceOf(FerryConfException.class)
        .hasMessageContaining("ferry.mesos.executor.home and ferry.mesos.executor.docker.image: both set"
            + " (ferry.mesos.executor.home '/opt/ferry', image 'ferry:0.1.0'; expected: one of them");
  }
}
