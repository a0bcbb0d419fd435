package io.ferry.rpc.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback that forwards bytes until {@link #stall()}, then holds every connection
 * open without forwarding anything: a network stall, as opposed to a closed connection. It keeps a
 * copy of what each client sent ({@link #sentByClient}), so a test can replay what a real peer said.
 */
public final class StallingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final List<ByteArrayOutputStream> fromClients = new CopyOnWriteArrayList<>();
  private volatile boolean stalled;

  public StallingProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    listener = new ServerSocket();
    listener.bind(new InetSocketAddress("127.0.0.1", 0));
    start(this::acceptLoop, "stalling-proxy-accept");
  }

  public int port() {
    return listener.getLocalPort();
  }

  public void stall() {
    stalled = true;
  }

  /** How many connections the proxy has accepted. */
  public int connections() {
    return fromClients.size();
  }

  /** Every byte the client of connection {@code i} (in accept order) has sent, forwarded or not. */
  public byte[] sentByClient(int i) {
    ByteArrayOutputStream copy = fromClients.get(i);
    synchronized (copy) {
      return copy.toByteArray();
    }
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket upstream = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(upstream);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        fromClients.add(copy);
        start(() -> pump(client, upstream, copy), "stalling-proxy-up");
        start(() -> pump(upstream, client, null), "stalling-proxy-down");
      }
    } catch (IOException closed) {
      // listener closed
    }
  }

  private void pump(Socket from, Socket to, ByteArrayOutputStream copy) {
    byte[] buffer = new byte[8192];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) > 0; ) {
        if (copy != null) {
          synchronized (copy) {
            copy.write(buffer, 0, n);
          }
        }
        if (stalled) {
          continue; // swallow: the peer sees silence, not a close
        }
        out.write(buffer, 0, n);
        out.flush();
      }
      if (!stalled) {
        to.shutdownOutput();
      }
      // Stalled: an end of stream is swallowed too; close() releases the sockets.
    } catch (IOException e) {
      // one side reset
    }
  }

  private void start(Runnable body, String name) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
    for (Thread t : threads) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
