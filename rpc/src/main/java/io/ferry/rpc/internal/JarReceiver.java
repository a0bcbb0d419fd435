package io.ferry.rpc.internal;

import io.ferry.rpc.RpcException;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.JarChunk;
import io.ferry.rpc.proto.JarDescriptor;
import io.ferry.rpc.proto.JarRequest;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The executor's side of jar downloads: one at a time per name, chunks written by a serial writer
 * thread (never the event loop) to a temp file that becomes the jar only after its size and
 * SHA-256 match what the driver announced.
 */
public final class JarReceiver {
  private final Channel channel;
  private final ExecutorService writer;
  private final Map<String, Download> downloads = new ConcurrentHashMap<>();

  public JarReceiver(Channel channel, ExecutorService writer) {
    this.channel = channel;
    this.writer = writer;
  }

  public CompletableFuture<Path> fetch(JarDescriptor jar, Path directory) {
    try {
      JarNames.check(jar.getName());
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new RpcException("refusing the driver's jar: " + e.getMessage()));
    }
    Download fresh = new Download(jar, directory);
    Download existing = downloads.putIfAbsent(jar.getName(), fresh);
    if (existing != null) {
      return existing.result;
    }
    writer.execute(() -> {
      try {
        Path target = directory.resolve(jar.getName());
        if (Files.isRegularFile(target)
            && Files.size(target) == jar.getSize()
            && MessageDigest.isEqual(JarCatalog.sha256(target), jar.getSha256().toByteArray())) {
          finish(fresh, target, null);
          return;
        }
        Files.createDirectories(directory);
        fresh.temp = Files.createTempFile(directory, "." + jar.getName(), ".part");
        fresh.out = Files.newOutputStream(fresh.temp);
        channel.writeAndFlush(Frame.newBuilder()
            .setJarRequest(JarRequest.newBuilder().setName(jar.getName()))
            .build());
      } catch (IOException e) {
        finish(fresh, null, new RpcException("cannot store jar " + jar.getName() + " in " + directory + ": " + e.getMessage(), e));
      }
    });
    return fresh.result;
  }

  /** Called on the event loop; the work happens on the writer thread, in arrival order. */
  public void onChunk(JarChunk chunk) {
    writer.execute(() -> write(chunk));
  }

  /** The connection ended: every download under way fails with the reason. */
  public void failAll(String reason) {
    writer.execute(() -> downloads.values().forEach(d ->
        finish(d, null, new RpcException("jar " + d.jar.getName() + " not downloaded: " + reason))));
  }

  private void write(JarChunk chunk) {
    Download d = downloads.get(chunk.getName());
    if (d == null || d.out == null) {
      return; // a chunk for a download that already failed
    }
    String name = chunk.getName();
    try {
      if (!chunk.getError().isEmpty()) {
        throw new RpcException("the driver could not serve jar " + name + ": " + io.ferry.rpc.PeerText.escape(chunk.getError()));
      }
      if (chunk.getOffset() != d.written) {
        throw new RpcException("jar " + name + ": chunk at offset " + chunk.getOffset() + ", expected " + d.written);
      }
      chunk.getData().writeTo(d.out);
      d.digest.update(chunk.getData().asReadOnlyByteBuffer());
      d.written += chunk.getData().size();
      if (d.written > d.jar.getSize()) {
        throw new RpcException("jar " + name + ": received more than the announced " + d.jar.getSize() + " bytes");
      }
      if (chunk.getLast()) {
        d.out.close();
        byte[] actual = d.digest.digest();
        if (d.written != d.jar.getSize()) {
          throw new RpcException("jar " + name + ": received " + d.written + " bytes, expected " + d.jar.getSize());
        }
        if (!MessageDigest.isEqual(actual, d.jar.getSha256().toByteArray())) {
          throw new RpcException("jar " + name + ": SHA-256 " + HexFormat.of().formatHex(actual)
              + " does not match the announced " + HexFormat.of().formatHex(d.jar.getSha256().toByteArray()));
        }
        Path target = d.directory.resolve(name);
        Files.move(d.temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        d.temp = null;
        finish(d, target, null);
      }
    } catch (RpcException e) {
      finish(d, null, e);
    } catch (IOException e) {
      finish(d, null, new RpcException("cannot store jar " + name + " in " + d.directory + ": " + e.getMessage(), e));
    }
  }

  private void finish(Download d, Path path, RpcException failure) {
    downloads.remove(d.jar.getName(), d);
    try {
      if (d.out != null) {
        d.out.close();
      }
      if (d.temp != null) {
        Files.deleteIfExists(d.temp);
      }
    } catch (IOException ignored) {
      // the temp file's name starts with a dot; it is never mistaken for the jar
    }
    if (failure != null) {
      d.result.completeExceptionally(failure);
    } else {
      d.result.complete(path);
    }
  }

  private static final class Download {
    final JarDescriptor jar;
    final Path directory;
    final CompletableFuture<Path> result = new CompletableFuture<>();
    final MessageDigest digest = JarCatalog.newSha256();
    Path temp;
    OutputStream out;
    long written;

    Download(JarDescriptor jar, Path directory) {
      this.jar = jar;
      this.directory = directory;
    }
  }
}
