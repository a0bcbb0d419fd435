package io.ferry.driver.submit;

import io.ferry.api.Task;
import io.ferry.driver.FerryContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A test application for {@code ferry-submit}: five tasks on the configured master, their sum on stdout. */
public final class SquaresApp {
  private SquaresApp() {}

  public static void main(String[] args) throws Exception {
    try (FerryContext ferry = FerryContext.create(Map.of())) {
      List<Task<Integer>> tasks = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        int n = i;
        tasks.add(ctx -> n * n);
      }
      System.out.println("sum of squares " + ferry.runAll(tasks).stream().mapToInt(Integer::intValue).sum());
    }
  }
}
