package io.ferry.executor.internal;

import io.ferry.rpc.internal.HandshakeMac;
import io.ferry.rpc.proto.Frame;

/**
 * One-time set-up done on its own thread while the executor's main thread makes its agent client
 * and subscribes: first the Mesos API's protobuf descriptors (building them from their serialized
 * form is static initialisation, which class data sharing does not remove; the SUBSCRIBE call
 * needs them soon, and a thread that needs a class being initialised here waits for it rather
 * than doing the work twice), then the driver link's: the JDK's security providers behind the
 * handshake's {@code SecureRandom} and HmacSHA256, and the link's protobuf descriptors.
 *
 * <p>Why: the link can only be made after the agent's LAUNCH (the driver's address and the
 * one-time token come in {@code TaskInfo.data}), so without this the provider start-up sits
 * between LAUNCH and the first TASK_RUNNING. {@code Mac.getInstance("HmacSHA256")} loads and
 * initialises every provider listed before SunJCE (SUN, SunRsaSign, SunEC, SunJSSE): about 70 ms
 * in a fresh JVM on the 2-core build machine even with the class data sharing archive, which
 * removes parsing but not the providers' static initialisation. Here it overlaps the agent's
 * SUBSCRIBE round trip instead. A failure is left to the link itself, which does the same work
 * and reports it with its context.
 */
public final class StartupWarmUp {
  static final String THREAD = "ferry-executor-warmup";

  private StartupWarmUp() {}

  /** Starts the warm-up on a daemon thread (it never delays the executor's exit). */
  public static Thread start() {
    Thread thread = new Thread(StartupWarmUp::run, THREAD);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  static void run() {
    try {
      org.apache.mesos.v1.executor.Protos.getDescriptor();
      byte[] nonce = HandshakeMac.randomBytes(HandshakeMac.NONCE_BYTES);
      HandshakeMac.executorProof(new byte[HandshakeMac.TOKEN_BYTES], "warm-up", nonce, nonce);
      Frame.getDescriptor();
    } catch (RuntimeException | LinkageError e) {
      // Only a head start: the link's own handshake meets the same failure and names it.
    }
  }
}
