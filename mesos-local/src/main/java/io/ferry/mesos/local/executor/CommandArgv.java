package io.ferry.mesos.local.executor;

import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.CommandInfo;

/**
 * The argv Mesos runs for a CommandInfo: {@code /bin/sh -c value} when {@code shell} is true (the
 * default, {@code arguments} ignored), else {@code value} with {@code arguments[1..]} (Java cannot
 * set a separate argv[0], which Mesos takes from {@code arguments[0]}).
 */
public final class CommandArgv {

  private CommandArgv() {}

  public static List<String> of(CommandInfo command) {
    List<String> argv = new ArrayList<>();
    if (!command.hasShell() || command.getShell()) {
      argv.add("/bin/sh");
      argv.add("-c");
      argv.add(command.getValue());
    } else {
      argv.add(command.getValue());
      List<String> args = command.getArgumentsList();
      argv.addAll(args.isEmpty() ? List.of() : args.subList(1, args.size()));
    }
    return argv;
  }
}
