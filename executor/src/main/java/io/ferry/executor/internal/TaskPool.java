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
    Running run = prepare(body);
    start(run);
    return run;
  }

  /**
   * A handle on {@code body} that is not queued yet: for a caller that must record the handle
   * before the body can run (and, say, remove that record itself). Queue it with {@link #start}.
   */
  public Running prepare(Runnable body) {
    return new Running(body);
  }

  /** Queues a body from {@link #prepare}; it runs when a slot is free. */
  public void start(Running run) {
    synchronized (this) {
      waiting.add(run);
    }
    dispatch();
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

  /**
   * Frees {@code run}'s slot, or hands it straight to the next waiting body, which the caller then
   * runs. An abandoned body's slot was freed already: its thread takes nothing more.
   */
  private Running releaseAndTakeNext(Running run) {
    synchronized (this) {
      if (run.released) {
        return null;
      }
      run.released = true;
      Running next = waiting.poll();
      if (next != null) {
        return next; // the slot stays busy, now with next
      }
      busy--;
      return null;
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
      Running current = this;
      // A thread that finishes a body runs the next waiting one itself (its slot passes straight
      // on): with tasks queued per slot that saves a hand-off to another thread, and its wake-up,
      // per task.
      while (current != null) {
        current = current.runHere();
      }
    }

    /** Runs this body on the calling thread; returns the next body this thread should run, or null. */
    private Running runHere() {
      synchronized (TaskPool.this) {
        thread = Thread.currentThread();
        if (interrupted) {
          thread.interrupt();
        }
      }
      boolean returned = false;
      try {
        body.run();
        returned = true;
      } finally {
        synchronized (TaskPool.this) {
          done = true;
          thread = null;
        }
        Thread.interrupted(); // do not carry the flag into the next task on this thread
        if (!returned) {
          release(this); // the body threw: free the slot for another thread as the exception leaves this one
        }
      }
      return releaseAndTakeNext(this);
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
