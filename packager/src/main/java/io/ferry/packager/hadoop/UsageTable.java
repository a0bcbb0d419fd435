package io.ferry.packager.hadoop;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The column layout of {@code hadoop fs -du}: left-aligned columns two spaces apart, the last
 * one unpadded. Reproduced rather than approximated because the Mesos fetcher parses this output
 * (it splits on spaces and tabs and takes the first field as the size).
 */
final class UsageTable {

  private final List<String[]> rows = new ArrayList<>();
  private final int[] widths;
  private final boolean header;

  /** A table without a header line. */
  UsageTable(int columns) {
    this.widths = new int[columns];
    this.header = false;
  }

  /** A table whose first row is {@code headers}. */
  UsageTable(String... headers) {
    this.widths = new int[headers.length];
    addRow((Object[]) headers);
    this.header = true;
  }

  void addRow(Object... values) {
    String[] row = new String[widths.length];
    for (int i = 0; i < widths.length; i++) {
      row[i] = String.valueOf(values[i]);
      widths[i] = Math.max(widths[i], row[i].length());
    }
    rows.add(row);
  }

  boolean isEmpty() {
    return rows.size() == (header ? 1 : 0);
  }

  void printTo(PrintStream out) {
    if (isEmpty()) {
      return;
    }
    StringBuilder fmt = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      if (i > 0) {
        fmt.append("  ");
      }
      fmt.append(i == widths.length - 1 ? "%s" : "%-" + widths[i] + "s");
    }
    for (String[] row : rows) {
      out.println(String.format(fmt.toString(), (Object[]) row));
    }
  }
}
