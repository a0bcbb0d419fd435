package io.ferry.mesos.local.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file system side of {@code /files/browse}, {@code /files/read} and {@code /files/download}:
 * Mesos's {@code FilesProcess::browse}, {@code _read} and {@code _download}, confined by
 * {@link SandboxFiles#resolve} and opened through {@link ConfinedFiles}. Blocking: runs on the
 * agent's files pool, never on an event loop.
 */
public final class SandboxReader {

  /** Mesos caps one read at 16 pages ({@code os::pagesize() * 16}): 64 KiB with 4 KiB pages. */
  public static final int MAX_READ = 16 * 4096;

  private static final Logger LOG = LoggerFactory.getLogger(SandboxReader.class);

  /** What {@link #download} gives: the file to send, or the answer that refuses it. */
  public sealed interface Outcome permits Answer, Download {}

  /** An answer: the status and the body (JSON for 200, Mesos's text otherwise). */
  public record Answer(int status, byte[] body) implements Outcome {
    static Answer text(int status, String text) {
      return new Answer(status, text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A file opened for {@code /files/download}: the caller owns (and closes) the channel. */
  public record Download(FileChannel channel, long size, String basename) implements Outcome {}

  private final SandboxFiles files;

  public SandboxReader(SandboxFiles files) {
    this.files = files;
  }

  /** The listing of a directory, sorted by name; a file lists as {@code []}, as in Mesos. */
  public Answer browse(String requested) {
    SandboxFiles.Resolution r = files.resolve(requested);
    if (!(r instanceof SandboxFiles.Found found)) {
      return refusal(r);
    }
    String base = requested.endsWith("/") ? requested.substring(0, requested.length() - 1) : requested;
    List<FileEntry> entries = new ArrayList<>();
    try (SecureDirectoryStream<Path> dir = ConfinedFiles.directory(found.root(), found.relative())) {
      for (Path entry : dir) {
        Path name = entry.getFileName();
        entry(found, dir, name).ifPresent(attributes -> {
          try {
            entries.add(FileEntry.of(base + "/" + name, attributes.attributes(), attributes.statPath()));
          } catch (IOException e) {
            LOG.debug("Found {} in ls but stat failed: {}", Printable.of(found.real().resolve(name)),
                Printable.of(e.toString()));
          }
        });
      }
    } catch (IOException | RuntimeException notADirectory) {
      // Mesos lists nothing when os::ls fails (a file, or a directory gone meanwhile).
      entries.clear();
    }
    entries.sort(Comparator.comparing(e -> e.path().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
    JsonBytes json = new JsonBytes().beginArray();
    entries.forEach(e -> e.writeTo(json));
    return new Answer(200, json.endArray().bytes());
  }

  private record EntryAttributes(PosixFileAttributes attributes, Path statPath) {}

  /**
   * What Mesos's {@code stat} shows for one entry: a symlink is followed when its target is inside
   * the same root (its target's attributes), shown as the link itself when it points outside (Mesos
   * would stat the outside file; nothing about it is shown here), skipped when dangling (as Mesos's
   * failed {@code stat}).
   */
  private static Optional<EntryAttributes> entry(SandboxFiles.Found found, SecureDirectoryStream<Path> dir, Path name) {
    Path absolute = found.real().resolve(name);
    try {
      PosixFileAttributes own = ConfinedFiles.attributes(dir, name);
      if (!own.isSymbolicLink()) {
        return Optional.of(new EntryAttributes(own, absolute));
      }
      Path target;
      try {
        target = absolute.toRealPath();
      } catch (IOException dangling) {
        return Optional.empty();
      }
      if (!target.startsWith(found.root())) {
        return Optional.of(new EntryAttributes(own, absolute));
      }
      Path relative = found.root().relativize(target);
      PosixFileAttributes followed = relative.toString().isEmpty()
          ? Files.readAttributes(found.root(), PosixFileAttributes.class)
          : ConfinedFiles.attributes(found.root(), relative);
      return Optional.of(new EntryAttributes(followed, target));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Mesos's {@code _read}: up to {@code length} bytes (to the end when empty; at most
   * {@link #MAX_READ}) from {@code offset}; {@code offset} at or past the end gives no data. The
   * answer's {@code offset} is {@code reportedOffset} when present, else the file's size (how a
   * client learns it).
   */
  public Answer read(String requested, long offset, OptionalLong length, OptionalLong reportedOffset) {
    Opened opened = open(requested, "read");
    if (opened.refusal != null) {
      return opened.refusal;
    }
    try (SeekableByteChannel channel = opened.channel) {
      long size = channel.size();
      byte[] data = new byte[0];
      int n = 0;
      if (offset < size) {
        long wanted = length.isPresent() ? length.getAsLong() : size - offset;
        int capped = (int) Math.min(wanted, MAX_READ);
        data = new byte[capped];
        channel.position(offset);
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining() && channel.read(buffer) > 0) {
          // a regular file gives what it has; a short read ends at its end
        }
        n = buffer.position();
      }
      JsonBytes json = new JsonBytes().beginObject()
          .key("data").value(data, 0, n)
          .key("offset").value(reportedOffset.orElse(size))
          .endObject();
      return new Answer(200, json.bytes());
    } catch (IOException e) {
      LOG.warn("Failed to read file at '{}': {}", Printable.of(opened.path), Printable.of(e.toString()));
      return Answer.text(500, "Failed to read file at '" + opened.path + "': " + e.getMessage() + ".\n");
    }
  }

  /** Mesos's {@code _download}: the whole file, or the refusal. */
  public Outcome download(String requested) {
    Opened opened = open(requested, "download");
    if (opened.refusal != null) {
      return opened.refusal;
    }
    try {
      if (!(opened.channel instanceof FileChannel fileChannel)) {
        opened.channel.close();
        return Answer.text(500, "Failed to open file at '" + opened.path + "': not a file channel.\n");
      }
      return new Download(fileChannel, fileChannel.size(), opened.path.getFileName().toString());
    } catch (IOException e) {
      try {
        opened.channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      return Answer.text(500, "Failed to open file at '" + opened.path + "': " + e.getMessage() + ".\n");
    }
  }

  /** A regular file opened for reading, or the answer that refuses it. */
  private record Opened(SeekableByteChannel channel, Path path, Answer refusal) {}

  private Opened open(String requested, String verb) {
    SandboxFiles.Resolution r = files.resolve(requested);
    if (!(r instanceof SandboxFiles.Found found)) {
      return new Opened(null, null, refusal(r));
    }
    Path relative = found.relative();
    Answer directory = Answer.text(400, "Cannot " + verb + " a directory.\n");
    if (relative.toString().isEmpty()) {
      return new Opened(null, found.real(), directory);
    }
    try (SecureDirectoryStream<Path> parent = ConfinedFiles.directory(found.root(), ConfinedFiles.parentOf(relative))) {
      Path name = relative.getFileName();
      PosixFileAttributes attributes = ConfinedFiles.attributes(parent, name);
      if (attributes.isDirectory()) {
        return new Opened(null, found.real(), directory);
      }
      if (attributes.isSymbolicLink()) {
        // Replaced by a link since it was resolved: nothing is followed.
        return new Opened(null, found.real(), new Answer(404, new byte[0]));
      }
      if (!attributes.isRegularFile()) {
        // A FIFO would block the reader until someone writes to it; Mesos would wait.
        return new Opened(null, found.real(), Answer.text(400, "Cannot " + verb + " '" + requested
            + "': not a regular file.\n"));
      }
      return new Opened(ConfinedFiles.open(parent, name), found.real(), null);
    } catch (NoSuchFileException | java.nio.file.NotDirectoryException gone) {
      return new Opened(null, found.real(), new Answer(404, new byte[0]));
    } catch (FileSystemException e) {
      // ELOOP: a component became a symlink between resolving and opening.
      if (e.getReason() != null && e.getReason().contains("symbolic links")) {
        return new Opened(null, found.real(), new Answer(404, new byte[0]));
      }
      LOG.warn("Failed to open file at '{}': {}", Printable.of(found.real()), Printable.of(e.toString()));
      return new Opened(null, found.real(), Answer.text(500, "Failed to open file at '" + found.real() + "': "
          + e.getReason() + ".\n"));
    } catch (IOException e) {
      LOG.warn("Failed to open file at '{}': {}", Printable.of(found.real()), Printable.of(e.toString()));
      return new Opened(null, found.real(), Answer.text(500, "Failed to open file at '" + found.real() + "': "
          + e.getMessage() + ".\n"));
    }
  }

  private static Answer refusal(SandboxFiles.Resolution r) {
    if (r instanceof SandboxFiles.Invalid invalid) {
      return Answer.text(400, invalid.message() + ".\n");
    }
    return new Answer(404, new byte[0]);
  }
}
