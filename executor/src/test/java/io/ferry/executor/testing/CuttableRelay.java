package io.ferry.executor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of a driver port, for a driver that vanishes: {@link #cut()}
 * resets every relayed connection (RST, no goodbye), as a crashed driver host would leave them.
 */
public final class CuttableRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private CuttableRelay(int target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "test-relay-accept");
    accept.setDaemon(true);
    accept.start();
  }

  public static CuttableRelay to(int targetPort) throws IOException {
    return new CuttableRelay(targetPort);
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket in = server.accept();
        Socket out = new Socket();
        out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
        sockets.add(in);
        sockets.add(out);
        pump(in, out);
        pump(out, in);
      }
    } catch (IOException closed) {
      // the relay was closed
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException cut) {
        // reset or closed
      }
    }, "test-relay-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Resets every relayed connection: no FIN, no goodbye. */
  public void cut() {
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0);
        s.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    cut();
  }
}
