package io.ferry.mesos.local.fetcher.internal;

import java.util.Optional;

/**
 * One {@code CommandInfo.URI} after validation: what to fetch and under which name.
 *
 * @param value the URI with leading whitespace trimmed, as the fetcher uses it
 * @param executable chmod 0755 and never extract
 * @param extract unpack archives and gunzip bare {@code .gz} files (ignored when executable)
 * @param cache fetch through the {@code FetcherCache}, when there is one
 * @param outputFile the task's {@code output_file}, relative to the sandbox, if it set one
 * @param localName where the download lands, relative to the sandbox: {@code outputFile}, else
 *     the text after the URI's last {@code /}
 */
public record FetchItem(
    String value,
    boolean executable,
    boolean extract,
    boolean cache,
    Optional<String> outputFile,
    String localName) {

  /** The local name's last segment, e.g. {@code x.tgz} for {@code sub/x.tgz}. */
  public String localBasename() {
    return localName.substring(localName.lastIndexOf('/') + 1);
  }

  /** The value for messages and the log: credentials and query string redacted. */
  public String redacted() {
    return UriText.redact(value);
  }
}
