package io.ferry.examples;

import io.ferry.api.Task;
import io.ferry.api.TaskContext;
import io.ferry.driver.FerryContext;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Counts words in {@code hdfs://} or {@code file://} input through Hadoop's FileSystem API, on the
 * executors ("running alongside Hadoop"): the driver only lists files and cuts them into byte
 * ranges; each task reads its range where it runs, the way Hadoop's line reader does (a range
 * owns the lines that start in it).
 *
 * <pre>
 * bin/ferry-submit --master mesos://zk://zk1:2181/mesos --executor-uri hdfs://nn:8020/ferry/ferry-0.1.0-bin.tgz \
 *   --class io.ferry.examples.WordCount examples/ferry-examples-0.1.0.jar hdfs://nn:8020/data/books [splitMB]
 * </pre>
 *
 * <p>Prints the 20 most frequent words and the totals.
 */
public final class WordCount {
  private WordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: WordCount <hdfs:// or file:// path> [splitMB]");
    }
    URI input = URI.create(args[0]);
    long splitBytes = (args.length > 1 ? Long.parseLong(args[1]) : 1) << 20;
    List<Split> splits = plan(input, splitBytes);
    try (FerryContext ferry = FerryContext.create(Map.of())) {
      Map<String, Long> totals = new HashMap<>();
      for (Map<String, Long> counts : ferry.runAll(splits)) {
        counts.forEach((w, n) -> totals.merge(w, n, Long::sum));
      }
      long words = totals.values().stream().mapToLong(Long::longValue).sum();
      System.out.println(totals.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(20)
          .map(e -> e.getKey() + "\t" + e.getValue())
          .collect(Collectors.joining("\n")));
      System.out.printf("%d words, %d distinct, %d splits of %s%n", words, totals.size(), splits.size(), input);
    }
  }

  static List<Split> plan(URI input, long splitBytes) throws IOException {
    FileSystem fs = FileSystem.get(input, new Configuration());
    List<Split> splits = new ArrayList<>();
    for (FileStatus file : fs.listStatus(new Path(input))) {
      if (!file.isFile()) {
        continue;
      }
      for (long start = 0; start < file.getLen(); start += splitBytes) {
        splits.add(new Split(file.getPath().toUri().toString(), start, Math.min(splitBytes, file.getLen() - start)));
      }
    }
    if (splits.isEmpty()) {
      throw new IOException("no input files in " + input);
    }
    return splits;
  }

  /** Lines starting in [start, start + length) of one file. */
  record Split(String file, long start, long length) implements Task<HashMap<String, Long>> {
    @Override
    public HashMap<String, Long> run(TaskContext context) throws IOException {
      HashMap<String, Long> counts = new HashMap<>();
      Path path = new Path(URI.create(file));
      FileSystem fs = FileSystem.get(path.toUri(), new Configuration());
      long end = start + length;
      try (FSDataInputStream in = fs.open(path)) {
        // A line belongs to the split its first byte is in. Starting one byte early tells whether
        // our first byte begins a line (the byte before is a newline) or continues the previous
        // split's last line (skip it).
        long position = Math.max(0, start - 1);
        in.seek(position);
        java.io.InputStream bytes = new java.io.BufferedInputStream(in, 1 << 16);
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        boolean skipFirst = start > 0;
        while (position < end) {
          long lineStart = position;
          line.reset();
          int b;
          while ((b = bytes.read()) >= 0) {
            position++;
            if (b == '\n') {
              break;
            }
            line.write(b);
          }
          if (skipFirst) {
            skipFirst = false;
          } else if (lineStart < end) {
            count(line.toString(StandardCharsets.UTF_8), counts);
          }
          if (b < 0) {
            break;
          }
        }
      }
      return counts;
    }
  }

  static void count(String line, Map<String, Long> counts) {
    for (String word : line.toLowerCase().split("[^\\p{L}\\p{N}']+")) {
      if (!word.isEmpty()) {
        counts.merge(word, 1L, Long::sum);
      }
    }
  }
}
