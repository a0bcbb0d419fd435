/**
 * The {@code ferry} JShell execution engine: snippets run in the shell's own JVM (as JShell's
 * {@code --execution local}) and every class JShell loads or redefines is captured, per generation,
 * to be served to executors through the driver's authenticated channel.
 */
package io.ferry.shell.exec;
