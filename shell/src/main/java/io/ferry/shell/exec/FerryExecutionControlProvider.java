package io.ferry.shell.exec;

import java.util.Map;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * The {@code ferry} JShell execution engine ({@code jshell --execution ferry}, or
 * {@code JShell.builder().executionEngine("ferry")}), found through {@code ServiceLoader}: snippets
 * run in this JVM and their classes are captured into {@link SnippetGenerations#shared()}.
 *
 * <pre>{@code
 * SnippetGenerations snippets = new SnippetGenerations();
 * FerryContext ferry = FerryContext.create(conf, snippets);
 * JShell shell = JShell.builder().executionEngine(new FerryExecutionControlProvider(snippets), Map.of()).build();
 * }</pre>
 */
public final class FerryExecutionControlProvider implements ExecutionControlProvider {
  /** The engine's name for {@code --execution} and {@code executionEngine(String)}. */
  public static final String NAME = "ferry";

  private final SnippetGenerations generations;

  /** The {@code ServiceLoader} constructor: publishes to {@link SnippetGenerations#shared()}. */
  public FerryExecutionControlProvider() {
    this(SnippetGenerations.shared());
  }

  public FerryExecutionControlProvider(SnippetGenerations generations) {
    if (generations == null) {
      throw new IllegalArgumentException("generations: null (expected: SnippetGenerations.shared() or your own)");
    }
    this.generations = generations;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, String> defaultParameters() {
    return Map.of();
  }

  @Override
  public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
    return new FerryExecutionControl(generations);
  }
}
