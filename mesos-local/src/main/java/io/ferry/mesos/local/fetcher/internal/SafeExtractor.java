package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Enumeration;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Unpacks {@code .tar}, {@code .tgz}/{@code .tar.gz}, {@code .tbz2}/{@code .tar.bz2},
 * {@code .txz}/{@code .tar.xz} and {@code .zip} into the sandbox root, and gunzips bare
 * {@code .gz} files, with commons-compress. Every entry goes through {@link SandboxWriter}, which
 * refuses anything that would land outside the sandbox; special files are refused here by type.
 * A refused entry fails the whole fetch; entries before it stay in the sandbox, as with tar.
 */
public final class SafeExtractor {

  /** Unix file-type bits of a zip entry's mode. */
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;

  private SafeExtractor() {}

  /**
   * Unpacks {@code archive} into {@code sandbox}.
   *
   * @param name the archive's name for messages (its local name, e.g. {@code ferry.tgz})
   */
  public static void extract(Path archive, ArchiveFormat format, Path sandbox, String name,
      FetchBudget budget) throws FetchException, IOException {
    SandboxWriter writer = new SandboxWriter(sandbox.toRealPath(), name, budget);
    if (format == ArchiveFormat.ZIP) {
      unzip(archive, writer, name);
    } else if (format.isArchive()) {
      untar(archive, format, writer, name);
    } else {
      throw new IllegalArgumentException("not an archive format: " + format);
    }
    writer.finish();
  }

  /**
   * Gunzips {@code gz} to {@code target} (replacing what is there), atomically: over the budget
   * or damaged, nothing is left at {@code target}.
   */
  public static void gunzip(Path gz, Path target, String name, FetchBudget budget)
      throws FetchException, IOException {
    AtomicFile.write(target, temp -> {
      try (InputStream file = new BufferedInputStream(Files.newInputStream(gz))) {
        InputStream in;
        try {
          // Reads the header; concatenated members are all decompressed, as gunzip does.
          in = GzipCompressorInputStream.builder().setInputStream(file)
              .setDecompressConcatenated(true).get();
        } catch (IOException e) {
          throw ArchiveDamage.of(name, "", e);
        }
        ByteCopy.copy(in, temp, budget, "gunzipping '" + ReasonText.quote(name) + "'", n -> { },
            e -> ArchiveDamage.of(name, "", e));
      }
    });
  }

  private static void untar(Path archive, ArchiveFormat format, SandboxWriter writer,
      String name) throws FetchException, IOException {
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
        InputStream raw = decompressed(file, format, name);
        TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
      String previous = null;
      while (true) {
        TarArchiveEntry entry;
        try {
          entry = tar.getNextEntry();
        } catch (IOException e) {
          throw ArchiveDamage.of(name, previous == null ? " before its first entry"
              : " after entry '" + ReasonText.quote(previous) + "'", e);
        }
        if (entry == null) {
          return;
        }
        previous = entry.getName();
        FileTime modified = entry.getLastModifiedTime();
        String entryName = entry.getName();
        if (entry.isSymbolicLink()) {
          writer.symlink(entryName, entry.getLinkName());
        } else if (entry.isLink()) {
          writer.hardLink(entryName, entry.getLinkName());
        } else if (entry.isDirectory()) {
          writer.directory(entryName, entry.getMode(), modified);
        } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
          throw writer.refuse(entryName, "is a " + special(entry)
              + "; archives may hold only files, directories and links");
        } else if (entry.isFile()) {
          writer.file(entryName, tar, entry.getMode(), modified);
        } else {
          throw writer.refuse(entryName, "has an unsupported type '"
              + ReasonText.quote(String.valueOf((char) entry.getLinkFlag()))
              + "'; archives may hold only files, directories and links");
        }
      }
    }
  }

  private static InputStream decompressed(InputStream in, ArchiveFormat format, String name)
      throws FetchException {
    try {
      return switch (format) {
        case TAR -> in;
        case TAR_GZ -> GzipCompressorInputStream.builder().setInputStream(in)
            .setDecompressConcatenated(true).get();
        case TAR_BZIP2 -> new BZip2CompressorInputStream(in, true);
        case TAR_XZ -> XZCompressorInputStream.builder().setInputStream(in)
            .setDecompressConcatenated(true).get();
        default -> throw new IllegalArgumentException("not a tar format: " + format);
      };
    } catch (IOException e) {
      throw ArchiveDamage.of(name, "", e);
    }
  }

  private static void unzip(Path archive, SandboxWriter writer, String name)
      throws FetchException, IOException {
    ZipFile zip;
    try {
      zip = ZipFile.builder().setPath(archive).get();
    } catch (IOException e) {
      throw ArchiveDamage.of(name, "", e);
    }
    try (zip) {
      Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
      while (entries.hasMoreElements()) {
        ZipArchiveEntry entry = entries.nextElement();
        String entryName = entry.getName();
        int unixMode = entry.getUnixMode();
        int type = unixMode & S_IFMT;
        FileTime modified = entry.getLastModifiedTime();
        if (entry.isUnixSymlink()) {
          writer.symlink(entryName, zip.getUnixSymlink(entry));
        } else if (entry.isDirectory()) {
          writer.directory(entryName, unixMode & 07777, modified);
        } else if (type != 0 && type != S_IFREG && type != S_IFDIR && type != S_IFLNK) {
          throw writer.refuse(entryName, "is a special file (mode "
              + Integer.toOctalString(unixMode)
              + "); archives may hold only files, directories and links");
        } else if (!zip.canReadEntryData(entry)) {
          throw writer.refuse(entryName, "uses encryption or a compression method that cannot"
              + " be read");
        } else {
          InputStream in;
          try {
            in = zip.getInputStream(entry);
          } catch (IOException e) {
            throw ArchiveDamage.of(name, " in entry '" + ReasonText.quote(entryName) + "'", e);
          }
          try (in) {
            writer.file(entryName, in, unixMode & 07777, modified);
          }
        }
      }
    }
  }

  private static String special(TarArchiveEntry entry) {
    if (entry.isCharacterDevice()) {
      return "character device";
    }
    return entry.isBlockDevice() ? "block device" : "FIFO";
  }
}
