package io.ferry.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Wall times of repeated runs of one benchmark. */
record Result(List<Long> nanos) {

  /** The median, in seconds. */
  double median() {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int n = sorted.size();
    double mid = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    return mid / 1e9;
  }

  double min() {
    return Collections.min(nanos) / 1e9;
  }

  double max() {
    return Collections.max(nanos) / 1e9;
  }
}
