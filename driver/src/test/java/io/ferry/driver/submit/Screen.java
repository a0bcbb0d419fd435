package io.ferry.driver.submit;

import java.util.ArrayList;
import java.util.List;

/**
 * What a terminal shows for a byte transcript: {@code \r} returns to the row's start, {@code \n}
 * starts a new row, other characters overwrite. Enough to check that a redrawn line and other
 * output never share a row.
 */
final class Screen {
  private Screen() {}

  static List<String> rows(String transcript) {
    List<String> rows = new ArrayList<>();
    StringBuilder row = new StringBuilder();
    int col = 0;
    for (char c : transcript.toCharArray()) {
      if (c == '\r') {
        col = 0;
      } else if (c == '\n') {
        rows.add(row.toString().stripTrailing());
        row.setLength(0);
        col = 0;
      } else {
        if (col < row.length()) {
          row.setCharAt(col, c);
        } else {
          row.append(c);
        }
        col++;
      }
    }
    if (!row.isEmpty()) {
      rows.add(row.toString().stripTrailing());
    }
    return rows;
  }
}
