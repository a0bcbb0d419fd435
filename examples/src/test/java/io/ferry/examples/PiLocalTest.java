package io.ferry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.api.TaskContext;
import org.junit.jupiter.api.Test;

class PiLocalTest {
  private static final TaskContext CONTEXT = new TaskContext() {
    @Override
    public long taskId() {
      return 0;
    }

    @Override
    public int attempt() {
      return 0;
    }

    @Override
    public String executorId() {
      return "test";
    }

    @Override
    public String hostname() {
      return "localhost";
    }

    @Override
    public boolean isCancelled() {
      return false;
    }
  };

  @Test
  void aSliceIsDeterministicAndPlausible() {
    long a = new Pi.Slice(3, 200_000).run(CONTEXT);
    long b = new Pi.Slice(3, 200_000).run(CONTEXT);
    assertThat(a).isEqualTo(b);
    assertThat(4.0 * a / 200_000).isBetween(3.1, 3.2);
  }
}
