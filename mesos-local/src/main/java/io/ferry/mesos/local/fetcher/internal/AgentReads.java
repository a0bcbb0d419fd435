package io.ferry.mesos.local.fetcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Local files read by the agent's own user (no user switch, or a non-root agent). */
public final class AgentReads implements LocalReads {

  public static final AgentReads INSTANCE = new AgentReads();

  private AgentReads() {}

  @Override
  public InputStream open(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      throw new FileSystemException(path.toString(), null, "Is a directory");
    }
    return Files.newInputStream(path);
  }

  @Override
  public long size(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      throw new FileSystemException(path.toString(), null, "Is a directory");
    }
    return Files.size(path);
  }

  @Override
  public String as() {
    return "";
  }
}
