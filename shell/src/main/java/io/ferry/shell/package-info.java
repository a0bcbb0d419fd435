/**
 * {@code bin/ferry-shell}: Java's own REPL ({@code jdk.jshell}) whose snippets can run on the cluster.
 *
 * <p>The shell's JVM holds the driver (a {@code FerryContext} bound to the variable {@code ferry}).
 * Snippets execute in that JVM through the {@code ferry} execution engine
 * ({@link io.ferry.shell.exec}), which keeps the bytecode of every snippet class JShell loads or
 * redefines, one immutable generation per change, so that executors can load exactly the classes a
 * task was submitted with. The launcher and its options live in {@code io.ferry.shell.cli}.
 */
package io.ferry.shell;
