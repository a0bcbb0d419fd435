package io.ferry.rpc.internal;

import com.google.protobuf.ByteString;
import io.ferry.rpc.proto.JarDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The application's jars as the driver serves them: by file name, with size and SHA-256. */
public final class JarCatalog {
  public record Entry(Path path, JarDescriptor descriptor) {}

  private final Map<String, Entry> byName;

  private JarCatalog(Map<String, Entry> byName) {
    this.byName = byName;
  }

  /**
   * Reads and checksums every jar once, at start.
   *
   * @throws IOException naming the jar that is missing or unreadable, or two jars that share a name
   */
  public static JarCatalog of(List<Path> jars) throws IOException {
    Map<String, Entry> byName = new LinkedHashMap<>();
    for (Path jar : jars) {
      if (!Files.isRegularFile(jar)) {
        throw new IOException("application jar " + jar + " does not exist or is not a file (check ferry.jars)");
      }
      String name = jar.getFileName().toString();
      JarNames.check(name);
      Entry previous = byName.get(name);
      if (previous != null) {
        throw new IOException("two application jars share the file name " + name + ": "
            + previous.path() + " and " + jar + " (rename one; executors store jars by name)");
      }
      byName.put(name, new Entry(jar, JarDescriptor.newBuilder()
          .setName(name)
          .setSize(Files.size(jar))
          .setSha256(ByteString.copyFrom(sha256(jar)))
          .build()));
    }
    return new JarCatalog(byName);
  }

  public List<JarDescriptor> descriptors() {
    List<JarDescriptor> list = new ArrayList<>();
    byName.values().forEach(e -> list.add(e.descriptor()));
    return list;
  }

  public Optional<Entry> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public static byte[] sha256(Path file) throws IOException {
    MessageDigest digest = newSha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }
}
