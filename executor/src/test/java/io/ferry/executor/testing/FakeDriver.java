package io.ferry.executor.testing;

import io.ferry.api.Task;
import io.ferry.api.TaskSerializer;
import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.RpcServer;
import io.ferry.rpc.ServerConfig;
import io.ferry.rpc.ServerHandler;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.LaunchRecord;
import io.ferry.rpc.proto.Mode;
import io.ferry.rpc.proto.RunTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A driver for tests: a real {@link RpcServer} on loopback port 0 whose frames a test awaits and answers. */
public final class FakeDriver implements ServerHandler, AutoCloseable {
  public final RpcServer server;
  public final BlockingQueue<PeerConnection> connected = new LinkedBlockingQueue<>();
  public final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  public final BlockingQueue<String> disconnected = new LinkedBlockingQueue<>();
  private final List<Frame> skipped = new java.util.ArrayList<>(); // the test's thread only

  private FakeDriver(List<Path> jars) throws Exception {
    this.server = RpcServer.start(ServerConfig.loopback().withJars(jars)
        .withHeartbeat(Duration.ofMillis(500), Duration.ofSeconds(3)), this);
  }

  public static FakeDriver start(List<Path> jars) throws Exception {
    return new FakeDriver(jars);
  }

  public LaunchRecord launchRecord(String executorId, Mode mode) {
    return server.launchRecord(executorId, mode, "127.0.0.1", "app-1").build();
  }

  public PeerConnection peer(Duration timeout) throws InterruptedException {
    PeerConnection p = connected.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (p == null) {
      throw new AssertionError("no executor connected within " + timeout);
    }
    return p;
  }

  /** The oldest frame not taken yet that matches; frames that do not match stay for later. */
  public Frame next(Duration timeout, Predicate<Frame> which) throws InterruptedException {
    for (java.util.Iterator<Frame> it = skipped.iterator(); it.hasNext(); ) {
      Frame f = it.next();
      if (which.test(f)) {
        it.remove();
        return f;
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Frame f = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
      if (f == null) {
        throw new AssertionError("no matching frame within " + timeout + "; not taken: " + skipped.stream()
            .map(Frame::getBodyCase).toList());
      }
      if (which.test(f)) {
        return f;
      }
      skipped.add(f);
    }
  }

  public static Frame runTask(long id, String mesosTaskId, Task<?> task) throws Exception {
    return runTask(id, mesosTaskId, new TaskSerializer(FakeDriver.class.getClassLoader()).serialize(task));
  }

  public static Frame runTask(long id, String mesosTaskId, byte[] payload) {
    return Frame.newBuilder().setRunTask(RunTask.newBuilder().setTaskId(id).setMesosTaskId(mesosTaskId)
        .setPayload(com.google.protobuf.ByteString.copyFrom(payload)).setName("task-" + id)).build();
  }

  @Override
  public void onConnected(PeerConnection p) {
    connected.add(p);
  }

  @Override
  public void onFrame(PeerConnection p, Frame frame) {
    frames.add(frame);
  }

  @Override
  public void onDisconnected(PeerConnection p, String reason) {
    disconnected.add(reason);
  }

  @Override
  public void close() {
    server.close();
  }
}
