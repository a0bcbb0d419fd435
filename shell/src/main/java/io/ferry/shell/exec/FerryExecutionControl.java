package io.ferry.shell.exec;

import java.util.LinkedHashMap;
import java.util.Map;
import jdk.jshell.execution.LocalExecutionControl;

/**
 * Runs snippets in the shell's own JVM, exactly as JShell's {@code --execution local} does (JShell's
 * own loader per engine over the system class loader, so the {@code FerryContext} a snippet uses is
 * this JVM's), and publishes every class JShell defines to {@link SnippetGenerations}, from which the
 * driver serves them to executors: all of a {@code load}, or only those installed before a load
 * failed part-way (JShell then marks only those as loaded).
 *
 * <p>Redefinition: in-place redefinition of a loaded class needs a debugger or an agent (JShell's
 * default, JDI-based engine has one); this JVM has neither, so {@link #redefine} is not implemented,
 * as in JShell's {@code DirectExecutionControl}. JShell's {@code Unit.doRedefines} then gives the
 * changed snippet, and every snippet that depends on it, a new wrapper class
 * ({@code markForReplacement}: {@code REPL.$JShell$12B} after {@code REPL.$JShell$12}) and
 * {@link #load loads} that. So within one engine a class name, once published, keeps its bytes,
 * and each generation is the one before plus what was loaded; old lambdas and objects keep running
 * their own generation's code, on the executors as here. Should a subclass ever redefine in place,
 * {@link #classesRedefined} publishes the new bytes as a new generation all the same.
 */
public class FerryExecutionControl extends LocalExecutionControl {
  private final SnippetGenerations generations;

  public FerryExecutionControl(SnippetGenerations generations) {
    this.generations = generations;
    generations.startSession();
  }

  @Override
  public void load(ClassBytecodes[] cbcs)
      throws ClassInstallException, NotImplementedException, EngineTerminationException {
    try {
      super.load(cbcs);
    } catch (ClassInstallException e) {
      publish(cbcs, e.installed());
      throw e;
    }
    publish(cbcs, null);
  }

  /** Not implemented (see the class comment): JShell falls back to new wrapper classes. */
  @Override
  public void redefine(ClassBytecodes[] cbcs) throws NotImplementedException {
    throw new NotImplementedException("redefine: this engine runs snippets in the shell's JVM, which cannot"
        + " redefine a loaded class; JShell loads new wrapper classes instead");
  }

  @Override
  protected void classesRedefined(ClassBytecodes[] cbcs) throws NotImplementedException, EngineTerminationException {
    super.classesRedefined(cbcs);
    publish(cbcs, null);
  }

  /** The generations this engine publishes to. */
  public SnippetGenerations generations() {
    return generations;
  }

  /** @param installed which of {@code cbcs} were defined; null for all */
  private void publish(ClassBytecodes[] cbcs, boolean[] installed) {
    Map<String, byte[]> changed = new LinkedHashMap<>();
    ClassLoader definedBy = null;
    for (int i = 0; i < cbcs.length; i++) {
      if (installed == null || (i < installed.length && installed[i])) {
        changed.put(cbcs[i].name(), cbcs[i].bytecodes());
        if (definedBy == null) {
          definedBy = definingLoader(cbcs[i].name());
        }
      }
    }
    if (definedBy != null) {
      generations.publish(changed, definedBy);
    }
  }

  private ClassLoader definingLoader(String name) {
    try {
      return findClass(name).getClassLoader();
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("JShell reported " + name + " as loaded, but its loader cannot find it", e);
    }
  }
}
