package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.it.support.ChildProcess;
import io.ferry.it.support.Distribution;
import io.ferry.it.support.FetcherHadoopConf;
import io.ferry.packager.testing.MiniHdfs;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples' WordCount, run the way users run it ({@code bin/ferry-submit} from the
 * distribution, a child JVM with its own local-cluster), over a few MB of {@code hdfs://} input
 * in a MiniDFSCluster: executors fetch the archive from HDFS and read their byte ranges from HDFS.
 * The printed totals and top 20 must equal a count computed here.
 */
@Timeout(240)
class WordCountHdfsTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  private static final String[] VOCABULARY = {
    "mesos", "ferry", "agent", "driver", "executor", "task", "offer", "río", "straße", "don't",
    "naïve", "x1", "42", "hdfs", "über", "l'eau", "a", "the", "of", "ça"};

  @Test
  void countsEveryWordOfHdfsInputExactly() throws Exception {
    FetcherHadoopConf.clear();
    Distribution dist = Distribution.locate();
    Path archive = dist.buildArchive(Files.createDirectories(dir.resolve("archive")));
    try (MiniHdfs hdfs = MiniHdfs.start(dir.resolve("hdfs"), 1)) {
      FileSystem fs = hdfs.fileSystem();
      String archiveUri = hdfs.uri("/ferry/" + archive.getFileName()).toString();
      fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(archive.toUri()), new org.apache.hadoop.fs.Path(archiveUri));

      Map<String, Long> expected = new HashMap<>();
      // Two files, sizes not multiples of the 1 MiB split, lines crossing split boundaries.
      writeInput(fs, hdfs.uri("/books/one.txt").toString(), 3_300_000, 1, expected);
      writeInput(fs, hdfs.uri("/books/two.txt").toString(), 1_700_000, 2, expected);

      Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"));
      ChildProcess.Result r = ChildProcess.run(dir.resolve("submit.log"), env, Duration.ofSeconds(200), List.of(
          dist.bin("ferry-submit").toString(),
          "--master", "local-cluster[2,2,1024]",
          "--executor-uri", archiveUri,
          "--conf", "ferry.executor.memory=256m",
          "--conf", "ferry.local.dir=" + dir.resolve("work"),
          "--class", "io.ferry.examples.WordCount",
          dist.examplesJar().toString(),
          hdfs.uri("/books").toString(), "1"));
      assertThat(r.exitCode()).as("ferry-submit WordCount:\n%s", r.output()).isZero();

      long words = expected.values().stream().mapToLong(Long::longValue).sum();
      long splits = 0;
      for (org.apache.hadoop.fs.FileStatus file : fs.listStatus(new org.apache.hadoop.fs.Path(hdfs.uri("/books")))) {
        splits += (file.getLen() + (1 << 20) - 1) >> 20;
      }
      assertThat(splits).isGreaterThan(3);
      assertThat(r.output()).contains(words + " words, " + expected.size() + " distinct, " + splits + " splits of "
          + hdfs.uri("/books"));
      String top = expected.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(20)
          .map(e -> e.getKey() + "\t" + e.getValue())
          .collect(Collectors.joining("\n"));
      assertThat(r.output()).contains(top);
    }
  }

  /** About {@code bytes} of text, Zipf-ish, with rare unique words; counted into {@code counts}. */
  private static void writeInput(FileSystem fs, String uri, int bytes, long seed, Map<String, Long> counts)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder(bytes + 200);
    int unique = 0;
    while (text.length() < bytes) {
      StringBuilder line = new StringBuilder();
      int n = 1 + random.nextInt(25);
      for (int i = 0; i < n; i++) {
        String word = random.nextInt(50) == 0 ? "Word" + seed + "x" + unique++
            : VOCABULARY[(int) Math.min(VOCABULARY.length - 1, Math.abs(random.nextGaussian()) * 5)];
        if (random.nextInt(7) == 0) {
          word = word.toUpperCase(java.util.Locale.ROOT);
        }
        line.append(word).append(random.nextInt(9) == 0 ? ", " : " ");
      }
      text.append(line).append('\n');
      count(line.toString(), counts);
    }
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(uri))) {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** WordCount's definition of a word: lower-cased runs of letters, digits and apostrophes. */
  private static void count(String line, Map<String, Long> counts) {
    for (String word : line.toLowerCase().split("[^\\p{L}\\p{N}']+")) {
      if (!word.isEmpty()) {
        counts.merge(word, 1L, Long::sum);
      }
    }
  }
}
