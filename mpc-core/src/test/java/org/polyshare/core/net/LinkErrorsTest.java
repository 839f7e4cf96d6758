package org.polyshare.core.net;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.security.cert.CertPathValidatorException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.polyshare.core.link.LinkClosedException;
import org.polyshare.core.link.LinkException;

/** The transport-exception translator on its own: each kind of failure says what to check. */
class LinkErrorsTest {
  private static final String PEER = "party 1 at /10.0.0.3:4000";

  @Test
  void aCertificateOutsideOurCaIsRecognisedByTypeWhateverTheText() {
    SSLHandshakeException e = new SSLHandshakeException("unexpected wording");
    e.initCause(new CertPathValidatorException("whatever the provider says"));
    LinkException t = LinkErrors.translate(new DecoderException(e), PEER);
    assertInstanceOf(HandshakeException.class, t);
    assertTrue(
        t.getMessage().contains("TLS failure with " + PEER)
            && t.getMessage().contains("not signed by our CA"),
        t.getMessage());
  }

  @Test
  void plainTextOnTheTlsPortAlertsAndBrokenConnections() {
    LinkException notTls =
        LinkErrors.translate(new NotSslRecordException("not an SSL/TLS record"), PEER);
    assertTrue(notTls.getMessage().contains("does not speak TLS"), notTls.getMessage());
    LinkException alert =
        LinkErrors.translate(
            new SSLHandshakeException("Received fatal alert: bad_certificate"), PEER);
    assertTrue(alert.getMessage().contains("it rejected our certificate"), alert.getMessage());
    LinkException io = LinkErrors.translate(new IOException("Connection reset by peer"), PEER);
    assertInstanceOf(LinkClosedException.class, io);
    assertTrue(
        io.getMessage().contains("connection to " + PEER + " failed: Connection reset by peer"),
        io.getMessage());
    LinkException own = new FrameException("malformed");
    assertSame(own, LinkErrors.translate(new DecoderException(own), PEER));
  }
}
