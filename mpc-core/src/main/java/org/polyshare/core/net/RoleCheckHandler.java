package org.polyshare.core.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Right behind the TLS handler: when TLS completes, reads the role from the peer's certificate and
 * refuses a role this end does not expect (with an ERROR frame naming both), before any protocol
 * byte is read; then removes itself. A failed TLS handshake fails the link with the translated
 * reason.
 */
final class RoleCheckHandler extends ChannelInboundHandlerAdapter {
  private final NettyLink link;
  private final List<Role> accepted;

  RoleCheckHandler(NettyLink link, List<Role> accepted) {
    this.link = link;
    this.accepted = accepted;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (!(evt instanceof SslHandshakeCompletionEvent done)) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    if (!done.isSuccess()) {
      link.fail(LinkErrors.translate(done.cause(), link.peerName()));
      ctx.close();
      return;
    }
    Role r = certifiedRole(ctx);
    if (r == null || !accepted.contains(r)) {
      String why =
          "refused the peer at "
              + ctx.channel().remoteAddress()
              + ": its certificate is for "
              + (r == null ? "no PolyShare role" : r.displayName())
              + " but "
              + link.localRole().displayName()
              + " expects "
              + TlsIdentity.describeRoles(accepted)
              + " here";
      link.refuse(why, new HandshakeException(why));
      return;
    }
    ctx.pipeline().remove(this);
    link.authenticated(r);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // only reachable if application data overtook the handshake's completion
    ReferenceCountUtil.release(msg);
    link.fail(
        new HandshakeException(
            "protocol error: " + link.peerName() + " sent data before authentication"));
    ctx.close();
  }

  private static Role certifiedRole(ChannelHandlerContext ctx) {
    try {
      return TlsIdentity.peerRole(ctx.pipeline().get(SslHandler.class).engine().getSession());
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }
}
