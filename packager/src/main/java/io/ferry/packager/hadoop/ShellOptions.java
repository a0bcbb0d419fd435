package io.ferry.packager.hadoop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses one {@code hadoop fs} command's options the way Hadoop's {@code CommandFormat} does,
 * so the S3 commands accept exactly what {@code hadoop fs} accepts: options come first, {@code --}
 * ends them, a lone {@code -} is an argument (stdin), an unknown option is a usage error
 * ({@code Illegal option -x}), and the argument count is checked
 * ({@code Not enough arguments: expected 1 but got 0}).
 */
final class ShellOptions {

  /** A usage error: FsShell prints it with the command's usage and exits with -1. */
  static final class UsageException extends IllegalArgumentException {
    UsageException(String message) {
      super(message);
    }
  }

  private final Set<String> flags;
  private final Set<String> valued;
  private final int minArgs;
  private final int maxArgs;

  private final Set<String> seen = new HashSet<>();
  private final Map<String, String> values = new HashMap<>();
  private final List<String> args = new ArrayList<>();

  ShellOptions(int minArgs, int maxArgs, Set<String> flags, Set<String> valued) {
    this.minArgs = minArgs;
    this.maxArgs = maxArgs;
    this.flags = flags;
    this.valued = valued;
  }

  ShellOptions(int minArgs, int maxArgs, String... flags) {
    this(minArgs, maxArgs, Set.of(flags), Set.of());
  }

  /** Parses {@code argv} (without the command name); throws {@link UsageException}. */
  ShellOptions parse(List<String> argv) {
    int i = 0;
    while (i < argv.size()) {
      String arg = argv.get(i);
      if (arg.equals("--")) {
        i++;
        break;
      }
      if (!arg.startsWith("-") || arg.length() == 1) {
        break;
      }
      String name = arg.substring(1);
      if (flags.contains(name)) {
        seen.add(name);
        i++;
      } else if (valued.contains(name)) {
        if (i + 1 >= argv.size()) {
          throw new UsageException("No value specified for option " + arg);
        }
        values.put(name, argv.get(i + 1));
        i += 2;
      } else {
        throw new UsageException("Illegal option " + arg);
      }
    }
    args.addAll(argv.subList(i, argv.size()));
    if (args.size() < minArgs) {
      throw new UsageException("Not enough arguments: expected " + minArgs + " but got " + args.size());
    }
    if (args.size() > maxArgs) {
      throw new UsageException("Too many arguments: expected " + maxArgs + " but got " + args.size());
    }
    return this;
  }

  boolean has(String flag) {
    return seen.contains(flag);
  }

  /** The flags given, in no particular order. */
  Set<String> flagsGiven() {
    return Set.copyOf(seen);
  }

  String value(String option) {
    return values.get(option);
  }

  /** The arguments after the options; mutable, commands pop their destination off the end. */
  List<String> args() {
    return args;
  }
}
