package io.ferry.mesos.local.fetcher.internal;

import java.util.List;

/**
 * What extraction does with a file, decided by its name's ending exactly as Mesos decides it
 * (case-sensitive, and a query string left in the name defeats it).
 */
public enum ArchiveFormat {
  TAR(".tar"),
  TAR_GZ(".tgz", ".tar.gz"),
  TAR_BZIP2(".tbz2", ".tar.bz2"),
  TAR_XZ(".txz", ".tar.xz"),
  ZIP(".zip"),
  /** A bare gzip file, gunzipped beside the archive's contents. */
  GZIP(".gz"),
  /** Not an archive: left as it is. */
  NONE;

  private final List<String> endings;

  ArchiveFormat(String... endings) {
    this.endings = List.of(endings);
  }

  /** The format of a file called {@code name}; archives win over a bare {@code .gz}. */
  public static ArchiveFormat of(String name) {
    for (ArchiveFormat format : values()) {
      for (String ending : format.endings) {
        if (name.endsWith(ending)) {
          return format;
        }
      }
    }
    return NONE;
  }

  /** Whether this is an archive unpacked into the sandbox root. */
  public boolean isArchive() {
    return this != GZIP && this != NONE;
  }
}
