package io.ferry.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The printed result: one Markdown row per measurement, then notes. */
final class Table {

  private record Row(String name, Result result, long bytes, String ratio, Long throughputBytes) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  void add(String name, Result result, long bytes, String ratio, Long throughputBytes) {
    rows.add(new Row(name, result, bytes, ratio, throughputBytes));
    Summary.add("packaging", name, String.format(Locale.ROOT, "%.3f s", result.median()), "", ratio, "");
  }

  void note(String note) {
    notes.add(note);
  }

  void print(PrintStream out) {
    out.println("| benchmark | median s (min-max) | size MiB | MiB/s | vs baseline |");
    out.println("| --- | --- | --- | --- | --- |");
    for (Row r : rows) {
      String rate = r.throughputBytes() == null ? "" :
          String.format(Locale.ROOT, "%.0f", r.throughputBytes() / 1048576.0 / r.result().median());
      out.printf(Locale.ROOT, "| %s | %.3f (%.3f-%.3f) | %.2f | %s | %s |%n", r.name(), r.result().median(),
          r.result().min(), r.result().max(), r.bytes() / 1048576.0, rate, r.ratio());
    }
    for (String n : notes) {
      out.println();
      out.println(n);
    }
  }
}
