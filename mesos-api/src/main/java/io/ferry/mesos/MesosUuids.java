package io.ferry.mesos;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The UUIDs of status updates and acknowledgements: 16 raw bytes of an RFC-4122 UUID with a
 * valid version nibble. Mesos answers anything else with 400 "Not a valid UUID".
 */
public final class MesosUuids {

  private MesosUuids() {}

  /** A fresh random (version 4) UUID as Mesos wants it on the wire. */
  public static ByteString random() {
    UUID uuid = UUID.randomUUID();
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits()).array());
  }

  /** 16 bytes, the RFC-4122 variant, and a version from 1 to 5. */
  public static boolean isValid(ByteString bytes) {
    if (bytes == null || bytes.size() != 16) {
      return false;
    }
    ByteBuffer b = bytes.asReadOnlyByteBuffer();
    int version = (b.get(6) >> 4) & 0x0f;
    int variant = (b.get(8) >> 6) & 0x03;
    return version >= 1 && version <= 5 && variant == 0b10;
  }
}
