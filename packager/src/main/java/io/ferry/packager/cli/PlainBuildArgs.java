package io.ferry.packager.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of {@code ferry-package [--quiet] [--debug] build DIR --out FILE [options]} read
 * without picocli, when they are plain: every option known and given once, every value present
 * and well formed. Anything else (help, a version request, an unknown or repeated option, a value
 * that does not convert, {@code --}) is left to picocli, which reports it.
 *
 * <p>Why: building picocli's model of a command takes about 150 ms in a new JVM (reflection over
 * the annotations, and picocli's Java 5 class files cannot go into a class data sharing archive),
 * a sixth of what archiving the distribution takes. The fields set here are the ones picocli sets,
 * with the same conversions and defaults; {@code PlainBuildArgsTest} checks both readings agree.
 */
final class PlainBuildArgs {

  private PlainBuildArgs() {}

  /** The root's options, which take no value. */
  private static final Set<String> FLAGS = Set.of("--quiet", "--debug");
  /** {@code build}'s options, each with one value. */
  private static final Set<String> OPTIONS = Set.of("--out", "--top-level", "--source-date-epoch", "--level", "--threads");

  /**
   * Sets {@code build}'s and {@code root}'s fields from {@code args} and returns true, or returns
   * false having set nothing.
   */
  static boolean read(String[] args, FerryPackage root, BuildCommand build) {
    Set<String> flags = new HashSet<>();
    Map<String, String> values = new HashMap<>();
    boolean named = false;
    String dir = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      if (FLAGS.contains(name)) {
        if (eq > 0 || !flags.add(name)) {
          return false;
        }
      } else if (OPTIONS.contains(name)) {
        String value;
        if (eq > 0) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
          value = args[++i];
        } else {
          return false;
        }
        if (!named || values.putIfAbsent(name, value) != null) {
          return false;
        }
      } else if (arg.startsWith("-")) {
        return false;
      } else if (!named) {
        if (!arg.equals("build")) {
          return false;
        }
        named = true;
      } else if (dir == null) {
        dir = arg;
      } else {
        return false;
      }
    }
    if (dir == null || !values.containsKey("--out")) {
      return false;
    }
    Path dirPath;
    Path out;
    Long epoch;
    int level;
    Integer threads;
    try {
      dirPath = Path.of(dir);
      out = Path.of(values.get("--out"));
      epoch = values.containsKey("--source-date-epoch") ? Long.valueOf(values.get("--source-date-epoch")) : null;
      level = Integer.parseInt(values.getOrDefault("--level", BuildCommand.DEFAULT_LEVEL));
      threads = values.containsKey("--threads") ? Integer.valueOf(values.get("--threads")) : null;
    } catch (RuntimeException badValue) {
      return false; // a number or path that does not convert: picocli names it.
    }
    root.quiet = flags.contains("--quiet");
    root.debug = flags.contains("--debug");
    build.dir = dirPath;
    build.out = out;
    build.topLevel = values.get("--top-level");
    build.sourceDateEpoch = epoch;
    build.level = level;
    build.threads = threads;
    return true;
  }
}
