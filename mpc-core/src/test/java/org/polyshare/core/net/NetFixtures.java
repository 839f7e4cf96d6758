package org.polyshare.core.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Certificates and connected link pairs for transport tests (shared with the dealer's tests). */
public final class NetFixtures {
  private NetFixtures() {}

  private static Path certs;
  private static Path otherCa;
  private static NetTransport transport;

  /**
   * One transport (two event-loop threads) shared by the test classes of this JVM, closed when the
   * JVM exits; a test that must see a transport close makes its own.
   */
  public static synchronized NetTransport transport() {
    if (transport == null) {
      NetTransport t = NetTransport.create(2);
      Runtime.getRuntime().addShutdownHook(new Thread(t::close, "close-test-transport"));
      transport = t;
    }
    return transport;
  }

  /** A loopback port that was free a moment ago and on which nobody listens now. */
  public static int freePort() throws IOException {
    try (ServerSocket ss = new ServerSocket(0)) {
      return ss.getLocalPort();
    }
  }

  /** One certificate directory (CA + dealer + both parties) per JVM. */
  public static synchronized Path certs() {
    if (certs == null) {
      certs = tempDir("polyshare-certs");
      CertificateAuthority.createAll(certs, CertificateAuthority.DEFAULT_HOSTS);
    }
    return certs;
  }

  /** A second, unrelated CA with its own dealer and party certificates. */
  public static synchronized Path otherCaCerts() {
    if (otherCa == null) {
      otherCa = tempDir("polyshare-other-ca");
      CertificateAuthority.createAll(otherCa, CertificateAuthority.DEFAULT_HOSTS);
    }
    return otherCa;
  }

  public static TlsIdentity identity(Role role) {
    return TlsIdentity.load(certs(), role);
  }

  public static LinkOptions fastOptions() {
    return LinkOptions.defaults()
        .withTimeout(Duration.ofSeconds(3))
        .withConnectTimeout(Duration.ofSeconds(1))
        .withHandshakeTimeout(Duration.ofSeconds(3));
  }

  /** Party 0 listens, party 1 connects; both handshake. {@code [0]} is party 0's end. */
  public static NettyLink[] partyPair(
      NetTransport net, LinkOptions options, String session, byte[] planHash) {
    return net.loopbackPair(
        identity(Role.PARTY0),
        Hello.of(Role.PARTY0, session, planHash),
        identity(Role.PARTY1),
        Hello.of(Role.PARTY1, session, planHash),
        options,
        Duration.ofSeconds(10));
  }

  /** Party 1 connects to party 0 listening on {@code port} of this host, within five seconds. */
  public static NettyLink connectAsParty1(NetTransport net, int port, LinkOptions options) {
    return net.connect(
        "localhost", port, identity(Role.PARTY1), Role.PARTY0, options, Duration.ofSeconds(5));
  }

  public static List<Role> parties() {
    return List.of(Role.PARTY0, Role.PARTY1);
  }

  private static Path tempDir(String prefix) {
    try {
      Path d = Files.createTempDirectory(prefix);
      d.toFile().deleteOnExit();
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
