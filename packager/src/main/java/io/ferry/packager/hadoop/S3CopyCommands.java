package io.ferry.packager.hadoop;

import static io.ferry.packager.hadoop.S3ShellSession.cannotList;
import static io.ferry.packager.hadoop.S3ShellSession.describe;
import static io.ferry.packager.hadoop.S3ShellSession.local;
import static io.ferry.packager.hadoop.S3ShellSession.notFound;

import io.ferry.packager.store.ObjectStore;
import io.ferry.packager.store.StoreException;
import io.ferry.packager.store.TransferListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The copy commands of the S3 shell, with FsShell's rules: one source may go to a new name, a
 * directory destination receives files under their own names, an existing file is kept unless
 * {@code -f}, and a local destination is written atomically ({@link AtomicLocalWrite}). Without
 * listing, an S3 "directory" destination is spelled with a trailing slash.
 */
final class S3CopyCommands {

  private S3CopyCommands() {}

  /** {@code -get} and {@code -copyToLocal}: S3 objects to local files, each written atomically. */
  static int get(S3ShellSession session, List<String> argv) {
    ShellOptions o = new ShellOptions(1, Integer.MAX_VALUE,
        Set.of("f", "p", "crc", "ignoreCrc"), Set.of("t", "q")).parse(argv);
    boolean overwrite = o.has("f");
    List<String> sources = o.args();
    String dstArg = sources.size() < 2 ? "." : sources.remove(sources.size() - 1);
    if (S3Path.isS3(dstArg) || isOtherUri(dstArg)) {
      session.fail("`" + dstArg + "': the destination of -" + session.name
          + " must be a local path");
      return session.exitCode();
    }
    Path dst = S3Path.local(dstArg);
    boolean dstIsDir = Files.isDirectory(dst);
    if (sources.size() > 1 && !dstIsDir) {
      session.fail(Files.exists(dst) ? "`" + dstArg + "': Is not a directory" : notFound(dstArg));
      return session.exitCode();
    }
    if (!dstIsDir && Files.exists(dst) && !overwrite) {
      session.fail("`" + dstArg + "': File exists");
      return session.exitCode();
    }
    if (!dstIsDir && !parentIsDirectory(dst)) {
      session.fail(notFound(dstArg));
      return session.exitCode();
    }
    for (String src : sources) {
      S3Path p = session.s3Argument(src);
      if (p == null) {
        continue;
      }
      if (p.isDirectoryLike()) {
        session.fail(cannotList(src));
        continue;
      }
      Path target = dstIsDir ? dst.resolve(p.name()) : dst;
      String targetText = dstIsDir ? child(dstArg, p.name()) : dstArg;
      if (dstIsDir && Files.exists(target) && !overwrite) {
        session.fail("`" + targetText + "': File exists");
        continue;
      }
      try {
        ObjectStore store = session.store(p);
        OptionalLong size = store.size(p.uri());
        if (size.isEmpty()) {
          session.fail(notFound(src));
          continue;
        }
        try (InputStream in = store.open(p.uri())) {
          AtomicLocalWrite.write(in, size.getAsLong(), target);
        }
      } catch (IOException | RuntimeException e) {
        session.fail(e instanceof StoreException ? describe(e) : local(targetText, e));
      }
    }
    return session.exitCode();
  }

  /** {@code -put} and {@code -copyFromLocal}: local files to S3 objects. */
  static int put(S3ShellSession session, List<String> argv) {
    ShellOptions o = new ShellOptions(2, Integer.MAX_VALUE,
        Set.of("f", "p", "l", "d"), Set.of("t", "q")).parse(argv);
    boolean overwrite = o.has("f");
    List<String> sources = o.args();
    String dstArg = sources.remove(sources.size() - 1);
    if (!S3Path.isS3(dstArg)) {
      session.fail("`" + dstArg + "': Ferry's shim copies local files to s3, s3a and s3n URIs; the"
          + " sources of -" + session.name + " must be local paths");
      return session.exitCode();
    }
    S3Path dst = session.s3Argument(dstArg);
    if (dst == null) {
      return session.exitCode();
    }
    // Without listing, a trailing slash is the only way to say "into this directory".
    boolean intoDirectory = sources.size() > 1 || dst.isDirectoryLike();
    for (String src : sources) {
      if (src.equals("-")) {
        session.fail("reading stdin (-) is not supported for S3 by Ferry's shim;"
            + " write it to a file first");
        continue;
      }
      if (S3Path.isS3(src) || isOtherUri(src)) {
        session.fail("`" + src + "': not a local file; -" + session.name + " copies local files");
        continue;
      }
      Path local = S3Path.local(src);
      if (!Files.exists(local)) {
        session.fail(notFound(src));
        continue;
      }
      if (Files.isDirectory(local)) {
        session.fail("`" + src + "': Is a directory; Ferry's shim uploads single files to S3");
        continue;
      }
      S3Path target = intoDirectory ? dst.child(local.getFileName().toString()) : dst;
      try {
        session.store(target).put(local, target.uri(), overwrite, TransferListener.NONE);
      } catch (StoreException e) {
        session.fail(e.kind() == StoreException.Kind.ALREADY_EXISTS
            ? "`" + target.text() + "': File exists" : describe(e));
      } catch (IOException | RuntimeException e) {
        session.fail(describe(e));
      }
    }
    return session.exitCode();
  }

  private static boolean isOtherUri(String arg) {
    return arg.contains("://") && !arg.startsWith("file:");
  }

  private static boolean parentIsDirectory(Path path) {
    Path parent = path.toAbsolutePath().getParent();
    return parent == null || Files.isDirectory(parent);
  }

  private static String child(String dir, String name) {
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }
}
