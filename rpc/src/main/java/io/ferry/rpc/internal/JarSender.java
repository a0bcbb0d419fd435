package io.ferry.rpc.internal;

import com.google.protobuf.ByteString;
import io.ferry.rpc.PeerText;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.JarChunk;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one jar to an authenticated executor as {@link JarChunk} frames. File reads run on the
 * jar I/O executor, never on the event loop; the next chunk is read only once the previous one
 * is written, so a slow executor holds at most one chunk of memory per download.
 */
public final class JarSender {
  public static final int CHUNK_BYTES = 1 << 20;
  private static final Logger log = LoggerFactory.getLogger(JarSender.class);

  private final JarCatalog catalog;
  private final Executor io;

  public JarSender(JarCatalog catalog, Executor io) {
    this.catalog = catalog;
    this.io = io;
  }

  public void send(Channel channel, String executorId, String name) {
    var entry = catalog.find(name);
    if (entry.isEmpty()) {
      log.warn("[executor={}] asked for jar '{}', which is not one of the application's jars", executorId,
          PeerText.escape(name));
      channel.writeAndFlush(error(name, "no such application jar: " + PeerText.escape(name)));
      return;
    }
    io.execute(() -> sendFrom(channel, executorId, entry.get(), 0));
  }

  private void sendFrom(Channel channel, String executorId, JarCatalog.Entry entry, long offset) {
    if (!channel.isActive()) {
      return;
    }
    String name = entry.descriptor().getName();
    Frame frame;
    try (FileChannel file = FileChannel.open(entry.path(), StandardOpenOption.READ)) {
      long size = entry.descriptor().getSize();
      int length = (int) Math.min(CHUNK_BYTES, size - offset);
      ByteBuffer buffer = ByteBuffer.allocate(Math.max(length, 0));
      while (buffer.hasRemaining()) {
        if (file.read(buffer, offset + buffer.position()) < 0) {
          throw new IOException("the file is shorter than when the driver started (" + size + " bytes)");
        }
      }
      buffer.flip();
      boolean last = offset + length >= size;
      frame = Frame.newBuilder()
          .setJarChunk(JarChunk.newBuilder()
              .setName(name)
              .setOffset(offset)
              .setData(ByteString.copyFrom(buffer))
              .setLast(last))
          .build();
      long next = offset + length;
      channel.writeAndFlush(frame).addListener(f -> {
        if (f.isSuccess() && !last) {
          io.execute(() -> sendFrom(channel, executorId, entry, next));
        }
      });
    } catch (IOException e) {
      log.error("[executor={}] cannot read application jar {}: {}", executorId, entry.path(), e.getMessage());
      channel.writeAndFlush(error(name, "the driver cannot read " + name + ": " + e.getMessage()));
    }
  }

  private static Frame error(String name, String message) {
    return Frame.newBuilder()
        .setJarChunk(JarChunk.newBuilder().setName(name).setLast(true).setError(message))
        .build();
  }
}
