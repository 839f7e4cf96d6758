package org.polyshare.core.net;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.polyshare.core.link.LinkClosedException;
import org.polyshare.core.link.LinkException;

/**
 * Transport exceptions as link failures that say what went wrong and what to check. A certificate
 * that does not chain to our CA is recognised by type (a {@link CertPathValidatorException} or
 * {@link CertPathBuilderException} in the cause chain); the JDK reports the other TLS cases — a
 * fatal alert from the peer, a host-name mismatch, a timeout — only as text, so those are
 * recognised by it, here and nowhere else.
 */
final class LinkErrors {
  private LinkErrors() {}

  static LinkException translate(Throwable t, String peerName) {
    Throwable c = t instanceof DecoderException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof LinkException le) {
      return le;
    }
    if (c instanceof NotSslRecordException) {
      return new HandshakeException(
          "TLS failure with "
              + peerName
              + ": it does not speak TLS (plain text or"
              + " garbage bytes on the wire)",
          c);
    }
    if (c instanceof SSLException) {
      String m = rootMessage(c);
      return new HandshakeException(
          "TLS failure with " + peerName + ": " + tlsHint(m, c) + " [" + m + "]", c);
    }
    if (c instanceof IOException) {
      return new LinkClosedException("connection to " + peerName + " failed: " + c.getMessage(), c);
    }
    return new LinkException("link to " + peerName + " failed: " + c, c);
  }

  private static String tlsHint(String m, Throwable c) {
    if (hasCause(c, CertPathValidatorException.class)
        || hasCause(c, CertPathBuilderException.class)
        || m.contains("certification path")
        || m.contains("PKIX")
        || m.contains("signature check failed")) {
      return "its certificate is not signed by our CA (use certificates from one `dealer certs` run)";
    }
    if (m.contains("alert")) {
      return "it rejected our certificate or TLS parameters (is our certificate from its CA?)";
    }
    if (m.contains("subject alternative") || m.contains("No name matching")) {
      return "its certificate does not name the host we dialled (recreate certificates with --hosts)";
    }
    if (m.contains("timed out")) {
      return "no TLS handshake in time";
    }
    return c instanceof SSLHandshakeException ? "handshake failed" : "secure channel broke";
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** The innermost message that says more than its wrapper's {@code toString}. */
  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null
        && c.getCause() != c
        && c.getMessage() != null
        && c.getMessage().equals(String.valueOf(c.getCause()))) {
      c = c.getCause();
    }
    return c.getMessage() != null ? c.getMessage() : c.toString();
  }
}
