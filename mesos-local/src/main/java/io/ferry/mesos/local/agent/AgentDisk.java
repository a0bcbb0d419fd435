package io.ferry.mesos.local.agent;

import io.ferry.mesos.local.master.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An agent's {@code disk} resource when its {@code --resources} name none, as Mesos computes it:
 * the size of the file system holding the work directory, less 5 GB when it has 10 GB or more,
 * else half of it.
 */
final class AgentDisk {

  private static final long GB = 1024L * 1024 * 1024;
  private static final long MB = 1024L * 1024;

  private AgentDisk() {}

  /** {@code resources}, with Mesos's default {@code disk} added when it has none. */
  static String withDisk(String resources, Path workDir) {
    if (Resources.parse(resources).scalar("disk") > 0) {
      return resources;
    }
    try {
      Path existing = workDir.toAbsolutePath();
      while (!Files.exists(existing) && existing.getParent() != null) {
        existing = existing.getParent();
      }
      long size = Files.getFileStore(existing).getTotalSpace();
      long disk = size >= 10 * GB ? size - 5 * GB : size / 2;
      String sep = resources.isBlank() || resources.strip().endsWith(";") ? "" : ";";
      return resources + sep + "disk:" + Math.max(1, disk / MB);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot size the file system of the work directory " + workDir
          + " for the disk resource; name disk in the agent's resources", e);
    }
  }
}
