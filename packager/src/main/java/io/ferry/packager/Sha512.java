package io.ferry.packager;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** SHA-512 of files and streams, and the {@code .sha512} sidecar format. */
public final class Sha512 {

  /** In a holder, so that building an archive (which only digests) compiles no pattern. */
  private static final class Sidecar {
    static final Pattern PATTERN =
        Pattern.compile("^\\s*([0-9a-fA-F]{128})(?:\\s+\\*?(\\S.*))?\\s*$", Pattern.MULTILINE);
  }

  private Sha512() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-512", e);
    }
  }

  /** Hex SHA-512 of everything the stream yields; the stream is not closed. */
  public static String of(InputStream in) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buf = new byte[1 << 20];
    for (int n; (n = in.read(buf)) > 0; ) {
      digest.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  public static String of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return of(in);
    }
  }

  /**
   * The hex digest in a sidecar's text: {@code sha512sum}'s {@code <hex>  <name>} form or a bare
   * hex digest. Empty if the text holds no 128-digit hex value.
   */
  public static Optional<String> parseSidecar(String text) {
    Matcher m = Sidecar.PATTERN.matcher(text);
    return m.find() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
  }
}
