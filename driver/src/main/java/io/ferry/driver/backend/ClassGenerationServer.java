package io.ferry.driver.backend;

import com.google.protobuf.ByteString;
import io.ferry.driver.ClassGenerations;
import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.proto.ClassFile;
import io.ferry.rpc.proto.Classes;
import io.ferry.rpc.proto.ClassesRequest;
import io.ferry.rpc.proto.Frame;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers an executor's {@code ClassesRequest} with every class of one run-time class generation
 * (a shell's snippets), on the same authenticated link as tasks and jars: the {@code ServerHandler}
 * only ever sees peers that completed the handshake, so there is no other way to these classes.
 *
 * <p>Runs on the peer's Netty event loop: it only copies bytes already in memory (a generation's
 * classes, a few KiB to a few MiB), never blocks.
 */
final class ClassGenerationServer {
  private static final Logger log = LoggerFactory.getLogger(ClassGenerationServer.class);
  /** Room for the frame's own fields around the class files. */
  private static final int FRAME_OVERHEAD = 1024;

  private final ClassGenerations generations;
  private final int maxFrameBytes;

  ClassGenerationServer(ClassGenerations generations, int maxFrameBytes) {
    this.generations = generations;
    this.maxFrameBytes = maxFrameBytes;
  }

  void answer(PeerConnection peer, ClassesRequest request) {
    peer.send(Frame.newBuilder().setClasses(reply(peer.executorId(), request.getGeneration())).build());
  }

  Classes reply(String executorId, long generation) {
    Classes.Builder reply = Classes.newBuilder().setGeneration(generation);
    Optional<ClassGenerations.ClassGeneration> found = generation > 0 ? generations.find(generation) : Optional.empty();
    if (found.isEmpty()) {
      log.warn("[executor={}] asked for class generation {}, which this driver does not have", executorId, generation);
      return reply.setError("the driver has no class generation " + generation).build();
    }
    long size = FRAME_OVERHEAD;
    for (Map.Entry<String, byte[]> c : found.get().classes().entrySet()) {
      size += c.getKey().length() + c.getValue().length + 16L;
      reply.addClasses(ClassFile.newBuilder().setName(c.getKey()).setBytecode(ByteString.copyFrom(c.getValue())));
    }
    if (size > maxFrameBytes) {
      String error = "class generation " + generation + " has " + found.get().classes().size() + " classes of about "
          + size + " bytes, more than one frame may carry (ferry.rpc.maxFrameSize=" + maxFrameBytes + ")";
      log.error("[executor={}] {}", executorId, error);
      return Classes.newBuilder().setGeneration(generation).setError(error).build();
    }
    return reply.build();
  }
}
