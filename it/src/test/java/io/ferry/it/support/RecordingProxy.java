package io.ferry.it.support;

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
 * A TCP proxy on loopback that forwards both ways and keeps a copy of every byte each client sent
 * (per connection), so a test can replay what a real peer said.
 */
public final class RecordingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final String host;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<ByteArrayOutputStream> sent = new CopyOnWriteArrayList<>();

  public RecordingProxy(String host, int port) throws IOException {
    this.host = host;
    this.port = port;
    listener = new ServerSocket();
    listener.bind(new InetSocketAddress("127.0.0.1", 0));
    thread(this::accept, "recording-proxy-accept");
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** What the client of connection {@code i} (in accept order) has sent so far. */
  public byte[] sentBy(int i) {
    ByteArrayOutputStream copy = sent.get(i);
    synchronized (copy) {
      return copy.toByteArray();
    }
  }

  public int connections() {
    return sent.size();
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket upstream = new Socket(host, port);
        sockets.add(client);
        sockets.add(upstream);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        sent.add(copy);
        thread(() -> pump(client, upstream, copy), "recording-proxy-up");
        thread(() -> pump(upstream, client, null), "recording-proxy-down");
      }
    } catch (IOException closed) {
      // the listener closed
    }
  }

  private static void pump(Socket from, Socket to, ByteArrayOutputStream copy) {
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
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // one side went away
    }
  }

  private static void thread(Runnable body, String name) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
