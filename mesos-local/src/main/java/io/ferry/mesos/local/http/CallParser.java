package io.ferry.mesos.local.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.ferry.mesos.ContentType;
import java.util.Optional;

/**
 * The checks both v1 endpoints make, in Mesos's order, before looking at what a call asks: the
 * method (405), a Content-Type header (400) of one of the two exact media types (415), and a body
 * that parses into the call (400).
 */
public final class CallParser {

  /** Either a parsed call and its content type, or the status and text to answer with. */
  public record Parsed<C>(C call, ContentType contentType, int errorStatus, String error) {
    public boolean failed() {
      return call == null;
    }
  }

  private CallParser() {}

  public static <C extends Message> Parsed<C> parse(String method, String contentTypeHeader, byte[] body,
      Message.Builder builder) {
    if (!"POST".equals(method)) {
      return failure(405, "Expecting 'POST', received '" + method + "'");
    }
    if (contentTypeHeader == null) {
      return failure(400, "Expecting 'Content-Type' to be present");
    }
    Optional<ContentType> type = ContentType.ofHeader(contentTypeHeader);
    if (type.isEmpty()) {
      return failure(415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
    }
    try {
      C call = type.get().decode(body, builder);
      return new Parsed<>(call, type.get(), 0, null);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return failure(400, "Failed to parse body into Call: " + e.getMessage());
    }
  }

  private static <C> Parsed<C> failure(int status, String text) {
    return new Parsed<>(null, null, status, text);
  }
}
