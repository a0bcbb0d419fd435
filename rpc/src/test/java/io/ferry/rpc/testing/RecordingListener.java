package io.ferry.rpc.testing;

import io.ferry.rpc.FrameListener;
import io.ferry.rpc.proto.Frame;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** An executor-side listener that records frames and the close reason. */
public final class RecordingListener implements FrameListener {
  public final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  public final BlockingQueue<String> closed = new LinkedBlockingQueue<>();

  @Override
  public void onFrame(Frame frame) {
    frames.add(frame);
  }

  @Override
  public void onClosed(String reason) {
    closed.add(reason);
  }
}
