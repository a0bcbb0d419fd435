package io.ferry.driver.backend;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Resource;

/**
 * How agents start a Ferry executor: fetch the distribution archive (plus {@code ferry.mesos.uris}),
 * let Mesos extract it into the sandbox, then {@code cd <archive name> && exec ./bin/ferry-executor}.
 * The directory name is the archive's file name without its extension, never a glob.
 */
public final class ExecutorSpec {
  private final String executorUri;
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
    this.executorUri = Objects.requireNonNull(executorUri, "executorUri");
    this.directory = directoryOf(executorUri);
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

  public String directory() {
    return directory;
  }

  public ExecutorInfo build(String executorId, String frameworkName, List<Resource> resources) {
    CommandInfo.Builder command = CommandInfo.newBuilder()
        .setShell(true)
        .setValue("cd " + directory + " && exec ./bin/ferry-executor")
        .addUris(CommandInfo.URI.newBuilder().setValue(executorUri).setExtract(true).setCache(cache))
        .setEnvironment(Environment.newBuilder()
            .addVariables(Environment.Variable.newBuilder()
                .setName("FERRY_EXECUTOR_MEMORY").setValue(heapMb + "m")));
    for (String uri : extraUris) {
      command.addUris(CommandInfo.URI.newBuilder().setValue(uri).setExtract(true).setCache(cache));
    }
    return ExecutorInfo.newBuilder()
        .setType(ExecutorInfo.Type.CUSTOM)
        .setExecutorId(ExecutorID.newBuilder().setValue(executorId))
        .setName("Ferry executor for " + appName)
        .setSource(frameworkName)
        .setCommand(command)
        .addAllResources(resources)
        .build();
  }
}
