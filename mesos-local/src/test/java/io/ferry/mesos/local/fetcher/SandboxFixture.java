package io.ferry.mesos.local.fetcher;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;

/**
 * A test's world: a sandbox made by {@link SandboxLayout} under {@code <tmp>/work}, a canary
 * directory beside it that no fetch may touch, and a place for source files.
 */
final class SandboxFixture {

  final Path base;
  final Path sandbox;
  final Path canary;
  final Path sources;
  final StringWriter log = new StringWriter();

  private SandboxFixture(Path base, Path sandbox) throws IOException {
    this.base = base;
    this.sandbox = sandbox;
    this.canary = Files.createDirectories(base.resolve("canary"));
    Files.writeString(canary.resolve("keep"), "canary");
    this.sources = Files.createDirectories(base.resolve("sources"));
  }

  static SandboxFixture create(Path tmp) throws IOException {
    return create(tmp, "container-1");
  }

  static SandboxFixture create(Path tmp, String containerId) throws IOException {
    Path base = tmp.toRealPath();
    Path sandbox = new SandboxLayout(base.resolve("work"))
        .create("agent-1", "framework-1", "executor-1", containerId);
    return new SandboxFixture(base, sandbox);
  }

  /** Another sandbox (a second run) sharing this fixture's base, sources and canary. */
  SandboxFixture nextRun(String containerId) throws IOException {
    Path next = new SandboxLayout(base.resolve("work"))
        .create("agent-1", "framework-1", "executor-1", containerId);
    return new SandboxFixture(base, next, canary, sources);
  }

  private SandboxFixture(Path base, Path sandbox, Path canary, Path sources) {
    this.base = base;
    this.sandbox = sandbox;
    this.canary = canary;
    this.sources = sources;
  }

  /** Fetches as an agent does: as user alice, the log appended to the sandbox's stderr. */
  void fetch(Fetcher fetcher, CommandInfo.URI... uris) throws FetchException {
    try (Writer stderr = Files.newBufferedWriter(sandbox.resolve("stderr"),
        StandardOpenOption.APPEND)) {
      fetcher.fetch(List.of(uris), sandbox, Optional.of("alice"), stderr);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path source(String name) {
    return sources.resolve(name);
  }

  Path inSandbox(String name) {
    return sandbox.resolve(name);
  }

  String read(String name) throws IOException {
    return Files.readString(sandbox.resolve(name), StandardCharsets.UTF_8);
  }

  /** Everything under the base except the sandbox itself: path, type and size. */
  TreeSet<String> outside() throws IOException {
    TreeSet<String> seen = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(base)) {
      walk.filter(p -> !p.startsWith(sandbox)).forEach(p -> {
        String type = Files.isSymbolicLink(p) ? "link"
            : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : "file";
        long size = type.equals("file") ? p.toFile().length() : 0;
        seen.add(base.relativize(p) + " " + type + " " + size);
      });
    }
    return seen;
  }

  /** The sandbox's own entries (names at its top level), sorted. */
  List<String> topLevel() throws IOException {
    try (Stream<Path> list = Files.list(sandbox)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static CommandInfo.URI uri(String value) {
    return CommandInfo.URI.newBuilder().setValue(value).build();
  }

  static CommandInfo.URI.Builder uriBuilder(String value) {
    return CommandInfo.URI.newBuilder().setValue(value);
  }
}
