package org.polyshare.core.net;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.polyshare.core.link.LinkClosedException;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.link.LinkTimeoutException;

/**
 * A listening socket handing out authenticated links. Each connection runs TLS and the role check
 * on the event loop; {@link #accept} returns the next one that passed, or throws the reason the
 * next one was refused (so a listener waiting for exactly one peer reports it; a server that serves
 * many catches it and accepts again).
 */
public final class LinkServer implements AutoCloseable {
  static final AttributeKey<NettyLink> LINK = AttributeKey.valueOf("polyshare.link");

  private final LinkOptions options;
  private final LinkedBlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
  private final Set<NettyLink> pending = ConcurrentHashMap.newKeySet();
  private volatile Channel serverChannel;

  LinkServer(LinkOptions options) {
    this.options = options;
  }

  void bound(Channel ch) {
    serverChannel = ch;
  }

  void track(NettyLink link) {
    pending.add(link);
    link.ready.whenComplete(
        (l, err) -> {
          if (err != null) {
            arrivals.add(
                err instanceof LinkException le
                    ? le
                    : new HandshakeException(String.valueOf(err), err));
            pending.remove(link);
          } else {
            arrivals.add(link);
          }
        });
  }

  /** The bound port (useful after listening on port 0). */
  public int port() {
    return ((java.net.InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /**
   * The next authenticated link, waiting at most {@code timeout}.
   *
   * @throws LinkTimeoutException if nobody connected in time
   * @throws HandshakeException the refusal of the next connection (wrong CA, wrong role, no TLS)
   */
  public NettyLink accept(Duration timeout) {
    Object next;
    try {
      next = arrivals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LinkClosedException("interrupted while waiting for a connection on port " + port());
    }
    if (next == null) {
      throw new LinkTimeoutException(
          "no peer connected to port " + port() + " within " + timeout.toMillis() + " ms");
    }
    if (next instanceof LinkException e) {
      throw e instanceof HandshakeException
          ? new HandshakeException(e.getMessage(), e)
          : new LinkClosedException(e.getMessage(), e);
    }
    NettyLink link = (NettyLink) next;
    pending.remove(link);
    return link;
  }

  public LinkOptions options() {
    return options;
  }

  /** Stops listening and closes the connections nobody accepted yet. */
  @Override
  public void close() {
    Channel ch = serverChannel;
    if (ch != null) {
      ch.close().awaitUninterruptibly(2000);
    }
    for (NettyLink l : pending) {
      l.close();
    }
    pending.clear();
  }
}
