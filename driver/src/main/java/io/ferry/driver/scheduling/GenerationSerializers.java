package io.ferry.driver.scheduling;

import io.ferry.api.TaskSerializer;
import io.ferry.driver.ClassGenerations;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver's {@link TaskSerializer} for a task's class generation: the application's for
 * generation 0, else one over the loader that defined the generation's classes (a shell snippet's
 * result type lives there only). The last few are kept, so a job of one generation builds one.
 */
final class GenerationSerializers {
  private static final int KEPT = 8;

  private final TaskSerializer application;
  private final ClassGenerations generations;
  private final Map<Long, TaskSerializer> recent = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, TaskSerializer> eldest) {
      return size() > KEPT;
    }
  };

  GenerationSerializers(TaskSerializer application, ClassGenerations generations) {
    this.application = application;
    this.generations = generations;
  }

  long current() {
    return generations.current();
  }

  ClassGenerations generations() {
    return generations;
  }

  synchronized TaskSerializer forGeneration(long generation) {
    if (generation == 0) {
      return application;
    }
    TaskSerializer serializer = recent.get(generation);
    if (serializer == null) {
      serializer = generations.find(generation)
          .map(g -> new TaskSerializer(g.loader()))
          .orElseThrow(() -> new IllegalStateException("class generation " + generation
              + " is not known to this driver (its ClassGenerations no longer has it)"));
      recent.put(generation, serializer);
    }
    return serializer;
  }
}
