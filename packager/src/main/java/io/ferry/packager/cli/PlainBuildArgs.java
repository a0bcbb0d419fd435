package io.ferry.packager.cli;

import java.nio.file.Path;

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

  /**
   * Sets {@code build}'s and {@code root}'s fields from {@code args} and returns true, or returns
   * false having set nothing.
   */
  static boolean read(String[] args, FerryPackage root, BuildCommand build) {
    boolean quiet = false;
    boolean debug = false;
    boolean named = false;
    Path dir = null;
    Path out = null;
    String topLevel = null;
    Long epoch = null;
    Integer level = null;
    Integer threads = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String name = arg;
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          name = arg.substring(0, eq);
          value = arg.substring(eq + 1);
        }
        switch (name) {
          case "--quiet", "--debug" -> {
            if (value != null || (name.equals("--quiet") ? quiet : debug)) {
              return false;
            }
            if (name.equals("--quiet")) {
              quiet = true;
            } else {
              debug = true;
            }
          }
          case "--out", "--top-level", "--source-date-epoch", "--level", "--threads" -> {
            if (!named) {
              return false;
            }
            if (value == null) {
              if (i + 1 == args.length || args[i + 1].startsWith("-")) {
                return false;
              }
              value = args[++i];
            }
            switch (name) {
              case "--out" -> {
                if (out != null) {
                  return false;
                }
                out = Path.of(value);
              }
              case "--top-level" -> {
                if (topLevel != null) {
                  return false;
                }
                topLevel = value;
              }
              case "--source-date-epoch" -> {
                if (epoch != null) {
                  return false;
                }
                epoch = Long.valueOf(value);
              }
              case "--level" -> {
                if (level != null) {
                  return false;
                }
                level = Integer.valueOf(value);
              }
              default -> {
                if (threads != null) {
                  return false;
                }
                threads = Integer.valueOf(value);
              }
            }
          }
          default -> {
            if (arg.startsWith("-")) {
              return false;
            }
            if (!named) {
              if (!arg.equals("build")) {
                return false;
              }
              named = true;
            } else if (dir == null) {
              dir = Path.of(arg);
            } else {
              return false;
            }
          }
        }
      }
    } catch (RuntimeException badValue) {
      return false; // a number or path that does not convert: picocli names it.
    }
    if (!named || dir == null || out == null) {
      return false;
    }
    root.quiet = quiet;
    root.debug = debug;
    build.dir = dir;
    build.out = out;
    build.topLevel = topLevel;
    build.sourceDateEpoch = epoch;
    build.level = level == null ? 6 : level;
    build.threads = threads;
    return true;
  }
}
