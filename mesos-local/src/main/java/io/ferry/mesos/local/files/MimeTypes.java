package io.ferry.mesos.local.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code Content-Type} of a download, by the file's extension, from libprocess's own table
 * ({@code mime.types}, copied from {@code 3rdparty/libprocess/src/mime.cpp}); anything else is
 * {@code application/octet-stream}, as in Mesos's {@code _download}.
 */
final class MimeTypes {

  private static final Map<String, String> TYPES = load();

  private MimeTypes() {}

  /** Mesos's {@code Path::extension}: from the last {@code .} of the name, that dot included. */
  static String of(String basename) {
    int dot = basename.lastIndexOf('.');
    if (dot < 0 || basename.equals(".") || basename.equals("..")) {
      return "application/octet-stream";
    }
    return TYPES.getOrDefault(basename.substring(dot), "application/octet-stream");
  }

  private static Map<String, String> load() {
    Map<String, String> types = new HashMap<>();
    try (InputStream in = MimeTypes.class.getResourceAsStream("mime.types")) {
      if (in == null) {
        throw new IllegalStateException("mime.types is missing from the class path next to " + MimeTypes.class);
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = lines.readLine()) != null; ) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] parts = line.trim().split("\\s+", 2);
          types.put(parts[0], parts[1]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(types);
  }
}
