package io.ferry.packager.cli;

import io.ferry.packager.store.StoreException;

/**
 * Exit codes of {@code ferry-package}, stable for scripts.
 *
 * <pre>
 *  0  success
 *  1  any other failure (an I/O error, a server that refused the request)
 *  2  usage: unknown flag, missing argument, malformed URI or unknown scheme
 *  3  not found: the local file, the remote object or its .sha512
 *  4  the target exists; pass --overwrite
 *  5  authentication or permission failure
 *  6  host unreachable, or a transient failure that outlasted the retries
 *  7  verification failed: size or SHA-512 mismatch
 *  8  no space or quota left at the target
 * </pre>
 */
public final class ExitCodes {

  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int NOT_FOUND = 3;
  public static final int EXISTS = 4;
  public static final int AUTH = 5;
  public static final int UNREACHABLE = 6;
  public static final int CORRUPT = 7;
  public static final int NO_SPACE = 8;

  private ExitCodes() {}

  public static int of(StoreException e) {
    return switch (e.kind()) {
      case NOT_FOUND -> NOT_FOUND;
      case ALREADY_EXISTS -> EXISTS;
      case AUTH -> AUTH;
      case UNREACHABLE, TRANSIENT -> UNREACHABLE;
      case NO_SPACE -> NO_SPACE;
      case CORRUPT -> CORRUPT;
      case BAD_URI -> USAGE;
      case REJECTED -> FAILURE;
    };
  }
}
