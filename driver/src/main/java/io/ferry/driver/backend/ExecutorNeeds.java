package io.ferry.driver.backend;

import io.ferry.driver.FerryConf;
import io.ferry.driver.mesos.OfferConstraints;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one offer must hold for the driver to start work on an agent, in the words of the settings
 * that decide it. Fine-grained mode: a new executor ({@code ferry.executor.cores}, memory plus
 * overhead) together with one task ({@code ferry.task.cpus}); on an agent where the executor already
 * runs, one task's cpus. Coarse-grained mode: one slot task, {@code ferry.executor.cores} whole cpus
 * when set, else at least {@code ferry.task.cpus} whole cpus, and the executor's memory plus overhead. The same numbers decide {@link #fits}, the refusal
 * of a {@code local-cluster} too small for them, and the warning of a driver that no offer fits.
 *
 * @param coarse {@code ferry.mesos.coarse}
 * @param executorCpus {@code ferry.executor.cores}: fine mode, the executor's own cpus; coarse mode, the
 *     whole cores of each executor, 0 when unset (an executor takes what an offer has)
 * @param taskCpus {@code ferry.task.cpus}
 * @param executorMemMb {@code ferry.executor.memory}, in MB
 * @param overheadMb {@code ferry.executor.memoryOverhead}, in MB
 * @param roles {@code ferry.mesos.role}; empty: {@code *}
 * @param constraints {@code ferry.mesos.constraints}
 */
public record ExecutorNeeds(boolean coarse, double executorCpus, int taskCpus, long executorMemMb, long overheadMb,
    List<String> roles, OfferConstraints constraints) {

  /** Mesos scalars have three decimals; comparisons allow for that. */
  static final double EPSILON = 0.0005;

  public ExecutorNeeds {
    roles = List.copyOf(roles);
  }

  public static ExecutorNeeds of(FerryConf conf) {
    double executorCpus = conf.coarse() ? conf.coarseExecutorCores().orElse(0) : conf.executorCores();
    return new ExecutorNeeds(conf.coarse(), executorCpus, conf.taskCpus(), conf.executorMemoryMb(),
        conf.executorMemoryOverheadMb(), conf.mesosRoles(), conf.mesosConstraints());
  }

  /** Cpus of an agent that has no executor of this application yet. */
  public double cpus() {
    return coarse ? Math.max(executorCpus, taskCpus) : executorCpus + taskCpus;
  }

  /** Memory asked of Mesos for one executor: heap and overhead. */
  public long memMb() {
    return executorMemMb + overheadMb;
  }

  /** Whether an agent (or offer) with these free resources, and no executor of ours, can start work. */
  public boolean fits(double cpus, double memMb) {
    return cpusFit(cpus) && memMb + EPSILON >= memMb();
  }

  /** Coarse slots hold whole cpus: 1.5 offered cpus hold one 1-cpu task. */
  boolean cpusFit(double cpus) {
    return coarse ? Math.floor(cpus + EPSILON) >= cpus() : cpus + EPSILON >= cpus();
  }

  /** {@code cpus 2 (ferry.executor.cores 1 + ferry.task.cpus 1)}. */
  public String describeCpus() {
    if (coarse) {
      return executorCpus > 0
          ? "cpus " + number(executorCpus) + " whole (ferry.executor.cores " + number(executorCpus) + ")"
          : "cpus " + number(taskCpus) + " whole (ferry.task.cpus " + taskCpus + ")";
    }
    return "cpus " + number(cpus()) + " (ferry.executor.cores " + number(executorCpus) + " + ferry.task.cpus " + taskCpus
            + ")";
  }

  /** {@code mem 1408 MB (ferry.executor.memory 1024m + ferry.executor.memoryOverhead 384m)}. */
  public String describeMem() {
    return "mem " + memMb() + " MB (ferry.executor.memory " + executorMemMb + "m + ferry.executor.memoryOverhead "
        + overheadMb + "m)";
  }

  /** The whole need, for one line: what, cpus, mem, role and constraints. */
  public String describe() {
    return (coarse ? "one executor (a coarse slot)" : "one executor with one task") + " needs " + describeCpus()
        + " and " + describeMem() + " for role " + (roles.isEmpty() ? "*" : String.join(",", roles))
        + " (ferry.mesos.role), constraints " + (constraints.isEmpty() ? "none" : constraints.toString())
        + " (ferry.mesos.constraints)";
  }

  /** The settings that lower the cpus needed. */
  public String cpuSettings() {
    if (coarse) {
      return executorCpus > 0 ? "lower ferry.executor.cores (at least ferry.task.cpus) or unset it" : "lower ferry.task.cpus";
    }
    return "lower ferry.executor.cores or ferry.task.cpus, or use ferry.mesos.coarse=true";
  }

  /** The settings that lower the memory needed. */
  public static String memSettings() {
    return "lower ferry.executor.memory or ferry.executor.memoryOverhead";
  }

  /**
   * Why an agent of these resources (and no attributes, as {@code local-cluster}'s) can never run
   * this application; empty when it can. Each entry names the numbers and the settings to change.
   */
  public List<String> problemsOnAgent(double agentCpus, long agentMemMb) {
    List<String> problems = new ArrayList<>();
    if (!cpusFit(agentCpus)) {
      problems.add(describeCpus() + " but an agent has " + number(agentCpus) + ": " + cpuSettings());
    }
    if (agentMemMb + EPSILON < memMb()) {
      problems.add(describeMem() + " but an agent has " + agentMemMb + " MB: " + memSettings());
    }
    if (!constraints.isEmpty()) {
      problems.add("ferry.mesos.constraints " + constraints + " but local-cluster agents have no attributes: unset"
          + " ferry.mesos.constraints");
    }
    return problems;
  }

  /** {@code 2}, {@code 1.5}, {@code 0.333}. */
  static String number(double value) {
    if (value == Math.rint(value)) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "");
  }
}
