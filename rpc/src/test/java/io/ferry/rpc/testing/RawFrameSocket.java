package io.ferry.rpc.testing;

import com.google.protobuf.ByteString;
import io.ferry.rpc.internal.HandshakeMac;
import io.ferry.rpc.proto.Frame;
import io.ferry.rpc.proto.Hello;
import io.ferry.rpc.proto.Proof;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Optional;

/**
 * A blocking, hand-driven peer for the driver port: writes raw bytes or frames and reads frames,
 * so tests can misbehave in ways the real client never would (replays, garbage, silence).
 */
public final class RawFrameSocket implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  public RawFrameSocket(String host, int port, int readTimeoutMs) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5000);
    socket.setSoTimeout(readTimeoutMs);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  public void write(Frame frame) throws IOException {
    byte[] bytes = frame.toByteArray();
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  public void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * Writes everything it can; the driver may close the connection part-way (that is what a test of
   * bad input expects), which ends the write without an error.
   */
  public void writeRawIgnoringClose(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException closedByThePeer) {
      // the rest was not wanted
    }
  }

  /** The local port of this connection: how the driver's log names this peer. */
  public int localPort() {
    return socket.getLocalPort();
  }

  /** The next frame, or empty when the peer closed the connection. */
  public Optional<Frame> read() throws IOException {
    try {
      int length = in.readInt();
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      return Optional.of(Frame.parseFrom(bytes));
    } catch (EOFException e) {
      return Optional.empty();
    } catch (IOException e) {
      if (e instanceof SocketTimeoutException) {
        throw e;
      }
      return Optional.empty(); // reset by peer: closed
    }
  }

  /** Reads until the peer closes (true) or the read timeout passes (throws). Skips heartbeats. */
  public boolean awaitClosed() throws IOException {
    while (true) {
      Optional<Frame> frame = read();
      if (frame.isEmpty()) {
        return true;
      }
    }
  }

  public static Frame hello(String executorId, byte[] clientNonce) {
    return Frame.newBuilder()
        .setHello(Hello.newBuilder()
            .setProtocolVersion(io.ferry.rpc.internal.ServerHandshakeHandler.PROTOCOL_VERSION)
            .setExecutorId(executorId)
            .setClientNonce(ByteString.copyFrom(clientNonce)))
        .build();
  }

  public static Frame proof(byte[] token, String executorId, byte[] clientNonce, byte[] serverNonce) {
    return Frame.newBuilder()
        .setProof(Proof.newBuilder().setMac(ByteString.copyFrom(
            HandshakeMac.executorProof(token, executorId, clientNonce, serverNonce))))
        .build();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
