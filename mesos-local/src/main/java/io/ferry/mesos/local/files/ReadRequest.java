package io.ferry.mesos.local.files;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code offset} and {@code length} of {@code /files/read}, checked as Mesos's {@code __read} does:
 * numbers as {@code numify} reads them (decimal, or hexadecimal with {@code 0x}), {@code -1} the
 * least of each. {@code offset=-1} or no offset asks for the file's size (no data, and the answer's
 * offset is the size: how Mesos's UI learns where to start tailing); {@code length=-1} or no length
 * means to the end of the file (at most {@link SandboxReader#MAX_READ} bytes either way).
 *
 * @param problem Mesos's 400 text, or null
 */
record ReadRequest(long offset, OptionalLong length, OptionalLong reportedOffset, String problem) {

  static ReadRequest parse(Optional<String> offsetParam, Optional<String> lengthParam) {
    long offset = -1;
    if (offsetParam.isPresent()) {
      Optional<Long> parsed = numify(offsetParam.get());
      if (parsed.isEmpty()) {
        return problem("Failed to parse offset: Failed to convert '" + offsetParam.get() + "' to number.\n");
      }
      if (parsed.get() < -1) {
        return problem("Negative offset provided: " + parsed.get() + ".\n");
      }
      offset = parsed.get();
    }
    OptionalLong length = OptionalLong.empty();
    if (lengthParam.isPresent()) {
      Optional<Long> parsed = numify(lengthParam.get());
      if (parsed.isEmpty()) {
        return problem("Failed to parse length: Failed to convert '" + lengthParam.get() + "' to number.\n");
      }
      if (parsed.get() < -1) {
        return problem("Negative length provided: " + parsed.get() + ".\n");
      }
      if (parsed.get() > -1) {
        length = OptionalLong.of(parsed.get());
      }
    }
    if (offset == -1) {
      return new ReadRequest(0, OptionalLong.of(0), OptionalLong.empty(), null);
    }
    return new ReadRequest(offset, length, OptionalLong.of(offset), null);
  }

  private static ReadRequest problem(String text) {
    return new ReadRequest(0, OptionalLong.empty(), OptionalLong.empty(), text);
  }

  /** stout's {@code numify<long>}: what {@code boost::lexical_cast} reads, or {@code [-]0x} hexadecimal. */
  static Optional<Long> numify(String s) {
    try {
      return Optional.of(Long.parseLong(s));
    } catch (NumberFormatException notDecimal) {
      boolean negative = s.startsWith("-");
      String digits = negative ? s.substring(1) : s;
      if (digits.startsWith("0x") || digits.startsWith("0X")) {
        try {
          long value = Long.parseUnsignedLong(digits.substring(2), 16);
          return Optional.of(negative ? -value : value);
        } catch (NumberFormatException notHex) {
          return Optional.empty();
        }
      }
      return Optional.empty();
    }
  }
}
