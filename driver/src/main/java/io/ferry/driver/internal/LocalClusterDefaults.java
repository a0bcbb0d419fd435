package io.ferry.driver.internal;

import io.ferry.driver.FerryConf;
import io.ferry.driver.MasterUrl;
import io.ferry.driver.backend.ExecutorNeeds;
import java.util.List;
import java.util.OptionalInt;

/**
 * The executor's size, and on {@code local-cluster} the check that it fits an agent.
 *
 * <p>On a real cluster the executor asks for {@code ferry.executor.memory} (1g) plus
 * {@code ferry.executor.memoryOverhead} (max(384m, 10%)) and, in fine mode,
 * {@code ferry.executor.cores} (1) besides its task's {@code ferry.task.cpus}; an agent smaller
 * than that is never used, and the driver warns while no offer fits. On {@code local-cluster} the
 * agents' size is known before anything starts, so the driver derives what the user left unset
 * to fit one agent, and refuses at once what cannot fit:
 *
 * <ul>
 *   <li>memory: when neither {@code ferry.executor.memory} nor {@code ferry.executor.memoryOverhead}
 *       is set and 1g plus 384m exceeds an agent, the executor takes the whole agent: 3/4 as heap, the
 *       rest as overhead ({@code local-cluster[2,2,1024]}: 768m + 256m). In coarse mode with
 *       {@code ferry.executor.cores}, an agent holds as many executors as its cpus have of those cores,
 *       and each takes that share of its memory ({@code local-cluster[1,4,1024]} with 1 core each:
 *       four executors of 192m + 64m). The agents of a
 *       {@code local-cluster} share this machine and nothing enforces their memory, so their size
 *       is a number to fit, not a limit to respect; a quarter stays for the JVM's own memory.
 *   <li>fine mode's executor cpus: when {@code ferry.executor.cores} is unset and 1 plus
 *       {@code ferry.task.cpus} exceeds an agent, the executor takes what one task leaves
 *       ({@code local-cluster[2,1.5,1024]}: 0.5).
 * </ul>
 *
 * Every size the docs, scripts and benchmarks use ({@code [2,2,1024]}, {@code [2,2,2048]},
 * {@code [2,4,4096]}, ...) runs in both modes with the defaults.
 */
final class LocalClusterDefaults {

  private static final long MIN_OVERHEAD = 384L << 20;
  private static final double MIN_EXECUTOR_CPUS = 0.01; // Mesos's MIN_CPUS for an executor

  private LocalClusterDefaults() {}

  /**
   * The executor's heap, memory overhead, (fine mode) own cpus, as set or derived, and (coarse
   * mode) its whole cores when {@code ferry.executor.cores} is set.
   */
  record Executor(long memoryBytes, long overheadBytes, double cores, OptionalInt coarseCores) {}

  static Executor executor(ConfReader r, MasterUrl master, boolean coarse, int taskCpus) {
    boolean memorySet = r.string("ferry.executor.memory").isPresent();
    boolean overheadSet = r.string("ferry.executor.memoryOverhead").isPresent();
    boolean coresSet = r.string("ferry.executor.cores").isPresent();
    long memory = r.size("ferry.executor.memory", "1g", ConfValues.SizeUnit.MIB);
    long overhead = r.optionalSize("ferry.executor.memoryOverhead", ConfValues.SizeUnit.MIB)
        .orElse(Math.max(MIN_OVERHEAD, memory / 10));
    double cores = r.decimal("ferry.executor.cores", 1.0, 0.0);
    OptionalInt coarseCores = OptionalInt.empty();
    if (coarse && coresSet) {
      if (cores != Math.rint(cores) || cores < taskCpus || cores > Integer.MAX_VALUE) {
        r.reject("ferry.executor.cores", "expected: in coarse mode, a whole number of cores for each executor, at"
            + " least ferry.task.cpus " + taskCpus + "; or unset, for one executor per agent with every core it"
            + " offers");
      } else {
        coarseCores = OptionalInt.of((int) cores);
      }
    }
    if (master instanceof MasterUrl.LocalCluster lc) {
      // Coarse mode with ferry.executor.cores: an agent holds that many executors, each a share.
      long perAgent = coarseCores.isPresent() ? Math.max(1, (long) Math.floor(lc.cpus() / coarseCores.getAsInt())) : 1;
      long agentMb = lc.memMb() / perAgent;
      if (!memorySet && !overheadSet && (memory + overhead) >> 20 > agentMb) {
        long heapMb = Math.max(32, agentMb * 3 / 4);
        memory = heapMb << 20;
        overhead = Math.max(0, agentMb - heapMb) << 20;
      }
      double left = Math.round((lc.cpus() - taskCpus) * 1000) / 1000.0;
      if (!coarse && !coresSet && cores + taskCpus > lc.cpus() && left >= MIN_EXECUTOR_CPUS) {
        cores = Math.min(1.0, left);
      }
    }
    return new Executor(memory, overhead, cores, coarseCores);
  }

  /** On {@code local-cluster}: an error naming the numbers and the settings when one executor cannot fit an agent. */
  static void checkFits(FerryConf conf, ConfReader r) {
    if (conf.master() instanceof MasterUrl.LocalCluster lc) {
      List<String> problems = ExecutorNeeds.of(conf).problemsOnAgent(lc.cpus(), lc.memMb());
      if (!problems.isEmpty()) {
        r.error("ferry.master: " + lc + " cannot run one executor (" + (conf.coarse() ? "coarse" : "fine")
            + "-grained mode): it needs " + String.join("; ", problems)
            + "; or give the agents more: local-cluster[agents,cpus,memMB]");
      }
    }
  }
}
