package org.polyshare.party;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.polyshare.core.net.NetFixtures;

/**
 * A loopback port that refuses connections until {@link #forwardTo} opens it as a plain TCP
 * forwarder: a client given this port keeps retrying meanwhile, and once it is open reaches the
 * target through it. TLS runs end to end through the forwarder, which sees only ciphertext. Holds
 * back one party's connection while a test puts something else first.
 */
final class HeldPort implements AutoCloseable {
  private final int port;
  private final List<java.io.Closeable> open = new CopyOnWriteArrayList<>();

  private HeldPort(int port) {
    this.port = port;
  }

  /** A free ephemeral port, closed for now. */
  static HeldPort reserve() throws IOException {
    return new HeldPort(NetFixtures.freePort());
  }

  int port() {
    return port;
  }

  /** Opens the port: every connection to it is forwarded to {@code localhost:target}. */
  void forwardTo(int target) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress("localhost", port));
    open.add(server);
    daemon(
        () -> {
          while (!server.isClosed()) {
            try {
              Socket in = server.accept();
              Socket out = new Socket("localhost", target);
              open.add(in);
              open.add(out);
              daemon(() -> pipe(in, out));
              daemon(() -> pipe(out, in));
            } catch (IOException e) {
              return; // closed
            }
          }
        });
  }

  private static void pipe(Socket from, Socket to) {
    try (InputStream i = from.getInputStream();
        OutputStream o = to.getOutputStream()) {
      i.transferTo(o);
    } catch (IOException e) {
      // one side closed: the other follows
    } finally {
      try {
        to.close();
        from.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "held-port");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    for (java.io.Closeable c : open) {
      try {
        c.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
