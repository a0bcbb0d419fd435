package io.ferry.driver.internal;

import io.ferry.driver.MesosLaunchSettings;
import io.ferry.driver.MesosLaunchSettings.Label;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the {@link MesosLaunchSettings} keys for {@link FerryConfParser}, reporting each problem by key. */
final class MesosLaunchParser {

  static final String HOME = "ferry.mesos.executor.home";
  static final String TASK_LABELS = "ferry.mesos.task.labels";
  static final String NETWORK_NAME = "ferry.mesos.network.name";
  static final String NETWORK_LABELS = "ferry.mesos.network.labels";
  static final String GPUS_MAX = "ferry.mesos.gpus.max";

  /** A CNI network name as the CNI specification allows it (and Mesos's CNI isolator looks it up). */
  private static final Pattern CNI_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");

  private MesosLaunchParser() {}

  /** @param dockerImage {@code ferry.mesos.executor.docker.image}, which excludes an installed home */
  static MesosLaunchSettings parse(ConfReader r, Optional<String> dockerImage) {
    Optional<String> home = home(r);
    if (home.isPresent() && dockerImage.isPresent()) {
      r.error(HOME + " and ferry.mesos.executor.docker.image: both set (" + HOME + " '" + home.get()
          + "', image '" + dockerImage.get() + "'; expected: one of them: the image holds its own distribution under"
          + " /opt/ferry, so drop " + HOME + ", or drop the image to run the distribution installed on the agents)");
    }
    List<Label> taskLabels = labels(r, TASK_LABELS);
    Optional<String> network = r.string(NETWORK_NAME).map(String::strip);
    if (network.isPresent() && !CNI_NAME.matcher(network.get()).matches()) {
      r.reject(NETWORK_NAME, "expected: the name of a CNI network configured on the agents, letters, digits"
          + " and _ . - such as overlay-1");
      network = Optional.empty();
    }
    List<Label> networkLabels = labels(r, NETWORK_LABELS);
    if (!networkLabels.isEmpty() && network.isEmpty() && r.string(NETWORK_NAME).isEmpty()) {
      r.reject(NETWORK_LABELS, "expected: set " + NETWORK_NAME + " too: the labels go to the CNI network executors"
          + " join, and there is none");
    }
    int gpusMax = r.integer(GPUS_MAX, 0, 0, Integer.MAX_VALUE);
    return new MesosLaunchSettings(home, taskLabels, network, network.isEmpty() ? List.of() : networkLabels,
        gpusMax);
  }

  /** An absolute path without control characters; trailing slashes dropped. */
  private static Optional<String> home(ConfReader r) {
    Optional<String> text = r.string(HOME);
    if (text.isEmpty()) {
      return text;
    }
    String home = text.get();
    if (!home.startsWith("/") || home.chars().anyMatch(Character::isISOControl)) {
      r.reject(HOME, "expected: the absolute path of the Ferry distribution installed on every agent, such as"
          + " /opt/ferry-0.1.0-bin, the directory that holds bin/ferry-executor");
      return Optional.empty();
    }
    while (home.length() > 1 && home.endsWith("/")) {
      home = home.substring(0, home.length() - 1);
    }
    return Optional.of(home);
  }

  private static List<Label> labels(ConfReader r, String key) {
    return r.parse(key, "", text -> text.isEmpty() ? List.of() : MesosLabelsText.parse(text));
  }
}
