package io.ferry.rpc.internal;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Jar names become file names in the executor's sandbox: only plain names, so a name from the
 * wire can never point outside the jar directory.
 */
public final class JarNames {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_+\\-][A-Za-z0-9._+\\-]{0,199}");

  private JarNames() {}

  public static void check(String name) throws IOException {
    if (!SAFE.matcher(name).matches()) {
      throw new IOException("jar name '" + io.ferry.rpc.PeerText.escape(name) + "' is not a plain file name (letters, digits, . _ + -,"
          + " not starting with a dot, at most 200 characters)");
    }
  }
}
