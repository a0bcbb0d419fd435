package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.user.UnixAccount;
import io.ferry.mesos.local.user.UserSwitch;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Local files read as the task's user: {@code cat} (and {@code stat} for the cache's size) run
 * through {@link UserSwitch}, so the kernel checks the user's permissions on the file and every
 * directory above it, exactly as for Mesos's fetcher running as that user. The agent (root) only
 * ever sees the bytes the user could read.
 */
public final class UserReads implements LocalReads {

  private static final int MAX_ERROR = 4096;

  private final UserSwitch userSwitch;
  private final UnixAccount account;

  public UserReads(UserSwitch userSwitch, UnixAccount account) {
    this.userSwitch = userSwitch;
    this.account = account;
  }

  @Override
  public InputStream open(Path path) throws IOException {
    Process cat = start(List.of("cat", "--", path.toString()));
    return new ChildOutput(cat, path);
  }

  @Override
  public long size(Path path) throws IOException {
    Process stat = start(List.of("stat", "-L", "-c", "%s %F", "--", path.toString()));
    String out;
    try (InputStream in = stat.getInputStream()) {
      out = new String(in.readNBytes(MAX_ERROR), StandardCharsets.UTF_8).strip();
    }
    finish(stat, path);
    if (out.endsWith(" directory")) {
      throw new FileSystemException(path.toString(), null, "Is a directory");
    }
    try {
      return Long.parseLong(out.substring(0, out.indexOf(' ')));
    } catch (RuntimeException e) {
      throw new IOException("stat gave '" + ReasonText.quote(out) + "' for " + path);
    }
  }

  @Override
  public String as() {
    return " as user '" + account.name() + "'";
  }

  private Process start(List<String> argv) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(userSwitch.command(account, argv))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/bin:/bin");
    // Error texts are matched below; keep them in English.
    pb.environment().put("LC_ALL", "C");
    return pb.start();
  }

  /** Waits for the child; a failure becomes the JDK's exception for it. */
  private static void finish(Process child, Path path) throws IOException {
    String error;
    try (InputStream err = child.getErrorStream()) {
      error = new String(err.readNBytes(MAX_ERROR), StandardCharsets.UTF_8).strip();
    }
    int status;
    try {
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        child.destroyForcibly();
        throw new IOException("reading " + path + " did not finish");
      }
      status = child.exitValue();
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted reading " + path);
    }
    if (status == 0) {
      return;
    }
    if (error.contains("Permission denied")) {
      throw new AccessDeniedException(path.toString());
    }
    if (error.contains("No such file or directory")) {
      throw new NoSuchFileException(path.toString());
    }
    if (error.contains("Is a directory")) {
      throw new FileSystemException(path.toString(), null, "Is a directory");
    }
    throw new IOException("exit status " + status + ": " + ReasonText.quote(error));
  }

  /** The child's stdout; at its end, the child's verdict. */
  private static final class ChildOutput extends FilterInputStream {
    private final Process child;
    private final Path path;
    private boolean finished;

    ChildOutput(Process child, Path path) {
      super(child.getInputStream());
      this.child = child;
      this.path = path;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        end();
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n < 0) {
        end();
      }
      return n;
    }

    private void end() throws IOException {
      if (!finished) {
        finished = true;
        finish(child, path);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        if (child.isAlive()) {
          child.destroyForcibly();
        }
        child.getErrorStream().close();
      }
    }
  }
}
