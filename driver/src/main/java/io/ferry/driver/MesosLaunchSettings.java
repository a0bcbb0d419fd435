package io.ferry.driver;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the driver puts into the Mesos messages that launch executors and tasks, beyond resources
 * and the executor's command: the settings users of Spark on Mesos look for under the same names.
 * Each maps to one Mesos field:
 *
 * <ul>
 *   <li>{@code ferry.mesos.executor.home} -> {@code ExecutorInfo.command}: runs
 *       {@code <home>/bin/ferry-executor} from a distribution installed on every agent; no archive is
 *       fetched. {@code ferry.executor.uri} wins when both are set (as in Spark);
 *   <li>{@code ferry.mesos.task.labels} -> {@code TaskInfo.labels} of every task the driver launches
 *       (fine-mode tasks and coarse slot tasks);
 *   <li>{@code ferry.mesos.network.name} and {@code .network.labels} -> one CNI {@code NetworkInfo}
 *       in the executor's {@code ContainerInfo} (type {@code MESOS});
 *   <li>{@code ferry.mesos.gpus.max} -> {@code gpus} resources in launched tasks, and the framework's
 *       {@code GPU_RESOURCES} capability when above 0.
 * </ul>
 *
 * <pre>{@code
 * MesosLaunchSettings launch = FerryConf.load(Map.of("ferry.master", "mesos://m:5050",
 *     "ferry.mesos.executor.home", "/opt/ferry", "ferry.mesos.task.labels", "team:data")).mesosLaunch();
 * launch.taskLabels();   // [Label[key=team, value=data]]
 * }</pre>
 *
 * @param executorHome {@code ferry.mesos.executor.home}: an absolute path on the agents
 * @param taskLabels {@code ferry.mesos.task.labels}, in the order given
 * @param networkName {@code ferry.mesos.network.name}: the CNI network executors join
 * @param networkLabels {@code ferry.mesos.network.labels}: passed to the network's CNI plugin
 * @param gpusMax {@code ferry.mesos.gpus.max}: the most GPUs the application holds at once; 0 takes none
 */
public record MesosLaunchSettings(Optional<String> executorHome, List<Label> taskLabels, Optional<String> networkName,
    List<Label> networkLabels, int gpusMax) {

  /** None of the settings: what an unset configuration gives. */
  public static final MesosLaunchSettings NONE =
      new MesosLaunchSettings(Optional.empty(), List.of(), Optional.empty(), List.of(), 0);

  /** One Mesos {@code Label}: a key and a value. */
  public record Label(String key, String value) {
    public Label {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return key + ":" + value;
    }
  }

  public MesosLaunchSettings {
    Objects.requireNonNull(executorHome, "executorHome");
    Objects.requireNonNull(networkName, "networkName");
    taskLabels = List.copyOf(taskLabels);
    networkLabels = List.copyOf(networkLabels);
    if (gpusMax < 0) {
      throw new IllegalArgumentException("gpusMax: " + gpusMax + " (expected: >= 0)");
    }
    if (networkName.isEmpty() && !networkLabels.isEmpty()) {
      throw new IllegalArgumentException("networkLabels: " + networkLabels + " without a networkName");
    }
  }

  /** Whether the framework may take GPUs, and so registers with Mesos's {@code GPU_RESOURCES} capability. */
  public boolean usesGpus() {
    return gpusMax > 0;
  }

  @Override
  public String toString() {
    return "MesosLaunchSettings[executorHome=" + executorHome.orElse("(none)") + ", taskLabels=" + taskLabels
        + ", networkName=" + networkName.orElse("(none)") + ", networkLabels=" + networkLabels + ", gpusMax="
        + gpusMax + "]";
  }
}
