package org.polyshare.core.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.polyshare.core.link.LinkException;

/**
 * The hello exchange, between the frame decoder and the link: catches the peer's {@link Hello},
 * refuses any protocol message before it, checks it against ours once {@link #exchange} gave ours,
 * and removes itself when both agree. A mismatch, a second or malformed hello, or no hello within
 * the handshake timeout ends the link with an ERROR frame naming the problem.
 */
final class HelloHandler extends ChannelInboundHandlerAdapter {
  private final NettyLink link;
  private final long timeoutMs;
  private final CompletableFuture<Hello> agreed = new CompletableFuture<>();
  private volatile Hello mine;
  private Hello peer; // event loop only
  private ChannelHandlerContext ctx;

  HelloHandler(NettyLink link, long timeoutMs) {
    this.link = link;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Sends {@code mine} and completes with the peer's hello once it agrees. Idempotent: asked again
   * with an equal hello it returns the same future.
   */
  CompletableFuture<Hello> exchange(Hello mine) {
    synchronized (this) {
      if (this.mine != null) {
        return this.mine.equals(mine)
            ? agreed
            : CompletableFuture.failedFuture(
                new IllegalStateException(
                    "the hello exchange with "
                        + link.peerName()
                        + " already ran with "
                        + this.mine
                        + ", not "
                        + mine));
      }
      this.mine = mine;
    }
    try {
      link.sendControl(Frames.TAG_HELLO, mine.encode());
      ctx.executor().execute(this::conclude);
      ctx.executor().schedule(this::expire, timeoutMs, TimeUnit.MILLISECONDS);
    } catch (LinkException e) {
      linkFailed(e);
    } catch (RejectedExecutionException e) {
      linkFailed(
          new HandshakeException(
              "handshake with " + link.peerName() + " failed: the transport is shut down"));
    }
    return agreed;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Frame f) || f.tag() == Frames.TAG_ERROR) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (f.tag() != Frames.TAG_HELLO) {
      if (peer == null) {
        refuse(
            "protocol error: "
                + link.peerName()
                + " sent a message (tag "
                + f.tag()
                + ") before its hello");
      } else {
        ctx.fireChannelRead(msg); // after the peer's hello, while ours is still being checked
      }
      return;
    }
    if (peer != null) {
      refuse("protocol error: " + link.peerName() + " sent a second hello");
      return;
    }
    if (!(f.payload() instanceof byte[] bytes)) {
      refuse("protocol error: the hello of " + link.peerName() + " is not a byte message");
      return;
    }
    try {
      peer = Hello.decode(bytes, link.peerName());
    } catch (HandshakeException e) {
      refuse(e.getMessage());
      return;
    }
    conclude();
  }

  /** Checks the two hellos once both are known (event loop). */
  private void conclude() {
    Hello m = mine;
    if (agreed.isDone() || m == null || peer == null) {
      return;
    }
    List<String> problems = m.mismatches(peer, link.peerRole());
    if (!problems.isEmpty()) {
      String why = String.join("; ", problems);
      link.refuse(
          why, new HandshakeException("handshake with " + link.peerName() + " refused: " + why));
      return;
    }
    ctx.pipeline().remove(this);
    agreed.complete(peer);
  }

  private void expire() {
    if (!agreed.isDone()) {
      link.refuse(
          "no hello within " + timeoutMs + " ms",
          new HandshakeException(
              "handshake with "
                  + link.peerName()
                  + " failed: no hello within "
                  + timeoutMs
                  + " ms (is it a PolyShare process of the same version?)"));
    }
  }

  private void refuse(String why) {
    link.refuse(
        why, new HandshakeException("handshake with " + link.peerName() + " refused: " + why));
  }

  /** The link failed (peer gone, ERROR frame, refusal): the exchange fails with the reason. */
  void linkFailed(LinkException cause) {
    agreed.completeExceptionally(
        cause instanceof HandshakeException
            ? cause
            : new HandshakeException(
                "handshake with " + link.peerName() + " failed: " + LinkErrors.rootMessage(cause),
                cause));
  }
}
