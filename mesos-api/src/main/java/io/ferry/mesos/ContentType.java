package io.ferry.mesos;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.ferry.mesos.internal.ProtoFieldNames;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The two encodings Mesos's v1 APIs speak. JSON is proto2 JSON with the field names exactly as in
 * the {@code .proto} files (snake_case); unknown keys and camelCase names are ignored when reading,
 * as Mesos does.
 *
 * <pre>{@code
 * byte[] body = ContentType.JSON.encode(call);
 * Event event = ContentType.PROTOBUF.decode(bytes, Event.newBuilder());
 * }</pre>
 */
public enum ContentType {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final String mediaType;

  ContentType(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The exact header value, e.g. {@code application/x-protobuf}. */
  public String mediaType() {
    return mediaType;
  }

  /**
   * The content type a {@code Content-Type} header names, by Mesos's rule: exactly one of the two
   * media types, no parameters (Mesos answers 415 to {@code application/json;charset=utf-8}).
   */
  public static Optional<ContentType> ofHeader(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String value = header.trim().toLowerCase(Locale.ROOT);
    for (ContentType type : values()) {
      if (type.mediaType.equals(value)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /**
   * The stream type Mesos picks for an {@code Accept} header: JSON if acceptable (an absent or
   * empty header and {@code *}{@code /*} count), else protobuf if acceptable, else empty (406).
   */
  public static Optional<ContentType> forAccept(String accept) {
    if (accept == null || accept.isBlank()) {
      return Optional.of(JSON);
    }
    boolean protobuf = false;
    for (String part : accept.split(",")) {
      String media = part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (media.equals("*/*") || media.equals("application/*") || media.equals(JSON.mediaType)) {
        return Optional.of(JSON);
      }
      protobuf |= media.equals(PROTOBUF.mediaType);
    }
    return protobuf ? Optional.of(PROTOBUF) : Optional.empty();
  }

  public byte[] encode(Message message) {
    if (this == PROTOBUF) {
      return message.toByteArray();
    }
    try {
      return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("cannot print " + message.getDescriptorForType().getFullName()
          + " as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Parses {@code bytes} into {@code builder} and builds it.
   *
   * @throws InvalidProtocolBufferException when the bytes are not a valid message of this type,
   *     or required fields are missing
   */
  @SuppressWarnings("unchecked")
  public <M extends Message> M decode(byte[] bytes, Message.Builder builder)
      throws InvalidProtocolBufferException {
    if (this == PROTOBUF) {
      builder.mergeFrom(bytes);
    } else {
      JsonElement tree;
      try {
        tree = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
      } catch (JsonParseException e) {
        throw new InvalidProtocolBufferException("not JSON: " + e.getMessage());
      }
      if (!tree.isJsonObject()) {
        throw new InvalidProtocolBufferException("expected a JSON object, got " + abbreviate(tree.toString()));
      }
      ProtoFieldNames.retainProtoNames(tree.getAsJsonObject(), builder.getDescriptorForType());
      PARSER.merge(tree.toString(), builder);
    }
    if (!builder.isInitialized()) {
      throw new InvalidProtocolBufferException("missing required fields: "
          + String.join(", ", builder.findInitializationErrors()));
    }
    return (M) builder.build();
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
