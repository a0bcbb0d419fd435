package io.ferry.mesos.local.fetcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * How a fetch reads local files ({@code file://} URIs and plain paths): as the agent itself
 * ({@link AgentReads}), or as the task's user through a child process ({@link UserReads}), which
 * is how Mesos's fetcher, run as the task's user, enforces file permissions.
 *
 * <p>Failures are the JDK's: {@link java.nio.file.NoSuchFileException},
 * {@link java.nio.file.AccessDeniedException}, and a {@link java.nio.file.FileSystemException}
 * with reason {@code "Is a directory"}. With a child process they may surface from the stream's
 * {@code read}, once the child has exited.
 */
public interface LocalReads {

  InputStream open(Path path) throws IOException;

  long size(Path path) throws IOException;

  /** {@code ""}, or {@code " as user 'nobody'"}: for reasons. */
  String as();
}
