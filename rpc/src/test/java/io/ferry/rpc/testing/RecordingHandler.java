package io.ferry.rpc.testing;

import io.ferry.rpc.PeerConnection;
import io.ferry.rpc.ServerHandler;
import io.ferry.rpc.proto.Frame;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A driver-side handler that records what happens, for tests to await. */
public final class RecordingHandler implements ServerHandler {
  public final BlockingQueue<PeerConnection> connected = new LinkedBlockingQueue<>();
  public final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  public final BlockingQueue<String> disconnected = new LinkedBlockingQueue<>();

  @Override
  public void onConnected(PeerConnection peer) {
    connected.add(peer);
  }

  @Override
  public void onFrame(PeerConnection peer, Frame frame) {
    frames.add(frame);
  }

  @Override
  public void onDisconnected(PeerConnection peer, String reason) {
    disconnected.add(peer.executorId() + ": " + reason);
  }
}
