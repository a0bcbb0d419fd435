package io.ferry.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real terminal for an interactive program: a tmux server of its own ({@code -L <unique name>},
 * {@code -f} a config of ours), one detached session of the given size running {@code command},
 * keys typed with {@code send-keys} and the screen (with its scrollback, wrapped lines joined) read
 * with {@code capture-pane}. The pane stays after the program exits ({@code remain-on-exit}), so its
 * last words can be read; {@link #close()} ends this server ({@code kill-server}) and so the
 * program, whatever happened.
 */
public final class TmuxTerminal implements AutoCloseable {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
  private final String socket;
  private final Path config;
  private final Path status;
  private volatile Path socketPath;

  private TmuxTerminal(String socket, Path config, Path status) {
    this.socket = socket;
    this.config = config;
    this.status = status;
  }

  /**
   * Starts {@code command} (run by {@code sh -c}) in a {@code width} x {@code height} terminal. The
   * pane's shell waits for the command and writes its exit status to a file of this terminal's:
   * tmux 3.3a (Debian 12's) does not always reap a pane's process that exits while its pty closes
   * (it stays a zombie and {@code #{pane_dead_status}} stays empty), so tmux cannot be asked.
   */
  public static TmuxTerminal start(Path dir, String name, int width, int height, String command) throws Exception {
    Path config = dir.resolve(name + ".tmux.conf");
    Path status = dir.resolve(name + ".status");
    Files.writeString(config, "set -g remain-on-exit on\nset -g history-limit 50000\n", StandardCharsets.UTF_8);
    Files.deleteIfExists(status);
    String socket = "ferry-it-" + name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    TmuxTerminal t = new TmuxTerminal(socket, config, status);
    String temporary = ShellLaunch.quoted(status + ".tmp");
    String waited = command + "\nstatus=$?\necho \"$status\" > " + temporary + " && mv " + temporary + " "
        + ShellLaunch.quoted(status.toString()) + "\nexit \"$status\"";
    try {
      t.tmux("new-session", "-d", "-x", Integer.toString(width), "-y", Integer.toString(height), "-s", "main", waited);
      t.socketPath = Path.of(t.tmux("display-message", "-p", "-t", "main", "#{socket_path}").strip());
    } catch (Exception | AssertionError e) {
      t.close();
      throw e;
    }
    return t;
  }

  /** Types {@code text} literally, then Enter. */
  public void typeLine(String text) throws Exception {
    tmux("send-keys", "-t", "main", "-l", text);
    tmux("send-keys", "-t", "main", "Enter");
  }

  /** Presses keys by tmux's names, e.g. {@code C-d}. */
  public void press(String... keys) throws Exception {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", "main"));
    args.addAll(List.of(keys));
    tmux(args.toArray(String[]::new));
  }

  /** Everything the terminal showed, scrollback included, wrapped lines joined, trailing blanks cut. */
  public String screen() throws Exception {
    return tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "main").replaceAll("(?m)[ \\t]+$", "").strip();
  }

  /** The program's PID (the pane's process). */
  public long panePid() throws Exception {
    return Long.parseLong(tmux("display-message", "-p", "-t", "main", "#{pane_pid}").strip());
  }

  /** The program's exit status once it has exited (its shell has written it). */
  public Optional<Integer> exitStatus() throws Exception {
    return Files.exists(status) ? Optional.of(Integer.parseInt(Files.readString(status).strip())) : Optional.empty();
  }

  /** Waits until the screen matches {@code pattern} at or after offset {@code from}; fails showing the screen. */
  public Matcher await(Pattern pattern, int from, Duration timeout) throws Exception {
    try {
      return Await.value(timeout, "/" + pattern + "/ on the terminal", () -> {
        String s = screen();
        Matcher m = pattern.matcher(s);
        return m.find(Math.min(from, s.length())) ? Optional.of(m) : Optional.empty();
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; it shows:\n" + screen(), e);
    }
  }

  private String tmux(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", config.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tmux " + String.join(" ", args) + " did not return within " + COMMAND_TIMEOUT);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("tmux " + String.join(" ", args) + " exited with " + p.exitValue() + ": " + text);
    }
    return text;
  }

  /**
   * Ends this test's tmux server: {@code kill-server} hangs up on the program (SIGHUP, which a JVM
   * answers with its shutdown hooks); whatever of it is still alive 10 s later is killed.
   */
  @Override
  public void close() {
    Optional<ProcessHandle> program = Optional.empty();
    try {
      program = ProcessHandle.of(panePid());
    } catch (Exception | AssertionError e) {
      // the server is gone already
    }
    List<ProcessHandle> tree = new ArrayList<>();
    program.ifPresent(p -> {
      tree.add(p);
      p.descendants().forEach(tree::add);
    });
    try {
      Process p = new ProcessBuilder("tmux", "-L", socket, "kill-server").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      for (ProcessHandle h : tree) {
        h.onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      tree.forEach(ProcessHandle::destroyForcibly);
    }
    Path path = socketPath;
    if (path != null) {
      try {
        Files.deleteIfExists(path); // a server that was killed leaves its socket behind
      } catch (IOException e) {
        // /tmp is cleaned eventually; nothing listens there any more
      }
    }
  }
}
