package io.ferry.packager;

import io.ferry.packager.internal.ParallelGzipOutputStream;
import io.ferry.packager.internal.ZipDataRanges;
import io.ferry.packager.store.TransferListener;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a directory as a deterministic {@code .tgz}: the same tree gives the same bytes.
 *
 * <p>Entries sit under one top-level directory and are sorted by path; every entry has the same
 * mtime ({@code SOURCE_DATE_EPOCH}), uid and gid 0 with no user or group names, and a normalised
 * mode: 0755 for directories and for everything under {@code bin/}, 0644 for other files.
 * Compression is {@link ParallelGzipOutputStream}, whose output does not depend on the thread
 * count. The archive is written to a temporary sibling and renamed into place, so a failed build
 * never leaves a half-written file under the final name. A {@code .sha512} sidecar in
 * {@code sha512sum} format is written beside it.
 *
 * <pre>{@code
 * Path tgz = TarballBuilder.forDirectory(Path.of("dist"))
 *     .topLevel("ferry-0.1.0-bin")
 *     .mtime(Instant.ofEpochSecond(sourceDateEpoch))
 *     .build(Path.of("ferry-0.1.0-bin.tgz"));
 * }</pre>
 */
public final class TarballBuilder {

  private static final int BUFFER = 256 * 1024;
  /** Jars up to this size are mapped to find their compressed entry data; larger ones are not. */
  private static final int ZIP_AWARE_LIMIT = 64 * 1024 * 1024;
  /**
   * The default for {@link #storeEntriesOf}: a jar entry's compressed data of at least this many
   * bytes is stored, not deflated again. Chosen by measurement on dist/ (BENCHMARKS.md, packaging):
   * each stored entry costs a few bytes of block framing and a window update.
   */
  public static final int DEFAULT_STORE_MINIMUM = 256;

  private final Path source;
  private String topLevel;
  private Instant mtime = Instant.EPOCH;
  private int level = 6;
  private int threads = Runtime.getRuntime().availableProcessors();
  private int blockSize = ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE;
  private TransferListener listener = TransferListener.NONE;
  private int storeMinimum = DEFAULT_STORE_MINIMUM;

  private TarballBuilder(Path source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  public static TarballBuilder forDirectory(Path source) {
    return new TarballBuilder(source);
  }

  /** The single top-level directory in the archive; default: the output name minus .tgz. */
  public TarballBuilder topLevel(String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("topLevel: '" + name + "' (expected: a plain directory name)");
    }
    this.topLevel = name;
    return this;
  }

  /** The mtime of every entry, whole seconds. */
  public TarballBuilder mtime(Instant mtime) {
    if (mtime.isBefore(Instant.EPOCH)) {
      throw new IllegalArgumentException("mtime: " + mtime + " (expected: not before 1970)");
    }
    this.mtime = mtime;
    return this;
  }

  public TarballBuilder level(int level) {
    if (level < 1 || level > 9) {
      throw new IllegalArgumentException("level: " + level + " (expected: 1 to 9)");
    }
    this.level = level;
    return this;
  }

  public TarballBuilder threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    this.threads = threads;
    return this;
  }

  public TarballBuilder blockSize(int blockSize) {
    this.blockSize = blockSize;
    return this;
  }

  /**
   * Jar and zip entries whose compressed data is at least {@code minimum} bytes are copied into
   * the gzip stream as STORED blocks rather than deflated a second time (which gains about 0.4%
   * on such data at the full cost of deflate); 0 disables it. The archive is an ordinary gzip
   * stream either way.
   */
  public TarballBuilder storeEntriesOf(int minimum) {
    if (minimum < 0) {
      throw new IllegalArgumentException("storeEntriesOf: " + minimum + " (expected: >= 0; 0 disables)");
    }
    this.storeMinimum = minimum;
    return this;
  }

  public TarballBuilder listener(TransferListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** The name of an archive's top-level directory: its file name minus {@code .tgz}/{@code .tar.gz}. */
  public static String defaultTopLevel(Path out) {
    String name = out.getFileName().toString();
    for (String ext : new String[] {".tar.gz", ".tgz"}) {
      if (name.endsWith(ext) && name.length() > ext.length()) {
        return name.substring(0, name.length() - ext.length());
      }
    }
    throw new IllegalArgumentException(
        "out: '" + name + "' (expected: a file name ending in .tgz or .tar.gz)");
  }

  /** The sidecar path for an archive: {@code <archive>.sha512}. */
  public static Path sidecar(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".sha512");
  }

  /** A sidecar line as {@code sha512sum} prints it, so {@code sha512sum -c} checks it. */
  public static String sidecarLine(String hex, String fileName) {
    return hex + "  " + fileName + "\n";
  }

  /**
   * Writes the archive and its sidecar; returns the SHA-512 of the archive as hex.
   *
   * @throws IOException naming the file that could not be read or written
   */
  public String build(Path out) throws IOException {
    if (!Files.isDirectory(source)) {
      throw new IOException("build: " + source + " is not a directory; pass the dist/ directory");
    }
    String top = topLevel != null ? topLevel : defaultTopLevel(out);
    List<Entry> entries = scan(top);
    long total = 0;
    for (Entry e : entries) {
      total += e.size;
    }
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + out.getFileName() + ".tmp");
    MessageDigest sha512 = Sha512.newDigest();
    boolean ok = false;
    listener.started(out.toString(), total);
    try {
      try (OutputStream file = Files.newOutputStream(temp);
          DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(file, BUFFER), sha512);
          ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(digest, level, threads, blockSize);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, BUFFER, "UTF-8")) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        byte[] buf = new byte[BUFFER];
        for (Entry e : entries) {
          writeEntry(tar, gzip, e, buf);
        }
        tar.finish();
      }
      String hex = HexFormat.of().formatHex(sha512.digest());
      Path sidecarTemp = dir.resolve("." + out.getFileName() + ".sha512.tmp");
      Files.writeString(sidecarTemp, sidecarLine(hex, out.getFileName().toString()));
      Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.move(sidecarTemp, sidecar(out), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      ok = true;
      return hex;
    } finally {
      if (!ok) {
        Files.deleteIfExists(temp);
        Files.deleteIfExists(dir.resolve("." + out.getFileName() + ".sha512.tmp"));
      }
      listener.finished(ok);
    }
  }

  private void writeEntry(TarArchiveOutputStream tar, ParallelGzipOutputStream gzip, Entry e, byte[] buf)
      throws IOException {
    TarArchiveEntry t;
    if (e.kind == Kind.SYMLINK) {
      t = new TarArchiveEntry(e.name, TarConstants.LF_SYMLINK);
      t.setLinkName(e.linkTarget);
      t.setMode(0120777);
    } else if (e.kind == Kind.DIRECTORY) {
      t = new TarArchiveEntry(e.name + "/");
      t.setMode(040755);
    } else {
      t = new TarArchiveEntry(e.name);
      t.setMode(e.executable ? 0100755 : 0100644);
      t.setSize(e.size);
    }
    t.setModTime(mtime.getEpochSecond() * 1000);
    t.setIds(0, 0);
    t.setUserName("");
    t.setGroupName("");
    tar.putArchiveEntry(t);
    if (e.kind == Kind.FILE && storeMinimum > 0 && e.size <= ZIP_AWARE_LIMIT && isZip(e.name)) {
      // The tar header is whole 512-byte records, so the entry's data starts at gzip's input offset.
      writeZip(tar, gzip.bytesIn(), gzip, e, buf);
    } else if (e.kind == Kind.FILE) {
      long copied = 0;
      try (InputStream in = Files.newInputStream(e.path)) {
        for (int n; (n = in.read(buf)) > 0; ) {
          tar.write(buf, 0, n);
          copied += n;
          listener.transferred(n);
        }
      }
      if (copied != e.size) {
        throw changedSize(e, copied);
      }
    }
    tar.closeArchiveEntry();
  }

  /**
   * A jar's bytes come from a read-only mapping of the file: its central directory gives the
   * ranges to store, and the data is copied from the page cache into the archive without a
   * buffer the size of the jar (whose fresh pages cost more than the copy on a new JVM).
   */
  private void writeZip(TarArchiveOutputStream tar, long offset, ParallelGzipOutputStream gzip, Entry e, byte[] buf)
      throws IOException {
    int size = (int) e.size;
    try (FileChannel channel = FileChannel.open(e.path, StandardOpenOption.READ)) {
      long now = channel.size();
      if (now != size) {
        throw changedSize(e, now);
      }
      MappedByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      try {
        if (offset % TarConstants.DEFAULT_RCDSIZE == 0) {
          long[] ranges = ZipDataRanges.find(bytes, storeMinimum);
          for (int i = 0; i < ranges.length; i += 2) {
            gzip.storeRange(offset + ranges[i], offset + ranges[i + 1]);
          }
        }
        for (int off = 0; off < size; off += buf.length) {
          int n = Math.min(buf.length, size - off);
          bytes.get(off, buf, 0, n);
          tar.write(buf, 0, n);
          listener.transferred(n);
        }
        if (channel.size() != size) {
          throw changedSize(e, channel.size());
        }
      } catch (InternalError fault) {
        // The JVM's answer to SIGBUS: the file was truncated under the mapping.
        throw changedSize(e, channel.size());
      }
    }
  }

  private static IOException changedSize(Entry e, long now) {
    return new IOException("build: " + e.path + " changed size while being archived ("
        + e.size + " -> " + now + " bytes); rebuild once nothing writes to the directory");
  }

  private static boolean isZip(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return lower.endsWith(".jar") || lower.endsWith(".zip");
  }

  /**
   * Every entry under {@code top}, sorted by name. Walked with directory streams and sorted by a
   * record's natural order, not with {@code Files.walk} and a lambda: in a new JVM the first stream
   * pipeline and the first lambda load about 150 classes, some 30 ms before the first byte.
   */
  private List<Entry> scan(String top) throws IOException {
    Path root = source.toAbsolutePath().normalize();
    List<Entry> entries = new ArrayList<>();
    entries.add(new Entry(top, root, Kind.DIRECTORY, 0, false, null));
    walk(root, root, top, entries);
    Collections.sort(entries);
    return entries;
  }

  private static void walk(Path root, Path dir, String top, List<Entry> entries) throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path p : children) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        String name = top + "/" + rel;
        if (Files.isSymbolicLink(p)) {
          entries.add(symlink(root, p, name));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          entries.add(new Entry(name, p, Kind.DIRECTORY, 0, false, null));
          walk(root, p, top, entries);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          boolean exec = rel.startsWith("bin/");
          entries.add(new Entry(name, p, Kind.FILE, Files.size(p), exec, null));
        } else {
          throw new IOException("build: " + p + " is neither a file, a directory nor a link; remove it from " + root);
        }
      }
    }
  }

  private static Entry symlink(Path root, Path link, String name) throws IOException {
    Path target = Files.readSymbolicLink(link);
    Path resolved = link.getParent().resolve(target).normalize();
    if (target.isAbsolute() || !resolved.startsWith(root)) {
      throw new IOException("build: symbolic link " + link + " -> " + target
          + " points outside " + root + "; an archive must not reach out of its directory: copy the file instead");
    }
    return new Entry(name, link, Kind.SYMLINK, 0, false, target.toString().replace('\\', '/'));
  }

  private enum Kind { FILE, DIRECTORY, SYMLINK }

  private record Entry(String name, Path path, Kind kind, long size, boolean executable, String linkTarget)
      implements Comparable<Entry> {
    @Override
    public int compareTo(Entry other) {
      return name.compareTo(other.name);
    }
  }
}
