package io.ferry.driver.backend;

import io.ferry.driver.mesos.internal.NamedThreads;
import io.ferry.rpc.PeerText;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Offer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says why nothing runs. While tasks wait and none runs (a <em>starved</em> driver: every offer was
 * too small, refused by constraints, from excluded agents, or none came), it logs one WARN line
 * {@link Timing#firstWarning} (15 s) after the starvation began, then every {@link Timing#interval}
 * (60 s) while it lasts: what one executor needs ({@link ExecutorNeeds#describe}), the largest offer
 * seen per resource, how many offers constraints or exclusions refused, and which settings to
 * change. Spark says "Initial job has not accepted any resources"; this says what would be accepted.
 *
 * <p>The backends report every offer they decide on ({@link #offered}) and every launch
 * ({@link #launched}), which ends the starvation; a timer thread, {@code ferry-offer-watch}, checks
 * once per {@link Timing#tick()}. The backend's state is read through the two suppliers, outside this
 * object's lock, so the backend may call in while holding its own.
 */
final class StarvationWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StarvationWatch.class);

  /** Why an offer was not used. */
  enum Verdict {
    /** Its cpus or memory were less than {@link ExecutorNeeds} asks. */
    TOO_SMALL,
    /** Its agent's attributes do not meet {@code ferry.mesos.constraints}. */
    CONSTRAINTS,
    /** Its agent is excluded after task failures ({@code ferry.excludeOnFailure.*}). */
    EXCLUDED
  }

  /**
   * When to warn. The defaults are for people; tests shorten them with the system properties
   * {@value #FIRST_WARNING_PROPERTY} and {@value #INTERVAL_PROPERTY} (durations such as
   * {@code 2s}), which are not user settings.
   *
   * @param firstWarning how long the driver may starve before the first warning
   * @param interval how often the warning repeats while it still starves
   */
  record Timing(Duration firstWarning, Duration interval) {
    static final String FIRST_WARNING_PROPERTY = "io.ferry.driver.starvationWarningDelay";
    static final String INTERVAL_PROPERTY = "io.ferry.driver.starvationWarningInterval";
    static final Timing DEFAULT = new Timing(Duration.ofSeconds(15), Duration.ofSeconds(60));

    Timing {
      if (firstWarning.isNegative() || firstWarning.isZero() || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("starvation warning timing: " + firstWarning + ", " + interval
            + " (expected: both > 0)");
      }
    }

    static Timing fromSystemProperties() {
      return new Timing(property(FIRST_WARNING_PROPERTY, DEFAULT.firstWarning),
          property(INTERVAL_PROPERTY, DEFAULT.interval));
    }

    private static Duration property(String name, Duration fallback) {
      String text = System.getProperty(name);
      return text == null || text.isBlank() ? fallback : io.ferry.driver.internal.ConfValues.duration(text);
    }

    /** How often the timer looks: fine enough for the shortest wait, never busier than 4 times a second. */
    Duration tick() {
      Duration quarter = firstWarning.dividedBy(4);
      Duration tick = quarter.compareTo(Duration.ofSeconds(1)) < 0 ? quarter : Duration.ofSeconds(1);
      return tick.compareTo(Duration.ofMillis(250)) < 0 ? Duration.ofMillis(250) : tick;
    }
  }

  private final ExecutorNeeds needs;
  private final Timing timing;
  private final BooleanSupplier starved;
  private final IntSupplier waitingTasks;
  private final Consumer<String> warnings;
  private ScheduledExecutorService timer;

  // Guarded by this: the current starvation, if any.
  private long since = -1;
  private long lastWarning = -1;
  private final OfferTally tally = new OfferTally();

  /**
   * @param starved whether tasks wait and none runs, read from the backend's state
   * @param waitingTasks how many tasks wait, for the message
   */
  StarvationWatch(ExecutorNeeds needs, Timing timing, BooleanSupplier starved, IntSupplier waitingTasks) {
    this(needs, timing, starved, waitingTasks, log::warn);
  }

  /** @param warnings where the warning lines go (the log; a list in tests) */
  StarvationWatch(ExecutorNeeds needs, Timing timing, BooleanSupplier starved, IntSupplier waitingTasks,
      Consumer<String> warnings) {
    this.needs = needs;
    this.timing = timing;
    this.starved = starved;
    this.waitingTasks = waitingTasks;
    this.warnings = warnings;
  }

  /** Starts the timer; call once the framework is registered (before that, no offer can come). */
  synchronized void start() {
    if (timer != null) {
      throw new IllegalStateException("StarvationWatch already started");
    }
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, NamedThreads.single("ferry-offer-watch"));
    t.setRemoveOnCancelPolicy(true);
    timer = t;
    long tick = timing.tick().toNanos();
    timer.scheduleWithFixedDelay(this::check, tick, tick, TimeUnit.NANOSECONDS);
  }

  /** An offer the backend could not use, and why. */
  void offered(Offer offer, Verdict verdict) {
    OfferResources free = new OfferResources(offer);
    synchronized (this) {
      tally.add(offer, verdict, free.cpus(), free.mem());
    }
  }

  /** Work started somewhere: whatever starvation there was is over. */
  synchronized void launched() {
    since = -1;
    lastWarning = -1;
    tally.clear();
  }

  /** Runs on the timer: starts, ends or reports a starvation. */
  void check() {
    try {
      boolean nothingRuns = starved.getAsBoolean(); // outside this lock: the backend's lock may be held by a caller of ours
      int waiting = waitingTasks.getAsInt();
      String warning = null;
      synchronized (this) {
        long now = System.nanoTime();
        if (!nothingRuns) {
          launched();
          return;
        }
        if (since < 0) {
          since = now;
          return;
        }
        long starvedFor = now - since;
        boolean due = lastWarning < 0 ? starvedFor >= timing.firstWarning().toNanos()
            : now - lastWarning >= timing.interval().toNanos();
        if (due) {
          lastWarning = now;
          warning = message(waiting, Duration.ofNanos(starvedFor));
        }
      }
      if (warning != null) {
        warnings.accept(warning);
      }
    } catch (RuntimeException e) {
      log.debug("offer watch check failed", e); // the next tick tries again
    }
  }

  /** The one line; package-private for tests. */
  synchronized String message(int waiting, Duration starvedFor) {
    StringBuilder line = new StringBuilder("no Mesos offer fits this application: ").append(waiting)
        .append(" task(s) have waited ").append(starvedFor.toSeconds()).append(" s and none runs; ")
        .append(needs.describe()).append("; ");
    if (tally.offers() == 0) {
      line.append("no offer came meanwhile: every agent's resources are in use, or offered to other roles than ")
          .append(needs.roles().isEmpty() ? "*" : String.join(",", needs.roles()))
          .append(" (check the master's /state, and ferry.mesos.role)");
      return line.toString();
    }
    line.append(tally.describe());
    Set<String> fixes = new java.util.LinkedHashSet<>();
    // Offers of memory alone: smaller settings would not fit either; the cpus are in use.
    boolean cpusInUse = tally.sized() > 0 && tally.maxCpus() < ExecutorNeeds.EPSILON;
    if (cpusInUse) {
      fixes.add("wait: every offer came without cpus, so the agents' cpus are in use (by other frameworks, or by"
          + " this application's own executors); the master's /state shows who holds them");
    } else if (tally.sized() > 0) {
      boolean cpusShort = !needs.cpusFit(tally.maxCpus());
      boolean memShort = tally.maxMem() + ExecutorNeeds.EPSILON < needs.memMb();
      if (memShort) {
        fixes.add(ExecutorNeeds.memSettings());
      }
      if (cpusShort) {
        fixes.add(needs.cpuSettings());
      }
      if (!cpusShort && !memShort) {
        fixes.add("no single offer had both the cpus and the memory: " + ExecutorNeeds.memSettings() + ", or "
            + needs.cpuSettings());
      }
    }
    if (tally.count(Verdict.CONSTRAINTS) > 0) {
      fixes.add("relax ferry.mesos.constraints");
    }
    if (tally.count(Verdict.EXCLUDED) > 0) {
      fixes.add("wait for ferry.excludeOnFailure.timeout or raise ferry.excludeOnFailure.maxFailuresPerAgent");
    }
    fixes.add(cpusInUse ? "or add agents" : "or add larger agents");
    line.append("; to run: ").append(String.join("; ", fixes));
    return line.toString();
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** What the offers of one starvation held. */
  private static final class OfferTally {
    private final int[] counts = new int[Verdict.values().length];
    private final Set<String> agents = new HashSet<>();
    private final Set<String> refusedAgents = new HashSet<>();
    private double maxCpus;
    private double maxMem;
    private String refusedExample;

    void add(Offer offer, Verdict verdict, double cpus, double mem) {
      counts[verdict.ordinal()]++;
      String agent = printable(offer.getHostname().isEmpty() ? offer.getAgentId().getValue() : offer.getHostname());
      if (verdict == Verdict.CONSTRAINTS) {
        refusedAgents.add(agent);
        if (refusedExample == null) {
          refusedExample = agent + " " + printable(offer.getAttributesList().stream().map(OfferTally::attribute)
              .collect(Collectors.joining(";", "[", "]")));
        }
        return;
      }
      agents.add(agent);
      maxCpus = Math.max(maxCpus, cpus);
      maxMem = Math.max(maxMem, mem);
    }

    int count(Verdict verdict) {
      return counts[verdict.ordinal()];
    }

    int offers() {
      int n = 0;
      for (int c : counts) {
        n += c;
      }
      return n;
    }

    /** Offers whose size was compared (not refused by constraints). */
    int sized() {
      return offers() - count(Verdict.CONSTRAINTS);
    }

    double maxCpus() {
      return maxCpus;
    }

    double maxMem() {
      return maxMem;
    }

    String describe() {
      StringBuilder s = new StringBuilder();
      if (sized() > 0) {
        s.append("the largest of ").append(sized()).append(" offer(s) from ").append(agents.size())
            .append(" agent(s) had cpus ").append(ExecutorNeeds.number(maxCpus)).append(" and mem ")
            .append(ExecutorNeeds.number(Math.floor(maxMem))).append(" MB");
        if (count(Verdict.EXCLUDED) > 0) {
          s.append(" (").append(count(Verdict.EXCLUDED)).append(" from agents excluded after task failures)");
        }
      }
      if (count(Verdict.CONSTRAINTS) > 0) {
        s.append(s.length() > 0 ? "; " : "").append(count(Verdict.CONSTRAINTS)).append(" offer(s) from ")
            .append(refusedAgents.size()).append(" agent(s) refused by ferry.mesos.constraints (e.g. ")
            .append(refusedExample).append(")");
      }
      return s.toString();
    }

    void clear() {
      java.util.Arrays.fill(counts, 0);
      agents.clear();
      refusedAgents.clear();
      maxCpus = 0;
      maxMem = 0;
      refusedExample = null;
    }

    private static String attribute(Attribute a) {
      return a.getName() + ":" + switch (a.getType()) {
        case SCALAR -> ExecutorNeeds.number(a.getScalar().getValue());
        case TEXT -> a.getText().getValue();
        case SET -> String.join(",", a.getSet().getItemList());
        case RANGES -> a.getRanges().getRangeList().stream().map(r -> r.getBegin() + "-" + r.getEnd())
            .collect(Collectors.joining(","));
        default -> "?";
      };
    }
  }

  /** Agents name themselves: control characters are escaped and long names cut, so a log line stays one true line. */
  static String printable(String text) {
    return PeerText.escape(text, 120);
  }
}
