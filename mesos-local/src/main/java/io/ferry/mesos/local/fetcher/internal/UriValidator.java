package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CommandInfo;

/**
 * Checks a {@code CommandInfo.URI} before anything is fetched, with Mesos's rules: no {@code \},
 * {@code '} or NUL in the value; with a {@code scheme://}, a {@code /} after the host and a
 * non-empty last segment; {@code output_file} non-empty and relative. Leading whitespace is
 * trimmed first, as Mesos's fetcher does.
 *
 * <p>Stricter than Mesos in one place: an {@code output_file} with a {@code ..} segment is refused.
 * A real agent runs its fetcher as the task's user, so such a name can only reach that user's own
 * files; this fetcher runs inside the agent's JVM, so the sandbox is the only fence there is.
 */
public final class UriValidator {

  /** What stout's {@code strings::trim} strips. */
  private static final String WHITESPACE = " \t\n\r";

  private UriValidator() {}

  public static FetchItem validate(CommandInfo.URI uri) throws FetchException {
    String value = trimLeading(uri.getValue());
    if (value.isEmpty()) {
      throw new FetchException(uri.getValue(), "the URI is empty");
    }
    if (value.indexOf('\\') >= 0 || value.indexOf('\'') >= 0 || value.indexOf('\0') >= 0) {
      throw new FetchException(value,
          "illegal characters in URI (a backslash, a single quote or NUL); encode them");
    }
    if (UriSchemes.hasScheme(value)) {
      String rest = value.substring(value.indexOf("://") + 3);
      int slash = rest.indexOf('/');
      if (slash < 0 || slash + 1 >= rest.length()) {
        throw new FetchException(value, "malformed URI (missing path after the host)");
      }
    }
    Optional<String> outputFile = uri.hasOutputFile() ? Optional.of(uri.getOutputFile())
        : Optional.empty();
    String localName;
    if (outputFile.isPresent()) {
      localName = checkOutputFile(value, outputFile.get());
    } else {
      localName = LocalNamer.basename(value).orElseThrow(() -> new FetchException(value,
          "the URI names no file (its last segment is empty, '.' or '..'); set output_file"));
    }
    return new FetchItem(value, uri.getExecutable(), uri.getExtract(), uri.getCache(),
        outputFile, localName);
  }

  /** The output file as a clean relative name ({@code ./} segments and doubled slashes dropped). */
  private static String checkOutputFile(String value, String outputFile) throws FetchException {
    if (outputFile.isEmpty()) {
      throw new FetchException(value, "output_file is empty (leave it unset to use the URI's name)");
    }
    if (outputFile.startsWith("/")) {
      throw new FetchException(value, "output_file '" + outputFile
          + "' is absolute; it must be a path relative to the sandbox");
    }
    if (outputFile.indexOf('\0') >= 0 || outputFile.endsWith("/")) {
      throw new FetchException(value, "output_file '" + outputFile.replace('\0', '?')
          + "' names no file");
    }
    StringBuilder clean = new StringBuilder();
    for (String segment : outputFile.split("/")) {
      if (segment.equals("..")) {
        throw new FetchException(value, "output_file '" + outputFile
            + "' has a '..' segment; it must stay inside the sandbox");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      clean.append(clean.length() == 0 ? "" : "/").append(segment);
    }
    if (clean.length() == 0) {
      throw new FetchException(value, "output_file '" + outputFile + "' names no file");
    }
    return clean.toString();
  }

  static String trimLeading(String value) {
    int i = 0;
    while (i < value.length() && WHITESPACE.indexOf(value.charAt(i)) >= 0) {
      i++;
    }
    return value.substring(i);
  }
}
