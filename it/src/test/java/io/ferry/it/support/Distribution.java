package io.ferry.it.support;

import io.ferry.packager.TarballBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The binary distribution this commit built ({@code <repo>/dist}, left by
 * {@code scripts/make-distribution.sh}, which {@code ./scripts/test.sh} runs first) and the
 * archive agents fetch, built from it with the packager's own {@link TarballBuilder}: top level
 * {@code ferry-<version>-bin}, file {@code ferry-<version>-bin.tgz}, exactly as users get it.
 *
 * <pre>{@code
 * Distribution dist = Distribution.locate();
 * Path tgz = dist.buildArchive(tempDir);   // once per test class
 * }</pre>
 */
public final class Distribution {

  private static final String HOW_TO_BUILD = "run ./scripts/make-distribution.sh first (./scripts/test.sh does)";

  private final Path root;
  private final String version;
  private final String revision;

  private Distribution(Path root, String version, String revision) {
    this.root = root;
    this.version = version;
    this.revision = revision;
  }

  /** {@code <repo>/dist}, checked; fails with one line saying how to build it. */
  public static Distribution locate() throws IOException {
    Path repo = projectRoot();
    Path dist = repo.resolve("dist");
    if (!Files.isExecutable(dist.resolve("bin/ferry-executor")) || !Files.isRegularFile(dist.resolve("RELEASE"))) {
      throw new IllegalStateException("no usable distribution at " + dist + " (no bin/ferry-executor or RELEASE): "
          + HOW_TO_BUILD);
    }
    List<String> release = Files.readAllLines(dist.resolve("RELEASE"));
    String version = release.get(0).replaceFirst("^Ferry ", "").trim();
    String revision = release.stream().filter(l -> l.startsWith("Git revision: ")).findFirst()
        .map(l -> l.substring("Git revision: ".length())).orElse("unknown");
    Distribution d = new Distribution(dist, version, revision);
    d.checkNotOlderThanTheBuild(repo);
    return d;
  }

  /**
   * The distribution's Ferry jars must be the ones the modules last built: a {@code dist/} left
   * from an older commit would test old code. Jar timestamps are fixed for reproducibility, so
   * compare the classes (name and CRC of each; entry times differ between a reactor build and
   * make-distribution's, which uses the commit time).
   */
  private void checkNotOlderThanTheBuild(Path repo) throws IOException {
    try (Stream<Path> jars = Files.list(root.resolve("lib"))) {
      for (Path jar : jars.filter(p -> p.getFileName().toString().startsWith("ferry-")).toList()) {
        String name = jar.getFileName().toString();
        String module = name.substring("ferry-".length(), name.length() - ("-" + version + ".jar").length());
        Path built = repo.resolve(module).resolve("target").resolve(name);
        if (Files.isRegularFile(built) && !classes(built).equals(classes(jar))) {
          throw new IllegalStateException("the distribution at " + root + " (git revision " + revision + ") has a "
              + name + " whose classes differ from " + built + ": it is stale; " + HOW_TO_BUILD);
        }
      }
    }
  }

  private static java.util.Map<String, Long> classes(Path jar) throws IOException {
    java.util.Map<String, Long> crcs = new java.util.TreeMap<>();
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
      zip.stream().filter(e -> e.getName().endsWith(".class")).forEach(e -> crcs.put(e.getName(), e.getCrc()));
    }
    return crcs;
  }

  /** The repository root: the first ancestor of the working directory with scripts/make-distribution.sh. */
  public static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("scripts/make-distribution.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the Ferry repository above " + dir + ": " + HOW_TO_BUILD);
  }

  public Path root() {
    return root;
  }

  public String version() {
    return version;
  }

  /** {@code ferry-<version>-bin}: the archive's top-level directory. */
  public String topLevel() {
    return "ferry-" + version + "-bin";
  }

  public Path bin(String name) {
    return root.resolve("bin").resolve(name);
  }

  /** {@code dist/examples/ferry-examples-<version>.jar}. */
  public Path examplesJar() {
    return root.resolve("examples").resolve("ferry-examples-" + version + ".jar");
  }

  /** Writes {@code ferry-<version>-bin.tgz} (and its {@code .sha512}) into {@code dir}. */
  public Path buildArchive(Path dir) throws IOException {
    Path out = dir.resolve(topLevel() + ".tgz");
    TarballBuilder.forDirectory(root).topLevel(topLevel()).build(out);
    return out;
  }

  /** A file: URI as Mesos's fetcher takes it ({@code file:///...}). */
  public static String fileUri(Path file) {
    return "file://" + file.toAbsolutePath();
  }

  @Override
  public String toString() {
    return "Distribution[" + root + ", " + version + ", revision " + revision + "]";
  }
}
