package io.ferry.packager.cli;

import io.ferry.packager.TarballBuilder;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry-package build DIR --out FILE.tgz}. */
@Command(name = "build", mixinStandardHelpOptions = true,
    description = {"Writes DIR as a deterministic .tgz plus a .sha512 sidecar.",
        "Entries are sorted, owned by 0:0, dated SOURCE_DATE_EPOCH, with modes 0755 (directories, bin/*) or 0644."})
final class BuildCommand implements Callable<Integer> {

  /** {@code --level}'s default, for picocli and for {@link PlainBuildArgs}. */
  static final String DEFAULT_LEVEL = "6";

  @Parameters(index = "0", paramLabel = "DIR", description = "The directory to archive (e.g. dist/).")
  Path dir;

  @Option(names = "--out", required = true, paramLabel = "FILE.tgz", description = "The archive to write.")
  Path out;

  @Option(names = "--top-level", paramLabel = "NAME",
      description = "The archive's single top-level directory (default: the file name minus .tgz).")
  String topLevel;

  @Option(names = "--source-date-epoch", paramLabel = "SECONDS",
      description = "mtime of every entry (default: env SOURCE_DATE_EPOCH, else the newest mtime in DIR).")
  Long sourceDateEpoch;

  @Option(names = "--level", paramLabel = "1-9", defaultValue = DEFAULT_LEVEL, description = "gzip level (default: ${DEFAULT-VALUE}).")
  int level;

  @Option(names = "--threads", paramLabel = "N", description = "Compression threads (default: the number of cores). The bytes written do not depend on it.")
  Integer threads;

  private final FerryPackage root;

  BuildCommand(FerryPackage root) {
    this.root = root;
  }

  @Override
  public Integer call() throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("DIR: " + dir + " is not a directory");
    }
    TarballBuilder builder = TarballBuilder.forDirectory(dir)
        .mtime(Instant.ofEpochSecond(epoch()))
        .level(level)
        .listener(root.progress("archiving"));
    if (topLevel != null) {
      builder.topLevel(topLevel);
    } else {
      TarballBuilder.defaultTopLevel(out);
    }
    if (threads != null) {
      builder.threads(threads);
    }
    String sha = builder.build(out);
    root.out().println(out + " sha512=" + sha);
    return ExitCodes.OK;
  }

  private long epoch() throws IOException {
    if (sourceDateEpoch != null) {
      return sourceDateEpoch;
    }
    String env = root.env().get("SOURCE_DATE_EPOCH");
    if (env != null && !env.isBlank()) {
      try {
        return Long.parseLong(env.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("SOURCE_DATE_EPOCH: '" + env + "' (expected: whole seconds since 1970)");
      }
    }
    // A visitor, not Files.walk and a lambda: see TarballBuilder.scan.
    long[] newest = {0};
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
        newest[0] = Math.max(newest[0], seconds(d));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        newest[0] = Math.max(newest[0], seconds(file));
        return FileVisitResult.CONTINUE;
      }
    });
    return newest[0];
  }

  /** A path's mtime in whole seconds (through a symbolic link), 0 if it cannot be read. */
  private static long seconds(Path p) {
    try {
      return Files.getLastModifiedTime(p).toInstant().getEpochSecond();
    } catch (IOException e) {
      return 0;
    }
  }
}
