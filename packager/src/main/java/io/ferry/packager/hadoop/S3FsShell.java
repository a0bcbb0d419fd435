package io.ferry.packager.hadoop;

import static io.ferry.packager.hadoop.S3ShellSession.cannotList;
import static io.ferry.packager.hadoop.S3ShellSession.describe;
import static io.ferry.packager.hadoop.S3ShellSession.notFound;

import io.ferry.packager.hadoop.ShellOptions.UsageException;
import io.ferry.packager.store.ObjectStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.hadoop.util.StringUtils.TraditionalBinaryPrefix;

/**
 * Ferry's own {@code hadoop fs} for {@code s3://}, {@code s3a://} and {@code s3n://} URIs, on top
 * of an {@link ObjectStore}: the commands a Mesos agent runs ({@code -test -e}, {@code -du},
 * {@code -copyToLocal}, {@code -copyFromLocal}, {@code -rm}) plus {@code -get}, {@code -put} and
 * {@code -ls} for people. Options, messages, output and exit codes follow Hadoop 3's FsShell:
 * errors are {@code <command>: <message>} on stderr with exit 1, usage errors exit -1.
 *
 * <p>It works on single objects: an {@link ObjectStore} cannot list, so prefixes ("directories")
 * are not expanded, globs are not matched, and {@code -ls} shows no modification time (it prints
 * the epoch). Use hadoop-aws or the AWS CLI for trees.
 */
final class S3FsShell {

  /** Opens the store serving one S3 URI. */
  @FunctionalInterface
  interface StoreOpener {
    ObjectStore open(URI uri) throws IOException;
  }

  static final Map<String, String> USAGES = usages();

  private static final DateTimeFormatter LS_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private final StoreOpener opener;
  private final PrintStream out;
  private final PrintStream err;

  S3FsShell(StoreOpener opener, PrintStream out, PrintStream err) {
    this.opener = opener;
    this.out = out;
    this.err = err;
  }

  /** Runs one command; {@code argv} starts with the command, e.g. {@code -copyToLocal}. */
  int run(List<String> argv) {
    String command = argv.get(0);
    String name = command.startsWith("-") ? command.substring(1) : command;
    List<String> rest = new ArrayList<>(argv.subList(1, argv.size()));
    try (S3ShellSession session = new S3ShellSession(name, opener, out, err)) {
      switch (command) {
        case "-test":
          return test(session, rest);
        case "-du":
          return du(session, rest);
        case "-ls":
          return ls(session, rest);
        case "-get":
        case "-copyToLocal":
          return S3CopyCommands.get(session, rest);
        case "-put":
        case "-copyFromLocal":
          return S3CopyCommands.put(session, rest);
        case "-rm":
          return rm(session, rest);
        default:
          err.println(command + ": not supported for s3, s3a and s3n URIs by Ferry's bin/hadoop"
              + " shim, which runs " + String.join(", ", USAGES.keySet()) + " on single objects;"
              + " use hadoop-aws or the AWS CLI for the rest");
          return 1;
      }
    } catch (UsageException e) {
      err.println(command + ": " + e.getMessage());
      err.println("Usage: hadoop fs [generic options] " + command + " " + USAGES.get(command));
      return -1;
    }
  }

  private static int test(S3ShellSession s, List<String> argv) {
    ShellOptions o = new ShellOptions(1, 1, "e", "d", "f", "s", "z", "w", "r").parse(argv);
    Set<String> flags = o.flagsGiven();
    if (flags.isEmpty()) {
      throw new UsageException("No test flag given");
    }
    if (flags.size() > 1) {
      throw new UsageException("Only one test flag is allowed");
    }
    String flag = flags.iterator().next();
    S3Path p = s.s3Argument(o.args().get(0));
    if (p == null) {
      return 1;
    }
    try {
      OptionalLong size = s.store(p).size(p.uri());
      boolean answer;
      switch (flag) {
        case "d":
          // Only a directory marker object ("key/") is visible without listing.
          answer = p.isDirectoryLike() && size.isPresent();
          break;
        case "s":
          answer = size.isPresent() && size.getAsLong() > 0;
          break;
        case "z":
          answer = size.isPresent() && size.getAsLong() == 0;
          break;
        default: // e, f, r, w
          answer = size.isPresent();
          break;
      }
      return answer ? 0 : 1;
    } catch (IOException | RuntimeException e) {
      s.fail(describe(e));
      return 1;
    }
  }

  private static int du(S3ShellSession s, List<String> argv) {
    ShellOptions o = new ShellOptions(1, Integer.MAX_VALUE, "s", "h", "v", "x").parse(argv);
    UsageTable table = o.has("v")
        ? new UsageTable("SIZE", "DISK_SPACE_CONSUMED_WITH_ALL_REPLICAS", "FULL_PATH_NAME")
        : new UsageTable(3);
    for (String arg : o.args()) {
      OptionalLong size = objectSize(s, arg);
      if (size.isPresent()) {
        // S3 keeps no replicas that a client is charged for: consumed equals the length, as S3A reports.
        String formatted = formatSize(size.getAsLong(), o.has("h"));
        table.addRow(formatted, formatted, arg);
      }
    }
    table.printTo(s.out);
    return s.exitCode();
  }

  private static int ls(S3ShellSession s, List<String> argv) {
    ShellOptions o = new ShellOptions(1, Integer.MAX_VALUE,
        "C", "d", "h", "q", "R", "t", "S", "r", "u", "e").parse(argv);
    List<String[]> rows = new ArrayList<>();
    String user = System.getProperty("user.name", "ferry");
    int lenWidth = 10;
    for (String arg : o.args()) {
      OptionalLong size = objectSize(s, arg);
      if (size.isPresent()) {
        String len = formatSize(size.getAsLong(), o.has("h"));
        lenWidth = Math.max(lenWidth, len.length());
        rows.add(new String[] {len, arg});
      }
    }
    // Hadoop's Ls layout: type and mode, replication (width 3), owner, group, length (width 10+),
    // date, path. S3A shows rw-rw-rw- and the current user, as here.
    String format = "%s%s%3s %s %s %" + lenWidth + "s %s %s";
    String date = LS_DATE.format(Instant.EPOCH);
    for (String[] row : rows) {
      if (o.has("C")) {
        s.out.println(row[1]);
      } else {
        s.out.println(String.format(format, "-", "rw-rw-rw- ", "1", user, user, row[0], date, row[1]));
      }
    }
    return s.exitCode();
  }

  /** The size of the object named by {@code arg}; empty (with the error reported) otherwise. */
  private static OptionalLong objectSize(S3ShellSession s, String arg) {
    S3Path p = s.s3Argument(arg);
    if (p == null) {
      return OptionalLong.empty();
    }
    if (p.isDirectoryLike()) {
      s.fail(cannotList(arg));
      return OptionalLong.empty();
    }
    try {
      OptionalLong size = s.store(p).size(p.uri());
      if (size.isEmpty()) {
        s.fail(notFound(arg));
      }
      return size;
    } catch (IOException | RuntimeException e) {
      s.fail(describe(e));
      return OptionalLong.empty();
    }
  }

  private static int rm(S3ShellSession s, List<String> argv) {
    ShellOptions o = new ShellOptions(1, Integer.MAX_VALUE,
        "f", "r", "R", "skipTrash", "safely").parse(argv);
    boolean force = o.has("f");
    boolean recursive = o.has("r") || o.has("R");
    for (String arg : o.args()) {
      S3Path p = s.s3Argument(arg);
      if (p == null) {
        continue;
      }
      if (p.isDirectoryLike()) {
        s.fail(recursive ? cannotList(arg) : "`" + arg + "': Is a directory");
        continue;
      }
      try {
        if (s.store(p).delete(p.uri())) {
          // S3 has no trash; S3A deletes at once too unless fs.trash.interval is set.
          s.out.println("Deleted " + arg);
        } else if (!force) {
          s.fail(notFound(arg));
        }
      } catch (IOException | RuntimeException e) {
        s.fail(describe(e));
      }
    }
    return s.exitCode();
  }

  private static String formatSize(long size, boolean human) {
    return human ? TraditionalBinaryPrefix.long2String(size, "", 1) : String.valueOf(size);
  }

  private static Map<String, String> usages() {
    Map<String, String> m = new LinkedHashMap<>();
    String get = "[-f] [-p] [-crc] [-ignoreCrc] [-t <thread count>] [-q <thread pool queue size>]"
        + " <src> ... <localdst>";
    String put = "[-f] [-p] [-l] [-d] [-t <thread count>] [-q <thread pool queue size>]"
        + " <localsrc> ... <dst>";
    m.put("-test", "-[defswrz] <path>");
    m.put("-du", "[-s] [-h] [-v] [-x] <path> ...");
    m.put("-ls", "[-C] [-d] [-h] [-q] [-R] [-t] [-S] [-r] [-u] [-e] [<path> ...]");
    m.put("-get", get);
    m.put("-copyToLocal", get);
    m.put("-put", put);
    m.put("-copyFromLocal", put);
    m.put("-rm", "[-f] [-r|-R] [-skipTrash] [-safely] <src> ...");
    return Collections.unmodifiableMap(m);
  }
}
