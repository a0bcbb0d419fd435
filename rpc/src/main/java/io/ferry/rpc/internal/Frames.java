package io.ferry.rpc.internal;

import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.Goodbye;
import io.ferry.rpc.proto.Heartbeat;
import io.ferry.rpc.proto.Rejected;

/** Builders for the frames the link itself sends. */
public final class Frames {
  private Frames() {}

  public static Frame heartbeat() {
    return Frame.newBuilder()
        .setHeartbeat(Heartbeat.newBuilder().setSentAtMs(System.currentTimeMillis()))
        .build();
  }

  public static Frame goodbye(String reason) {
    return Frame.newBuilder().setGoodbye(Goodbye.newBuilder().setReason(reason)).build();
  }

  public static Frame rejected(String reason) {
    return Frame.newBuilder().setRejected(Rejected.newBuilder().setReason(reason)).build();
  }

  /** The frame's type for logs, e.g. {@code RUN_TASK}. */
  public static String kind(Frame frame) {
    return frame.getBodyCase().name();
  }
}
