package io.ferry.executor.internal;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs task bodies on {@code ferry-executor-task-N} threads, at most {@code slots} at a time
 * (a coarse slot's cores; unbounded in fine mode, where each Mesos task brings its own cpus and
 * the agent bounds how many run); the rest wait in order. A task can be interrupted before it starts (it
 * then starts interrupted, so it ends at once the way an interrupted task does) or while it runs;
 * one that ignores interruption can be {@link Running#abandon() abandoned}: its slot goes to the
 * next task and its thread, a daemon, is left to finish or die with the JVM.
 *
 * <pre>{@code
 * TaskPool pool = new TaskPool(4);
 * TaskPool.Running run = pool.submit(() -> work());
 * run.interrupt();
 * }</pre>
 */
public final class TaskPool {
  private final int slots;
  private final ExecutorService threads;
  private final ArrayDeque<Running> waiting = new ArrayDeque<>();
  private int busy;

  public TaskPool(int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots: " + slots + " (expected: >= 1)");
    }
    this.slots = slots;
    this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
        new TaskThreadFactory("ferry-executor-task", true));
  }

  public int slots() {
    return slots;
  }

  /** Runs {@code body} when a slot is free. */
  public Running submit(Runnable body) {
    Running run = new Running(body);
    synchronized (this) {
      waiting.add(run);
    }
    dispatch();
    return run;
  }

  private void dispatch() {
    while (true) {
      Running next;
      synchronized (this) {
        if (busy >= slots || waiting.isEmpty()) {
          return;
        }
        next = waiting.poll();
        busy++;
      }
      threads.execute(next::run);
    }
  }

  private void release(Running run) {
    synchronized (this) {
      if (run.released) {
        return;
      }
      run.released = true;
      busy--;
    }
    dispatch();
  }

  /** One submitted body: interrupt it, or give up on it. */
  public final class Running {
    private final Runnable body;
    private Thread thread;
    private boolean interrupted;
    private boolean released;
    private boolean done;

    private Running(Runnable body) {
      this.body = body;
    }

    private void run() {
      synchronized (TaskPool.this) {
        thread = Thread.currentThread();
        if (interrupted) {
          thread.interrupt();
        }
      }
      try {
        body.run();
      } finally {
        synchronized (TaskPool.this) {
          done = true;
          thread = null;
        }
        Thread.interrupted(); // do not carry the flag into the next task on this thread
        release(this);
      }
    }

    /** Interrupts the body's thread, or makes the body start interrupted. */
    public void interrupt() {
      synchronized (TaskPool.this) {
        interrupted = true;
        if (thread != null && !done) {
          thread.interrupt();
        }
      }
    }

    /** Gives the slot to the next task while this body may still run (it ignored interruption). */
    public void abandon() {
      release(this);
    }
  }
}
