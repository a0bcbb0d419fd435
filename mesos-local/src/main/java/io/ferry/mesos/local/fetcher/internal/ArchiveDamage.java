package io.ferry.mesos.local.fetcher.internal;

import io.ferry.mesos.local.fetcher.FetchException;
import java.io.EOFException;
import java.io.IOException;
import java.util.Locale;

/**
 * The reason for an archive that cannot be read to its end. Decompressors report a cut-off
 * archive in several ways (an {@link EOFException} with no message, "Truncated TAR archive",
 * "Premature end of stream"), so these become one true sentence, and anything else is quoted,
 * short, as the decompressor said it.
 */
final class ArchiveDamage {

  private ArchiveDamage() {}

  /**
   * @param archive the archive's name
   * @param where e.g. {@code " in entry 'big.bin'"}, {@code " after entry 'a'"}, or {@code ""}
   */
  static FetchException of(String archive, String where, IOException e) {
    String name = ReasonText.quote(archive);
    if (truncated(e)) {
      return new FetchException(null, "archive " + name + " is truncated or corrupt: unexpected"
          + " end of data" + where, e);
    }
    String said = e.getMessage() == null || e.getMessage().isBlank()
        ? e.getClass().getSimpleName() : e.getMessage();
    return new FetchException(null, "archive " + name + " is corrupt" + where + ": "
        + ReasonText.quote(said) + "; is it a complete archive of the kind its name says?", e);
  }

  private static boolean truncated(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof EOFException) {
        return true;
      }
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("truncated") || message.contains("premature end")
          || message.contains("unexpected end") || message.contains("end of stream")
          || message.contains("eof")) {
        return true;
      }
    }
    return false;
  }
}
