package io.ferry.driver.internal;

import io.ferry.driver.MesosLaunchSettings.Label;
import java.util.ArrayList;
import java.util.List;

/**
 * Mesos labels as text, in the format of Spark's {@code spark.mesos.task.labels}
 * ({@code MesosProtoUtils.mesosLabels}): {@code key:value} pairs separated by commas,
 * {@code team:data,tier:batch}. A comma or colon preceded by a backslash belongs to the key or value
 * ({@code url:http\://host\:80} is the key {@code url} with the value {@code http://host:80}); each
 * pair must hold exactly one other colon. Keys and values are taken as written, blanks included.
 */
public final class MesosLabelsText {

  static final String EXPECTED = "expected: key:value pairs separated by commas, such as team:data,tier:batch;"
      + " write \\, or \\: for a comma or colon inside a key or value";

  private MesosLabelsText() {}

  /** @throws IllegalArgumentException naming the bad entry and what is expected */
  public static List<Label> parse(String text) {
    List<Label> labels = new ArrayList<>();
    for (String entry : splitUnescaped(text, ',')) {
      List<String> parts = splitUnescaped(entry, ':');
      if (parts.size() != 2) {
        throw new IllegalArgumentException("entry '" + entry + "' " + (parts.size() < 2 ? "has no ':'" : "has "
            + (parts.size() - 1) + " unescaped ':'") + "; " + EXPECTED);
      }
      labels.add(new Label(unescape(parts.get(0)), unescape(parts.get(1))));
    }
    return List.copyOf(labels);
  }

  /** Spark's {@code splitUnescaped}: around each {@code c} not directly after a backslash. */
  private static List<String> splitUnescaped(String text, char c) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == c && (i == 0 || text.charAt(i - 1) != '\\')) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static String unescape(String part) {
    return part.replace("\\,", ",").replace("\\:", ":");
  }
}
