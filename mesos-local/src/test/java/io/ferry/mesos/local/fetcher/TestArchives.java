package io.ferry.mesos.local.fetcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/**
 * Builds archives for tests, including ones no honest tool makes: absolute names, {@code ..},
 * links out of the tree, devices. Names are written exactly as given.
 */
public final class TestArchives {

  /** How a tar is compressed; chosen by the file name's ending. */
  private enum Compression {
    NONE, GZIP, BZIP2, XZ
  }

  private interface EntryWriter {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  /** A tar being described; {@link #writeTo} picks the compression from the name. */
  public static final class Tar {
    private final List<EntryWriter> entries = new ArrayList<>();

    public Tar file(String name, String content) {
      return file(name, content, 0644);
    }

    public Tar file(String name, String content, int mode) {
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      entries.add(tar -> {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setMode(0100000 | mode);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
      });
      return this;
    }

    public Tar dir(String name, int mode) {
      entries.add(tar -> {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/",
            TarConstants.LF_DIR, true);
        e.setMode(040000 | mode);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
      });
      return this;
    }

    public Tar symlink(String name, String target) {
      return link(name, target, TarConstants.LF_SYMLINK);
    }

    public Tar hardLink(String name, String target) {
      return link(name, target, TarConstants.LF_LINK);
    }

    public Tar special(String name, byte type) {
      entries.add(tar -> {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
      });
      return this;
    }

    private Tar link(String name, String target, byte type) {
      entries.add(tar -> {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
      });
      return this;
    }

    /** Writes the archive; {@code .tgz}/{@code .gz}, {@code .tbz2}/{@code .bz2}, {@code .txz}/{@code .xz} compress. */
    public Path writeTo(Path path) throws IOException {
      Files.createDirectories(path.toAbsolutePath().getParent());
      try (OutputStream file = Files.newOutputStream(path);
          OutputStream out = compressor(file, compression(path.getFileName().toString()));
          TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (EntryWriter entry : entries) {
          entry.write(tar);
        }
      }
      return path;
    }
  }

  /** A zip being described. */
  public static final class Zip {
    private final List<ZipArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    public Zip file(String name, String content, int unixMode) {
      ZipArchiveEntry e = new ZipArchiveEntry(name);
      if (unixMode != 0) {
        e.setUnixMode(0100000 | unixMode);
      }
      return add(e, content);
    }

    public Zip dir(String name) {
      ZipArchiveEntry e = new ZipArchiveEntry(name.endsWith("/") ? name : name + "/");
      e.setUnixMode(040755);
      return add(e, "");
    }

    public Zip symlink(String name, String target) {
      ZipArchiveEntry e = new ZipArchiveEntry(name);
      e.setUnixMode(0120777);
      return add(e, target);
    }

    /** An entry whose unix mode says character device. */
    public Zip device(String name) {
      ZipArchiveEntry e = new ZipArchiveEntry(name);
      e.setUnixMode(020644);
      return add(e, "");
    }

    private Zip add(ZipArchiveEntry e, String content) {
      entries.add(e);
      contents.add(content.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    public Path writeTo(Path path) throws IOException {
      Files.createDirectories(path.toAbsolutePath().getParent());
      try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(path))) {
        for (int i = 0; i < entries.size(); i++) {
          zip.putArchiveEntry(entries.get(i));
          zip.write(contents.get(i));
          zip.closeArchiveEntry();
        }
      }
      return path;
    }
  }

  private TestArchives() {}

  public static Tar tar() {
    return new Tar();
  }

  public static Zip zip() {
    return new Zip();
  }

  /** A gzip of {@code content} (not a tar). */
  public static Path gzip(Path path, String content) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(path))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return path;
  }

  private static Compression compression(String name) {
    if (name.endsWith(".tgz") || name.endsWith(".gz")) {
      return Compression.GZIP;
    }
    if (name.endsWith(".tbz2") || name.endsWith(".bz2")) {
      return Compression.BZIP2;
    }
    if (name.endsWith(".txz") || name.endsWith(".xz")) {
      return Compression.XZ;
    }
    return Compression.NONE;
  }

  private static OutputStream compressor(OutputStream out, Compression compression)
      throws IOException {
    return switch (compression) {
      case NONE -> out;
      case GZIP -> new GZIPOutputStream(out);
      case BZIP2 -> new BZip2CompressorOutputStream(out);
      case XZ -> new XZCompressorOutputStream(out);
    };
  }
}
