package org.polyshare.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.polyshare.core.link.ChunkListener;
import org.polyshare.core.link.ChunkSink;
import org.polyshare.core.link.Chunks;
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
 * <p>The channel's pipeline, in order: {@code tls} (TLS 1.3, mutual), {@code role} ({@link
 * RoleCheckHandler}: the peer's certified role, then it removes itself), {@code frames} ({@link
 * FrameDecoder}), {@code hello} ({@link HelloHandler}: the hello exchange, then it removes itself)
 * and {@code link} (this class: frames into the {@link Mailbox}, failures into errors).
 *
 * <p>Sends encode straight into a pooled direct buffer on the caller's thread and block, at most
 * {@link #timeout()}, while the channel is above its write high-water mark (the peer is not keeping
 * up). Receives wait on a per-tag {@link Mailbox}, which reads only the tags {@link LinkTags} gives
 * for the two roles and pauses reading when too much waits unread. Any failure — peer gone, TLS
 * alert, malformed frame, an error frame from the peer — fails every pending and later call with a
 * message naming the peer and the problem.
 */
public final class NettyLink implements PartyLink {
  private final Channel channel;
  private final LinkOptions options;
  private final Role localRole;
  private final List<Role> acceptedPeers;
  private final Mailbox inbox;
  private final LinkStats stats = new LinkStats();
  private final HelloHandler hello;

  /** Ring elements per piece of a large frame (256 KiB). */
  private static final int CHUNK_LONGS = 32 * 1024;

  private final ReentrantLock sendLock = new ReentrantLock();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Condition writableAgain = writeLock.newCondition();

  /** Completes once TLS is up and the peer's role checked. */
  final CompletableFuture<NettyLink> ready = new CompletableFuture<>();

  /** Completes when the first protocol message of the peer is queued. */
  private final CompletableFuture<Void> firstMessage = new CompletableFuture<>();

  private volatile String peerName;
  private volatile Role peerRole;
  private volatile Hello peerHello;
  private volatile LinkException failure;
  private volatile boolean closedLocally;

  NettyLink(
      Channel channel,
      LinkOptions options,
      Role localRole,
      Set<Role> acceptedPeers,
      String address) {
    this.channel = channel;
    this.options = options;
    this.localRole = localRole;
    this.acceptedPeers = List.copyOf(new TreeSet<>(acceptedPeers));
    this.peerName = TlsIdentity.describeRoles(this.acceptedPeers) + " at " + address;
    this.inbox =
        new Mailbox(
            LinkTags.readBy(localRole, this.acceptedPeers),
            options.maxQueuedBytes(),
            on -> channel.config().setAutoRead(on));
    this.hello = new HelloHandler(this, options.handshakeTimeout().toMillis());
  }

  /** The handlers behind the TLS handler (see the class comment). */
  void installHandlers() {
    channel.pipeline().addLast("role", new RoleCheckHandler(this, acceptedPeers));
    channel.pipeline().addLast("frames", new FrameDecoder(options.maxPayload(), () -> peerName));
    channel.pipeline().addLast("hello", hello);
    channel.pipeline().addLast("link", new Handler());
  }

  /** The role check passed (event loop). */
  void authenticated(Role r) {
    peerRole = r;
    peerName = r.displayName() + " at " + channel.remoteAddress();
    ready.complete(this);
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
   * The TLS engine of this end: {@link TlsProvider#OPENSSL} (BoringSSL) or {@link TlsProvider#JDK}.
   */
  public TlsProvider tlsEngine() {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    return ssl != null && ssl.engine() instanceof ReferenceCountedOpenSslEngine
        ? TlsProvider.OPENSSL
        : TlsProvider.JDK;
  }

  /**
   * Exchanges {@link Hello}s and checks the peer's against ours: protocol version, role, and — when
   * both assert them — session id and plan hash. On a mismatch both ends fail with a message that
   * names both values; the peer is also told through an error frame. Called again with an equal
   * hello (e.g. after a {@link LinkAcceptor} ran the exchange) it returns the peer's hello at once.
   */
  public Hello handshake(Hello mine) {
    try {
      return handshakeAsync(mine)
          .get(options.handshakeTimeout().toMillis() + 1000L, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new HandshakeException(
          "handshake with " + peerName + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      abort("no hello within " + options.handshakeTimeout().toMillis() + " ms");
      throw new HandshakeException(
          "handshake with "
              + peerName
              + " failed: no hello within "
              + options.handshakeTimeout().toMillis()
              + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LinkClosedException("interrupted during the handshake with " + peerName);
    }
  }

  /**
   * {@link #handshake} without blocking: completes with the peer's hello, bounded by the handshake
   * timeout.
   */
  public CompletableFuture<Hello> handshakeAsync(Hello mine) {
    if (mine.role() != localRole) {
      throw new IllegalArgumentException(
          "hello claims "
              + mine.role().displayName()
              + " but this end is "
              + localRole.displayName());
    }
    return hello
        .exchange(mine)
        .thenApply(
            h -> {
              peerHello = h;
              return h;
            });
  }

  /** Completes when the peer's first protocol message (after its hello) has arrived. */
  CompletableFuture<Void> firstMessage() {
    return firstMessage;
  }

  @Override
  public void send(int tag, long[] data) {
    checkTag(tag);
    checkSize(8L * data.length);
    checkOpen();
    stats.onSend(8L * data.length);
    sendLongs(tag, data, 0, data.length);
  }

  /**
   * Each piece is a frame of its own, written and flushed at once: it reaches the peer while the
   * caller prepares the next (see {@link #sendLongs}).
   */
  @Override
  public ChunkSink openChunked(int tag, int length) {
    checkTag(tag);
    checkOpen();
    return Chunks.counted(
        stats,
        tag,
        length,
        (src, from, count) -> {
          checkSize(8L * count);
          sendLongs(tag, src, from, count);
        });
  }

  @Override
  public int chunkLongs() {
    return Chunks.longsOf(options.chunkBytes());
  }

  /** The frame of {@code data[from, from + count)}; not counted in the stats (the caller does). */
  private void sendLongs(int tag, long[] data, int from, int count) {
    if (count <= CHUNK_LONGS) {
      awaitWritable();
      ByteBuf frame = Frames.encode(channel.alloc(), tag, data, from, count);
      sendLock.lock();
      try {
        write(frame, true);
      } finally {
        sendLock.unlock();
      }
      return;
    }
    sendLock.lock();
    try {
      awaitWritable();
      // A large frame goes out as header + 256 KiB pieces: pooled buffers instead of one huge
      // unpooled allocation, and back-pressure applies between pieces. The send lock keeps the
      // pieces of one frame together. Pieces are written unflushed and the frame is flushed once,
      // at its end: a flush hands the event loop a task, makes TLS seal what is queued and tries
      // a socket write, so one per piece costs M / 256 KiB of each. Unflushed bytes never drain,
      // though, so the queue is also flushed whenever it has reached the high-water mark, before
      // waiting for it to fall to the low one: a frame of M bytes takes at most
      // 1 + M / (high - low) flushes (3 for 8 MiB at the default 4 MiB / 1 MiB marks).
      write(Frames.header(channel.alloc(), tag, Frames.KIND_LONGS, 8 * count), false);
      for (int at = from, end = from + count; at < end; at += CHUNK_LONGS) {
        if (!channel.isWritable()) {
          channel.flush();
          awaitWritable();
        }
        write(Frames.longs(channel.alloc(), data, at, Math.min(CHUNK_LONGS, end - at)), false);
      }
      channel.flush();
    } finally {
      sendLock.unlock();
    }
  }

  private void write(ByteBuf buf, boolean flush) {
    if (failure != null) {
      buf.release();
      checkOpen();
    }
    (flush ? channel.writeAndFlush(buf) : channel.write(buf)).addListener(onWriteFailure);
  }

  /** Fails the link when a write fails; one instance for every frame. */
  private final ChannelFutureListener onWriteFailure =
      f -> {
        if (!f.isSuccess()) {
          fail(LinkErrors.translate(f.cause(), peerName));
        }
      };

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
    long[] l = Mailbox.asLongs(inbox.take(tag, options.timeout(), peerName), tag, peerName);
    stats.onReceive(8L * l.length);
    return l;
  }

  @Override
  public void receiveLongs(int tag, int length, ChunkListener listener) {
    checkTag(tag);
    Chunks.receive(
        stats,
        tag,
        length,
        () -> Mailbox.asLongs(inbox.take(tag, options.timeout(), peerName), tag, peerName),
        listener,
        peerName);
  }

  @Override
  public byte[] receiveBytes(int tag) {
    checkTag(tag);
    byte[] b = Mailbox.asBytes(inbox.take(tag, options.timeout(), peerName), tag, peerName);
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

  /** Set by the first {@link #abort}, which alone sends the reason and closes the channel. */
  private final AtomicBoolean aborting = new AtomicBoolean();

  /** True until the link is closed or failed. */
  public boolean isOpen() {
    return failure == null && channel.isActive();
  }

  /**
   * Ends the link on purpose and tells the peer why: it receives an error frame and fails with a
   * {@link PeerAbortedException} carrying {@code reason}. Never put secrets in the reason.
   */
  public void abort(String reason) {
    // only the first abort tells the peer why: a later abort or close (the session thread, woken
    // by this one's failure) must not close the channel before that reason's frame is written
    if (!aborting.compareAndSet(false, true)) {
      return;
    }
    if (!fail(new LinkClosedException("link to " + peerName + " aborted locally: " + reason))) {
      channel.close();
      return;
    }
    closedLocally = true;
    boolean locked = false;
    try {
      // never split another thread's frame; if a sender is stuck, close without the reason
      locked = sendLock.tryLock(200, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!locked) {
      channel.close();
      return;
    }
    try {
      sendErrorAndClose(reason);
    } finally {
      sendLock.unlock();
    }
  }

  /**
   * {@link #abort} from the event loop, where no blocking sender can be mid-frame before the
   * session starts (handshake refusals, refused frames): fails the link with {@code failure} and
   * sends {@code reason} to the peer.
   */
  void refuse(String reason, LinkException failure) {
    if (fail(failure)) {
      closedLocally = true;
      sendErrorAndClose(reason);
    }
  }

  private void sendErrorAndClose(String reason) {
    if (!channel.isActive()) {
      channel.close();
      return;
    }
    ByteBuf frame =
        Frames.encode(channel.alloc(), Frames.TAG_ERROR, reason.getBytes(StandardCharsets.UTF_8));
    channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
    try {
      // a peer that never reads must not keep the connection open
      channel.eventLoop().schedule(() -> channel.close(), 2, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      channel.close();
    }
  }

  @Override
  public void close() {
    closedLocally = true;
    fail(new LinkClosedException("link to " + peerName + " was closed locally"));
    if (aborting.get()) {
      // an abort sends its reason, then closes (within 2 s even if the peer never reads)
      if (!channel.eventLoop().inEventLoop()) {
        channel.closeFuture().awaitUninterruptibly(2500);
      }
      return;
    }
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

  /** Runs {@code action} once the channel is closed, for whatever reason (on a Netty thread). */
  public void onClose(Runnable action) {
    channel.closeFuture().addListener(f -> action.run());
  }

  Channel channel() {
    return channel;
  }

  /** Received bytes waiting unread in the mailbox (see {@link LinkOptions#maxQueuedBytes}). */
  public long queuedBytes() {
    return inbox.queuedBytes();
  }

  /** The most received bytes ever waiting unread at once (bounded by the queue cap). */
  public long peakQueuedBytes() {
    return inbox.peakQueuedBytes();
  }

  private void checkTag(int tag) {
    if (tag < 0) {
      throw new IllegalArgumentException("tags below 0 are reserved for link control, got " + tag);
    }
  }

  private void checkSize(long payload) {
    if (payload > options.maxPayload()) {
      throw new FrameException(
          "message of "
              + payload
              + " bytes to "
              + peerName
              + " exceeds the frame limit of "
              + options.maxPayload()
              + " bytes; split it or raise the limit on both ends");
    }
  }

  private void checkOpen() {
    LinkException f = failure;
    if (f != null) {
      throw new LinkClosedException(
          "link to " + peerName + " is closed (" + f.getMessage() + ")", f);
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
            throw new LinkTimeoutException(
                "could not send to "
                    + peerName
                    + ": nothing drained in "
                    + options.timeout().toMillis()
                    + " ms, its receive window stayed full (the peer is stalled or not reading)");
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

  /**
   * Fails the link with {@code cause}; false when it had already failed (the first failure wins).
   */
  boolean fail(LinkException cause) {
    synchronized (this) {
      if (failure != null) {
        return false;
      }
      failure = cause;
    }
    inbox.fail(cause);
    ready.completeExceptionally(cause);
    hello.linkFailed(cause);
    firstMessage.completeExceptionally(cause);
    signalWriters();
    return true;
  }

  /** Sends a link-control frame (not counted as protocol traffic). */
  void sendControl(int tag, byte[] payload) {
    sendFrame(Frames.encode(channel.alloc(), tag, payload), -1);
  }

  /**
   * The last handler: frames into the mailbox, the peer's ERROR frame and transport failures into
   * link failures.
   */
  private final class Handler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof Frame f)) {
        ctx.fireChannelRead(msg);
        return;
      }
      if (f.tag() == Frames.TAG_ERROR) {
        String reason =
            f.payload() instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : "(no reason)";
        fail(new PeerAbortedException(peerName + " ended the link: " + reason));
        ctx.close();
        return;
      }
      try {
        inbox.deliver(f.tag(), f.payload(), peerName);
      } catch (LinkException e) {
        refuse(e.getMessage(), e);
        return;
      }
      firstMessage.complete(null);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      signalWriters();
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      fail(
          closedLocally
              ? new LinkClosedException("link to " + peerName + " was closed locally")
              : new LinkClosedException(
                  "connection to " + peerName + " was lost: the peer closed it or died"));
      signalWriters();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LinkException e = LinkErrors.translate(cause, peerName);
      if (e instanceof FrameException) {
        refuse(
            "refused a frame: " + e.getMessage(),
            e); // tell the peer what was wrong with its stream
        return;
      }
      fail(e);
      ctx.close();
    }
  }
}
