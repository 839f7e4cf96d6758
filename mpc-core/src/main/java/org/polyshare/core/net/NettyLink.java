package org.polyshare.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.polyshare.core.link.LinkClosedException;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.link.LinkTimeoutException;
import org.polyshare.core.link.Mailbox;
import org.polyshare.core.link.PartyLink;

/**
 * A {@link PartyLink} over one Netty channel secured by TLS 1.3 with mutual authentication.
 *
 * <p>Open one with {@link NetTransport#connect} or {@link LinkServer#accept}; the link is then
 * TLS-authenticated and its peer's certified {@link Role} checked. Call {@link #handshake} before
 * any protocol message to agree on version, session and plan.
 *
 * <p>Sends encode straight into a pooled direct buffer on the caller's thread and block, at most
 * {@link #timeout()}, while the channel is above its write high-water mark (the peer is not
 * keeping up). Receives wait on a per-tag {@link Mailbox}. Any failure — peer gone, TLS alert,
 * malformed frame, an error frame from the peer — fails every pending and later call with a
 * message naming the peer and the problem.
 */
public final class NettyLink implements PartyLink {
  private final Channel channel;
  private final LinkOptions options;
  private final Role localRole;
  private final List<Role> acceptedPeers;
  private final Mailbox inbox = new Mailbox();
  private final LinkStats stats = new LinkStats();
  /** Ring elements per piece of a large frame (256 KiB). */
  private static final int CHUNK_LONGS = 32 * 1024;

  private final ReentrantLock sendLock = new ReentrantLock();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Condition writableAgain = writeLock.newCondition();
  final CompletableFuture<NettyLink> ready = new CompletableFuture<>();

  private volatile String peerName;
  private volatile Role peerRole;
  private volatile Hello peerHello;
  private volatile LinkException failure;
  private volatile boolean closedLocally;

  NettyLink(Channel channel, LinkOptions options, Role localRole, Set<Role> acceptedPeers, String address) {
    this.channel = channel;
    this.options = options;
    this.localRole = localRole;
    this.acceptedPeers = List.copyOf(new java.util.TreeSet<>(acceptedPeers));
    this.peerName = TlsIdentity.describeRoles(this.acceptedPeers) + " at " + address;
  }

  /** The handlers behind the TLS handler: frame decoder, then this link's state machine. */
  void installHandlers() {
    channel.pipeline().addLast("frames", new FrameDecoder(options.maxPayload(), () -> peerName));
    channel.pipeline().addLast("link", new Handler());
  }

  /** The peer's role, as certified by its TLS certificate. */
  public Role peerRole() {
    return peerRole;
  }

  /** The peer's hello, once {@link #handshake} succeeded. */
  public Hello peerHello() {
    return peerHello;
  }

  public Role localRole() {
    return localRole;
  }

  /** The negotiated TLS protocol and cipher suite, e.g. {@code TLSv1.3 TLS_AES_128_GCM_SHA256}. */
  public String tlsDescription() {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return "no TLS";
    }
    var session = ssl.engine().getSession();
    return session.getProtocol() + " " + session.getCipherSuite();
  }

  /**
   * Exchanges {@link Hello}s and checks the peer's against ours: protocol version, role, and — when
   * both assert them — session id and plan hash. On a mismatch both ends fail with a message that
   * names both values; the peer is also told through an error frame.
   */
  public Hello handshake(Hello mine) {
    if (mine.role() != localRole) {
      throw new IllegalArgumentException("hello claims " + mine.role().displayName() + " but this end is "
          + localRole.displayName());
    }
    sendFrame(Frames.encode(channel.alloc(), Frames.TAG_HELLO, mine.encode()), -1);
    Object wire;
    try {
      wire = inbox.take(Frames.TAG_HELLO, options.handshakeTimeout(), peerName);
    } catch (LinkTimeoutException e) {
      abort("no hello within " + options.handshakeTimeout().toMillis() + " ms");
      throw new HandshakeException("handshake with " + peerName + " failed: no hello within "
          + options.handshakeTimeout().toMillis() + " ms (is it a PolyShare process of the same version?)", e);
    } catch (LinkException e) {
      throw new HandshakeException("handshake with " + peerName + " failed: " + rootMessage(e), e);
    }
    if (!(wire instanceof byte[] bytes)) {
      abort("hello must be bytes");
      throw new HandshakeException("handshake with " + peerName + " failed: its hello is not a byte message");
    }
    Hello peer = Hello.decode(bytes, peerName);
    List<String> problems = mine.mismatches(peer, peerRole);
    if (!problems.isEmpty()) {
      String why = String.join("; ", problems);
      abort(why);
      throw new HandshakeException("handshake with " + peerName + " refused: " + why);
    }
    peerHello = peer;
    return peer;
  }

  @Override
  public void send(int tag, long[] data) {
    checkTag(tag);
    checkSize(8L * data.length);
    sendLock.lock();
    try {
      awaitWritable();
      if (data.length <= CHUNK_LONGS) {
        sendFrame(Frames.encode(channel.alloc(), tag, data), 8L * data.length);
        return;
      }
      // A large frame goes out as header + 256 KiB pieces: pooled buffers instead of one huge
      // unpooled allocation, and back-pressure applies between pieces. The send lock keeps the
      // pieces of one frame together.
      stats.onSend(8L * data.length);
      write(Frames.header(channel.alloc(), tag, Frames.KIND_LONGS, 8 * data.length), false);
      for (int from = 0; from < data.length; from += CHUNK_LONGS) {
        awaitWritable();
        int n = Math.min(CHUNK_LONGS, data.length - from);
        write(Frames.longs(channel.alloc(), data, from, n), true); // unflushed bytes never drain
      }
    } finally {
      sendLock.unlock();
    }
  }

  private void write(ByteBuf buf, boolean flush) {
    if (failure != null) {
      buf.release();
      checkOpen();
    }
    io.netty.util.concurrent.GenericFutureListener<io.netty.util.concurrent.Future<? super Void>> onFailure = f -> {
      if (!f.isSuccess()) {
        fail(translate(f.cause()));
      }
    };
    (flush ? channel.writeAndFlush(buf) : channel.write(buf)).addListener(onFailure);
  }

  @Override
  public void send(int tag, byte[] data) {
    checkTag(tag);
    checkSize(data.length);
    awaitWritable();
    sendFrame(Frames.encode(channel.alloc(), tag, data), data.length);
  }

  @Override
  public long[] receiveLongs(int tag) {
    checkTag(tag);
    Object p = inbox.take(tag, options.timeout(), peerName);
    if (!(p instanceof long[] l)) {
      throw new LinkException("protocol error: expected ring elements under tag " + tag + " from " + peerName
          + ", got bytes");
    }
    stats.onReceive(8L * l.length);
    return l;
  }

  @Override
  public byte[] receiveBytes(int tag) {
    checkTag(tag);
    Object p = inbox.take(tag, options.timeout(), peerName);
    if (!(p instanceof byte[] b)) {
      throw new LinkException("protocol error: expected bytes under tag " + tag + " from " + peerName
          + ", got ring elements");
    }
    stats.onReceive(b.length);
    return b;
  }

  @Override
  public Duration timeout() {
    return options.timeout();
  }

  @Override
  public LinkStats stats() {
    return stats;
  }

  @Override
  public String peerName() {
    return peerName;
  }

  /** True until the link is closed or failed. */
  public boolean isOpen() {
    return failure == null && channel.isActive();
  }

  /**
   * Ends the link on purpose and tells the peer why: it receives an error frame and fails with
   * a {@link PeerAbortedException} carrying {@code reason}. Never put secrets in the reason.
   */
  public void abort(String reason) {
    fail(new LinkClosedException("link to " + peerName + " aborted locally: " + reason));
    closedLocally = true;
    boolean locked = false;
    try {
      // never split another thread's frame; if a sender is stuck, close without the reason
      locked = sendLock.tryLock(200, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (channel.isActive() && locked) {
      ByteBuf frame = Frames.encode(channel.alloc(), Frames.TAG_ERROR, reason.getBytes(StandardCharsets.UTF_8));
      try {
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
      } finally {
        sendLock.unlock();
      }
      try {
        // a peer that never reads must not keep the connection open
        channel.eventLoop().schedule(() -> channel.close(), 2, TimeUnit.SECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        channel.close();
      }
    } else {
      if (locked) {
        sendLock.unlock();
      }
      channel.close();
    }
  }

  @Override
  public void close() {
    closedLocally = true;
    fail(new LinkClosedException("link to " + peerName + " was closed locally"));
    // flush what is queued, then close; wait (bounded) so a process that exits right after
    // close() does not lose its last messages to the event loop's shutdown
    channel.writeAndFlush(channel.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    if (!channel.eventLoop().inEventLoop()) {
      channel.closeFuture().awaitUninterruptibly(2000);
    }
  }

  /** Waits until the channel is closed (after {@link #close} or a failure), at most {@code d}. */
  public boolean awaitClosed(Duration d) {
    return channel.closeFuture().awaitUninterruptibly(d.toMillis());
  }

  Channel channel() {
    return channel;
  }

  private void checkTag(int tag) {
    if (tag < 0) {
      throw new IllegalArgumentException("tags below 0 are reserved for link control, got " + tag);
    }
  }

  private void checkSize(long payload) {
    if (payload > options.maxPayload()) {
      throw new FrameException("message of " + payload + " bytes to " + peerName + " exceeds the frame limit of "
          + options.maxPayload() + " bytes; split it or raise the limit on both ends");
    }
  }

  private void checkOpen() {
    LinkException f = failure;
    if (f != null) {
      throw new LinkClosedException("link to " + peerName + " is closed (" + f.getMessage() + ")", f);
    }
  }

  private void sendFrame(ByteBuf frame, long payloadBytes) {
    if (failure != null) {
      frame.release();
      checkOpen();
    }
    if (payloadBytes >= 0) { // control frames (payloadBytes < 0) are not protocol traffic
      stats.onSend(payloadBytes);
    }
    sendLock.lock();
    try {
      write(frame, true);
    } finally {
      sendLock.unlock();
    }
  }

  /** Back-pressure: block while more than the high-water mark is queued for the socket. */
  private void awaitWritable() {
    checkOpen();
    if (channel.isWritable()) {
      return;
    }
    if (channel.eventLoop().inEventLoop()) {
      throw new IllegalStateException("a blocking send must not run on the link's event loop");
    }
    // The bound is on a stall, not on the drain time: any progress of the queue restarts it.
    long nanos = options.timeout().toNanos();
    long backlog = channel.bytesBeforeWritable();
    writeLock.lock();
    try {
      while (!channel.isWritable() && failure == null) {
        if (nanos <= 0) {
          long now = channel.bytesBeforeWritable();
          if (now >= backlog) {
            throw new LinkTimeoutException("could not send to " + peerName + ": nothing drained in "
                + options.timeout().toMillis() + " ms, its receive window stayed full (the peer is stalled or not reading)");
          }
          backlog = now;
          nanos = options.timeout().toNanos();
        }
        nanos = writableAgain.awaitNanos(Math.min(nanos, options.timeout().toNanos()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LinkClosedException("interrupted while waiting to send to " + peerName);
    } finally {
      writeLock.unlock();
    }
    checkOpen();
  }

  private void signalWriters() {
    writeLock.lock();
    try {
      writableAgain.signalAll();
    } finally {
      writeLock.unlock();
    }
  }

  void fail(LinkException cause) {
    synchronized (this) {
      if (failure != null) {
        return;
      }
      failure = cause;
    }
    inbox.fail(cause);
    ready.completeExceptionally(cause);
    signalWriters();
  }

  /** A transport exception as a link failure that says what went wrong and what to check. */
  private LinkException translate(Throwable t) {
    Throwable c = t instanceof DecoderException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof LinkException le) {
      return le;
    }
    if (c instanceof NotSslRecordException) {
      return new HandshakeException("TLS failure with " + peerName + ": it does not speak TLS (plain text or"
          + " garbage bytes on the wire)", c);
    }
    if (c instanceof SSLException) {
      String m = String.valueOf(rootMessage(c));
      String hint;
      if (m.contains("certification path") || m.contains("PKIX") || m.contains("signature check failed")) {
        hint = "its certificate is not signed by our CA (use certificates from one `dealer certs` run)";
      } else if (m.contains("alert")) {
        hint = "it rejected our certificate or TLS parameters (is our certificate from its CA?)";
      } else if (m.contains("subject alternative") || m.contains("No name matching")) {
        hint = "its certificate does not name the host we dialled (recreate certificates with --hosts)";
      } else if (m.contains("timed out")) {
        hint = "no TLS handshake in time";
      } else {
        hint = c instanceof SSLHandshakeException ? "handshake failed" : "secure channel broke";
      }
      return new HandshakeException("TLS failure with " + peerName + ": " + hint + " [" + m + "]", c);
    }
    if (c instanceof java.io.IOException) {
      return new LinkClosedException("connection to " + peerName + " failed: " + c.getMessage(), c);
    }
    return new LinkException("link to " + peerName + " failed: " + c, c);
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c && c.getMessage() != null
        && c.getMessage().equals(String.valueOf(c.getCause()))) {
      c = c.getCause();
    }
    return c.getMessage() != null ? c.getMessage() : c.toString();
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent done) {
        if (!done.isSuccess()) {
          fail(translate(done.cause()));
          ctx.close();
          return;
        }
        checkPeerRole(ctx);
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }

    private void checkPeerRole(ChannelHandlerContext ctx) {
      String address = String.valueOf(ctx.channel().remoteAddress());
      Role r;
      try {
        r = TlsIdentity.peerRole(ctx.pipeline().get(SslHandler.class).engine().getSession());
      } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
        r = null;
      }
      if (r == null || !acceptedPeers.contains(r)) {
        String why = "refused the peer at " + address + ": its certificate is for "
            + (r == null ? "no PolyShare role" : r.displayName()) + " but " + localRole.displayName()
            + " expects " + TlsIdentity.describeRoles(acceptedPeers) + " here";
        HandshakeException e = new HandshakeException(why);
        ByteBuf frame = Frames.encode(ctx.alloc(), Frames.TAG_ERROR, why.getBytes(StandardCharsets.UTF_8));
        fail(e);
        closedLocally = true;
        ctx.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      peerRole = r;
      peerName = r.displayName() + " at " + address;
      ready.complete(NettyLink.this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof Frame f)) {
        ctx.fireChannelRead(msg);
        return;
      }
      if (f.tag() == Frames.TAG_ERROR) {
        String reason = f.payload() instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : "(no reason)";
        fail(new PeerAbortedException(peerName + " ended the link: " + reason));
        ctx.close();
        return;
      }
      if (peerRole == null) {
        fail(new HandshakeException("protocol error: " + peerName + " sent a message before authentication"));
        ctx.close();
        return;
      }
      inbox.deliver(f.tag(), f.payload());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      signalWriters();
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      fail(closedLocally
          ? new LinkClosedException("link to " + peerName + " was closed locally")
          : new LinkClosedException("connection to " + peerName + " was lost: the peer closed it or died"));
      signalWriters();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LinkException e = translate(cause);
      if (e instanceof FrameException && ctx.channel().isActive() && failure == null) {
        // tell the peer what was wrong with its stream, then close
        fail(e);
        closedLocally = true;
        ByteBuf frame = Frames.encode(ctx.alloc(), Frames.TAG_ERROR,
            ("refused a frame: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
        ctx.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      fail(e);
      ctx.close();
    }
  }
}
