package io.ferry.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a job test needs, under its directory: the distribution, its archive
 * ({@code archive/ferry-<version>-bin.tgz}), the application jar ({@code app/}), a ledger
 * ({@code ledger/}) and driver settings with {@code work/} as the local-cluster directory.
 */
public record JobSetup(Path dir, Distribution dist, Path archive, Path appJar, Ledger ledger) {

  public static JobSetup in(Path dir) throws IOException {
    Distribution dist = Distribution.locate();
    Path archive = dist.buildArchive(Files.createDirectories(dir.resolve("archive")));
    Path appJar = AppJar.build(Files.createDirectories(dir.resolve("app")));
    return new JobSetup(dir, dist, archive, appJar, new Ledger(Files.createDirectories(dir.resolve("ledger"))));
  }

  /** The archive as agents fetch it ({@code file:///...}). */
  public String archiveUri() {
    return Distribution.fileUri(archive);
  }

  /** {@link Jobs#settings} for {@code master} with this archive and jar, plus {@code keysAndValues}. */
  public Map<String, String> settings(String master, boolean coarse, String... keysAndValues) {
    return Jobs.with(Jobs.settings(master, archiveUri(), coarse, appJar, dir.resolve("work")), keysAndValues);
  }
}
