package org.polyshare.core.net;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.polyshare.core.link.LinkClosedException;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.link.LinkTimeoutException;

/**
 * The event loops behind a process's links: native epoll where available (Linux x86-64), NIO
 * otherwise. One instance per process; {@link #close} stops it and every link on it.
 *
 * <pre>{@code
 * try (NetTransport net = NetTransport.create()) {
 *   TlsIdentity me = TlsIdentity.load(certsDir, Role.PARTY1);
 *   NettyLink link = net.connect("host0", 7000, me, Role.PARTY0, LinkOptions.defaults(), Duration.ofSeconds(30));
 *   link.handshake(Hello.of(Role.PARTY1, sessionId, planHash));
 *   ...
 * }
 * }</pre>
 */
public final class NetTransport implements AutoCloseable {
  private final EventLoopGroup group;
  private final boolean epoll;

  private NetTransport(int threads) {
    this.epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group =
        new MultiThreadIoEventLoopGroup(
            threads,
            new ThreadFactoryBuilder().setNameFormat("polyshare-net").setDaemon(true).build(),
            io);
  }

  /** Event loops for a handful of links (one thread per two cores, at least two). */
  public static NetTransport create() {
    return new NetTransport(Math.max(2, Runtime.getRuntime().availableProcessors() / 2));
  }

  public static NetTransport create(int threads) {
    return new NetTransport(threads);
  }

  /** True when the native epoll transport is in use. */
  public boolean nativeEpoll() {
    return epoll;
  }

  /**
   * Connects to {@code host:port}, retrying refused or timed-out attempts until {@code deadline}
   * has passed (the peer may start a little later), then runs TLS and checks that the peer's
   * certificate is for {@code expectedPeer}. The returned link still needs {@link
   * NettyLink#handshake}.
   *
   * @throws LinkTimeoutException if no connection could be made before the deadline
   * @throws HandshakeException if TLS or the role check failed (not retried)
   */
  public NettyLink connect(
      String host,
      int port,
      TlsIdentity me,
      Role expectedPeer,
      LinkOptions options,
      Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    String where = expectedPeer.displayName() + " at " + host + ":" + port;
    Throwable last = null;
    int attempts = 0;
    while (true) {
      long left = end - System.nanoTime();
      if (attempts > 0 && left <= 0) {
        throw new LinkTimeoutException(
            "could not connect to "
                + where
                + " within "
                + deadline.toMillis()
                + " ms after "
                + attempts
                + " attempts (last: "
                + describe(last)
                + "); is it running and reachable?");
      }
      attempts++;
      int attemptMs =
          (int) Math.max(50, Math.min(options.connectTimeout().toMillis(), left / 1_000_000));
      Bootstrap b =
          new Bootstrap()
              .group(group)
              .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .option(ChannelOption.SO_KEEPALIVE, true)
              .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, attemptMs)
              .option(
                  ChannelOption.WRITE_BUFFER_WATER_MARK,
                  new WriteBufferWaterMark(options.lowWaterMark(), options.highWaterMark()))
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      attach(
                          ch,
                          me.clientContext().newHandler(ch.alloc(), host, port),
                          options,
                          me.role(),
                          Set.of(expectedPeer),
                          host + ":" + port);
                    }
                  });
      ChannelFuture f = b.connect(host, port);
      f.awaitUninterruptibly(attemptMs + 1000L);
      if (!f.isSuccess()) {
        last = f.cause();
        f.channel().close();
        if (last instanceof UnknownHostException) {
          throw new LinkClosedException("cannot connect to " + where + ": unknown host", last);
        }
        sleepQuietly(Math.min(200, Math.max(0, (end - System.nanoTime()) / 1_000_000)));
        continue;
      }
      NettyLink link = f.channel().attr(LinkServer.LINK).get();
      return awaitReady(link, options, where);
    }
  }

  /**
   * A new channel's pipeline, the same on both ends: TLS first (its handshake bounded by {@code
   * options}), then the link's handlers; the link is kept on the channel ({@link LinkServer#LINK}).
   */
  private static NettyLink attach(
      SocketChannel ch,
      SslHandler tls,
      LinkOptions options,
      Role me,
      Set<Role> acceptedPeers,
      String peerName) {
    tls.setHandshakeTimeoutMillis(options.handshakeTimeout().toMillis());
    ch.pipeline().addLast("tls", tls);
    NettyLink link = new NettyLink(ch, options, me, acceptedPeers, peerName);
    ch.attr(LinkServer.LINK).set(link);
    link.installHandlers();
    return link;
  }

  /**
   * Listens on {@code port} (0 = an ephemeral port, see {@link LinkServer#port}) on all interfaces
   * for peers whose certificates carry one of {@code acceptedPeers}.
   */
  public LinkServer listen(int port, TlsIdentity me, Set<Role> acceptedPeers, LinkOptions options) {
    return listen(new InetSocketAddress(port), me, acceptedPeers, options);
  }

  public LinkServer listen(
      InetSocketAddress address, TlsIdentity me, Set<Role> acceptedPeers, LinkOptions options) {
    LinkServer server = new LinkServer(options);
    Class<? extends ServerChannel> type =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(type)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(options.lowWaterMark(), options.highWaterMark()))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    server.track(
                        attach(
                            ch,
                            me.serverContext().newHandler(ch.alloc()),
                            options,
                            me.role(),
                            acceptedPeers,
                            String.valueOf(ch.remoteAddress())));
                  }
                });
    ChannelFuture bound = b.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new LinkClosedException(
          "cannot listen on "
              + address
              + ": "
              + describe(bound.cause())
              + " (port in use or not permitted?)",
          bound.cause());
    }
    server.bound(bound.channel());
    return server;
  }

  /**
   * Both ends of one link on loopback, for benchmarks and tests: {@code listener} listens on an
   * ephemeral port for {@code dialler}'s role, {@code dialler} connects to {@code localhost}, and
   * each end runs its hello ({@code listenerHello}, {@code diallerHello}). Returns {@code
   * {listener's end, dialler's end}}; every step is bounded by {@code deadline}.
   */
  public NettyLink[] loopbackPair(
      TlsIdentity listener,
      Hello listenerHello,
      TlsIdentity dialler,
      Hello diallerHello,
      LinkOptions options,
      Duration deadline) {
    try (LinkServer server = listen(0, listener, Set.of(dialler.role()), options)) {
      CompletableFuture<NettyLink> accepted =
          CompletableFuture.supplyAsync(
              () -> {
                NettyLink l = server.accept(deadline);
                l.handshake(listenerHello);
                return l;
              });
      NettyLink d =
          connect("localhost", server.port(), dialler, listener.role(), options, deadline);
      d.handshake(diallerHello);
      return new NettyLink[] {accepted.get(deadline.toMillis(), TimeUnit.MILLISECONDS), d};
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re
          ? re
          : new LinkClosedException("loopback link failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new LinkTimeoutException(
          "the loopback listener did not finish its handshake within "
              + deadline.toMillis()
              + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LinkClosedException("interrupted while opening a loopback link");
    }
  }

  static NettyLink awaitReady(NettyLink link, LinkOptions options, String where) {
    try {
      return link.ready.get(options.handshakeTimeout().toMillis() + 1000L, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      link.channel().close();
      if (e.getCause() instanceof LinkException le) {
        throw le;
      }
      throw new HandshakeException("TLS with " + where + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      link.fail(
          new HandshakeException(
              "no TLS handshake with "
                  + where
                  + " within "
                  + options.handshakeTimeout().toMillis()
                  + " ms"));
      link.channel().close();
      throw new HandshakeException(
          "no TLS handshake with "
              + where
              + " within "
              + options.handshakeTimeout().toMillis()
              + " ms (is it a PolyShare process speaking TLS?)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      link.channel().close();
      throw new LinkClosedException("interrupted while connecting to " + where);
    }
  }

  private static String describe(Throwable t) {
    if (t == null) {
      return "none";
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LinkClosedException("interrupted while connecting");
    }
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
