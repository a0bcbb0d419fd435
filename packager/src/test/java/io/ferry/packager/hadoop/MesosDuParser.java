package io.ferry.packager.hadoop;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * How the Mesos agent reads {@code hadoop fs -du <path>} for its fetcher cache, transcribed from
 * {@code HDFS::du} in apache/mesos src/hdfs/hdfs.cpp: split stdout into lines, split each line
 * on spaces and tabs dropping empty fields, and take the first line with 2 or 3 fields whose
 * last field is exactly the path that was passed; its first field, as an unsigned number, is the
 * size. Anything else fails the size lookup (and the fetch then bypasses the cache).
 *
 * <p>Older versions of hdfs.cpp accepted exactly 2 fields, which the three columns of Hadoop
 * 2.8+ and this shim never match: on such agents the cache is bypassed, as with real Hadoop.
 */
final class MesosDuParser {

  private MesosDuParser() {}

  static OptionalLong size(String stdout, String path) {
    for (String line : stdout.split("\n")) {
      String[] fields = Arrays.stream(line.split("[ \t]+")).filter(f -> !f.isEmpty())
          .toArray(String[]::new);
      if ((fields.length == 2 || fields.length == 3) && fields[fields.length - 1].equals(path)) {
        try {
          return OptionalLong.of(Long.parseUnsignedLong(fields[0]));
        } catch (NumberFormatException e) {
          // numify<size_t> failed: Mesos goes on to the next line.
        }
      }
    }
    return OptionalLong.empty();
  }
}
