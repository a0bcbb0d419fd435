package io.ferry.driver.backend;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Image;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.Resource;

/**
 * How agents start a Ferry executor: fetch the distribution archive (plus {@code ferry.mesos.uris}),
 * let Mesos extract it into the sandbox, then {@code cd <archive name> && exec ./bin/ferry-executor}.
 * The directory name is the archive's file name without its extension, never a glob.
 *
 * <p>An archive that is not a Ferry distribution (or whose top directory is not named after the
 * file) would otherwise end in a bare "Executor terminated" on every agent. So the command first
 * checks for the launcher and, without it, writes one line to the sandbox's stderr (what it
 * expected and what the sandbox holds) and exits with {@link #NO_LAUNCHER_EXIT_STATUS}, which the
 * driver recognises in the executor's FAILURE event ({@link #isMissingLauncher}).
 *
 * <p>With {@code ferry.mesos.executor.docker.image} ({@link #inImage}) the executor runs in a
 * container of that image instead, which holds the distribution under {@link #IMAGE_HOME}
 * ({@code docker/Dockerfile}): {@code ContainerInfo} type {@code MESOS} with an {@code Image} of
 * type {@code DOCKER}, as Mesos's unified containerizer expects, the command
 * {@code /opt/ferry/bin/ferry-executor}, and no archive to fetch ({@code ferry.mesos.uris} still are).
 *
 * <p>With {@code ferry.mesos.executor.home} ({@link #installed}) the distribution is already on every
 * agent: nothing is fetched but {@code ferry.mesos.uris}, and the command is
 * {@code cd '<home>' && exec ./bin/ferry-executor} (the path single-quoted: it may hold spaces or
 * quotes). An agent without {@code <home>/bin/ferry-executor} gets the same one-line explanation
 * in the sandbox's stderr and the same {@link #NO_LAUNCHER_EXIT_STATUS}.
 *
 * <p>With a CNI network ({@link #withNetwork}, {@code ferry.mesos.network.name}) the executor's
 * {@code ContainerInfo} (type {@code MESOS}, the image's one when there is an image) holds one
 * {@code NetworkInfo} of that name and labels.
 */
public final class ExecutorSpec {
  /** Where the image ({@code docker/Dockerfile}) holds the distribution. */
  public static final String IMAGE_HOME = "/opt/ferry";

  /** The executor's launcher inside the image. */
  public static final String IMAGE_LAUNCHER = IMAGE_HOME + "/bin/ferry-executor";

  /**
   * The container image executors run in.
   *
   * @param name a Docker image reference ({@code ferry:0.1.0}, {@code registry:5000/ferry:0.1.0})
   * @param forcePull pull it again at every launch (Mesos's {@code Image.cached=false})
   */
  public record DockerImage(String name, boolean forcePull) {
    public DockerImage {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * The executor command's exit status when {@code <dir>/bin/ferry-executor} is missing: sysexits'
   * {@code EX_CONFIG} (78), which neither the shell (126, 127, 128+n) nor the executor (0-2) uses.
   */
  public static final int NO_LAUNCHER_EXIT_STATUS = 78;

  /**
   * The CNI network executors join ({@code ContainerInfo.network_infos}).
   *
   * @param name {@code NetworkInfo.name}
   * @param labels {@code NetworkInfo.labels}, key to value in order
   */
  public record Network(String name, List<io.ferry.driver.MesosLaunchSettings.Label> labels) {
    public Network {
      Objects.requireNonNull(name, "name");
      labels = List.copyOf(labels);
    }
  }

  private final String executorUri;
  private final Optional<DockerImage> image;
  private final Optional<String> home;
  private final Optional<Network> network;
  private final String directory;
  private final boolean cache;
  private final List<String> extraUris;
  private final long heapMb;
  private final String appName;

  /**
   * @throws IllegalArgumentException naming {@code ferry.executor.uri} when it is not a
   *     {@code .tgz} / {@code .tar.gz} Ferry archive
   */
  public ExecutorSpec(String executorUri, boolean cache, List<String> extraUris, long heapMb, String appName) {
    this(Objects.requireNonNull(executorUri, "executorUri"), Optional.empty(), Optional.empty(), Optional.empty(),
        cache, extraUris, heapMb, appName);
  }

  /** Executors in a container of {@code image}, which holds the distribution: nothing to fetch but {@code extraUris}. */
  public static ExecutorSpec inImage(DockerImage image, boolean cache, List<String> extraUris, long heapMb,
      String appName) {
    return new ExecutorSpec(null, Optional.of(image), Optional.empty(), Optional.empty(), cache, extraUris, heapMb,
        appName);
  }

  /**
   * Executors run from the distribution installed at {@code home} on every agent: nothing to fetch
   * but {@code extraUris}.
   *
   * @param home an absolute path ({@code ferry.mesos.executor.home}, checked by the configuration)
   */
  public static ExecutorSpec installed(String home, boolean cache, List<String> extraUris, long heapMb,
      String appName) {
    if (!home.startsWith("/")) {
      throw new IllegalArgumentException("ferry.mesos.executor.home: '" + home + "' (expected: an absolute path)");
    }
    return new ExecutorSpec(null, Optional.empty(), Optional.of(home), Optional.empty(), cache, extraUris, heapMb,
        appName);
  }

  /** The same executors, joining {@code network} ({@code ferry.mesos.network.name}) when present. */
  public ExecutorSpec withNetwork(Optional<Network> network) {
    return new ExecutorSpec(executorUri, image, home, network, cache, extraUris, heapMb, appName);
  }

  private ExecutorSpec(String executorUri, Optional<DockerImage> image, Optional<String> home,
      Optional<Network> network, boolean cache, List<String> extraUris, long heapMb, String appName) {
    this.executorUri = executorUri;
    this.image = image;
    this.home = home;
    this.network = network;
    this.directory = executorUri == null ? home.orElse(null) : directoryOf(executorUri);
    this.cache = cache;
    this.extraUris = List.copyOf(extraUris);
    this.heapMb = heapMb;
    this.appName = appName;
  }

  /** {@code hdfs://nn/ferry/ferry-0.1.0-bin.tgz} -> {@code ferry-0.1.0-bin}. */
  public static String directoryOf(String executorUri) {
    String path;
    try {
      URI uri = URI.create(executorUri.trim());
      path = uri.getPath() != null ? uri.getPath() : executorUri;
    } catch (IllegalArgumentException e) {
      path = executorUri;
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    for (String suffix : new String[] {".tar.gz", ".tgz"}) {
      if (name.endsWith(suffix) && name.length() > suffix.length()) {
        String dir = name.substring(0, name.length() - suffix.length());
        if (!dir.matches("[A-Za-z0-9._+\\-]+") || dir.startsWith(".")) {
          break;
        }
        return dir;
      }
    }
    throw new IllegalArgumentException("ferry.executor.uri: '" + executorUri + "' (expected: the URI of a Ferry"
        + " distribution archive, ferry-<version>-bin[-NAME].tgz, as written by make-distribution.sh --tgz and"
        + " published with ferry-package upload)");
  }

  /** The image executors run in, when they run in one. */
  public Optional<DockerImage> image() {
    return image;
  }

  /** The installed distribution executors run from ({@code ferry.mesos.executor.home}), when they do. */
  public Optional<String> home() {
    return home;
  }

  /** The archive's top directory, or the installed home. */
  public String directory() {
    return directory;
  }

  public String executorUri() {
    return executorUri;
  }

  /** The launcher the archive must hold, relative to the sandbox: {@code <dir>/bin/ferry-executor}. */
  public String launcher() {
    return directory + "/bin/ferry-executor";
  }

  /** {@code 'text'} for {@code /bin/sh}: safe for any text without NUL. */
  static String shellQuote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  /**
   * Whether a raw wait status (as Mesos's FAILURE event carries it: {@code code << 8} for an exit,
   * the signal number for a signal) is the command's "no launcher" exit.
   */
  public static boolean isMissingLauncher(int waitStatus) {
    return (waitStatus & 0x7f) == 0 && ((waitStatus >> 8) & 0xff) == NO_LAUNCHER_EXIT_STATUS;
  }

  /**
   * The shell command in {@code ExecutorInfo}: exec the launcher, or say in the sandbox's stderr why
   * not and exit {@link #NO_LAUNCHER_EXIT_STATUS}. The directory is a checked plain name (see
   * {@link #directoryOf}), so it needs no quoting; the URI, which may hold anything, is left out.
   */
  String command() {
    if (home.isPresent()) {
      return installedCommand(home.get());
    }
    String launcher = launcher();
    return "if [ -f " + launcher + " ]; then cd " + directory + " && exec ./bin/ferry-executor; fi; "
        + "echo \"ferry: no " + launcher + " in the sandbox: the executor archive (ferry.executor.uri) is not a Ferry"
        + " distribution whose top directory is " + directory + "/ (build it with make-distribution.sh --tgz and"
        + " publish it under its own name); the sandbox holds: $(ls -A | head -n 20 | tr '\\n' ' ')\" >&2; "
        + "exit " + NO_LAUNCHER_EXIT_STATUS;
  }

  /**
   * {@link #command()} for an installed distribution: the same check and exit status, the message
   * naming {@code ferry.mesos.executor.home} and listing what the directory holds, if it exists.
   */
  private static String installedCommand(String home) {
    String launcher = home + "/bin/ferry-executor";
    String message = "ferry: no " + launcher + " on this agent: ferry.mesos.executor.home names no Ferry distribution"
        + " installed here (install the same ferry-<version>-bin at that path on every agent, or set"
        + " ferry.executor.uri to an archive agents fetch); the directory holds: ";
    return "if [ -f " + shellQuote(launcher) + " ]; then cd " + shellQuote(home) + " && exec ./bin/ferry-executor; fi; "
        + "printf '%s%s\\n' " + shellQuote(message) + " \"$(ls -A " + shellQuote(home)
        + " 2>&1 | head -n 20 | tr '\\n' ' ')\" >&2; exit " + NO_LAUNCHER_EXIT_STATUS;
  }

  /** The most young generation a coarse-mode executor is given, MiB ({@link #coarseYoungGenMb}). */
  static final long COARSE_YOUNG_GEN_MAX_MB = 32;

  /**
   * The young generation of a coarse-mode executor of {@code heapMb}: a quarter of the heap, at
   * most {@link #COARSE_YOUNG_GEN_MAX_MB}; 0 (the JVM's own sizing) below 64 MiB of heap, where
   * the launcher's starting heap (the young generation + 16 MiB) could exceed the heap. Such an
   * executor runs many short tasks for its whole life, and the young generation that follows its
   * small starting heap (about 4 MiB of eden) was collected every 0.2 s at a few thousand no-op
   * tasks a second, each pause delaying the tasks in flight: about 1% of them, the coarse p99
   * round trip (BENCHMARKS.md). 32 MiB makes that about 8 times rarer; its pages become resident
   * only as the executor first uses them.
   */
  static long coarseYoungGenMb(long heapMb) {
    return heapMb < 64 ? 0 : Math.min(COARSE_YOUNG_GEN_MAX_MB, heapMb / 4);
  }

  /** A fine-mode executor: one Mesos task per Ferry task, a JVM sized for its start and footprint. */
  public ExecutorInfo build(String executorId, String frameworkName, List<Resource> resources) {
    return build(executorId, frameworkName, resources, false);
  }

  /**
   * @param coarse a coarse-mode slot holder, which runs many short tasks: it also gets
   *     {@code FERRY_EXECUTOR_YOUNG_GEN_MB} ({@link #coarseYoungGenMb})
   */
  public ExecutorInfo build(String executorId, String frameworkName, List<Resource> resources, boolean coarse) {
    Environment.Builder environment = Environment.newBuilder()
        .addVariables(Environment.Variable.newBuilder().setName("FERRY_EXECUTOR_MEMORY").setValue(heapMb + "m"));
    long young = coarse ? coarseYoungGenMb(heapMb) : 0;
    if (young > 0) {
      environment.addVariables(Environment.Variable.newBuilder()
          .setName("FERRY_EXECUTOR_YOUNG_GEN_MB").setValue(Long.toString(young)));
    }
    CommandInfo.Builder command = CommandInfo.newBuilder().setEnvironment(environment);
    if (home.isPresent()) {
      command.setShell(true).setValue(command());
    } else if (image.isPresent()) {
      // The launcher exec'd directly (shell=false with a value: the image's Entrypoint and Cmd are
      // ignored, as Mesos's docker runtime isolator does); argv[0] is the launcher itself.
      command.setShell(false).setValue(IMAGE_LAUNCHER).addArguments(IMAGE_LAUNCHER);
    } else {
      command.setShell(true).setValue(command())
          .addUris(CommandInfo.URI.newBuilder().setValue(executorUri).setExtract(true).setCache(cache));
    }
    for (String uri : extraUris) {
      command.addUris(CommandInfo.URI.newBuilder().setValue(uri).setExtract(true).setCache(cache));
    }
    ExecutorInfo.Builder info = ExecutorInfo.newBuilder()
        .setType(ExecutorInfo.Type.CUSTOM)
        .setExecutorId(ExecutorID.newBuilder().setValue(executorId))
        .setName("Ferry executor for " + appName)
        .setSource(frameworkName)
        .setCommand(command)
        .addAllResources(resources);
    if (image.isPresent() || network.isPresent()) {
      info.setContainer(container());
    }
    return info.build();
  }

  /** {@code ContainerInfo} type {@code MESOS}: the image and the CNI network, whichever are set. */
  private ContainerInfo container() {
    ContainerInfo.Builder container = ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS);
    image.ifPresent(i -> container.setMesos(ContainerInfo.MesosInfo.newBuilder()
        .setImage(Image.newBuilder()
            .setType(Image.Type.DOCKER)
            .setDocker(Image.Docker.newBuilder().setName(i.name()))
            .setCached(!i.forcePull()))));
    network.ifPresent(n -> {
      NetworkInfo.Builder info = NetworkInfo.newBuilder().setName(n.name());
      if (!n.labels().isEmpty()) {
        info.setLabels(labels(n.labels()));
      }
      container.addNetworkInfos(info);
    });
    return container.build();
  }

  /** Mesos {@code Labels} in the given order. */
  public static Labels labels(List<io.ferry.driver.MesosLaunchSettings.Label> labels) {
    Labels.Builder out = Labels.newBuilder();
    labels.forEach(l -> out.addLabels(Label.newBuilder().setKey(l.key()).setValue(l.value())));
    return out.build();
  }
}
