package org.polyshare.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The TLS engine choice: BoringSSL where it loads, the JDK's engine on request, and either end of
 * either kind talks to the other (a mixed pair exchanges a small and a large message intact).
 */
class TlsProviderTest {
  @Test
  void autoTakesBoringSslWhereItLoadsAndJdkOnRequest() {
    assertEquals(TlsProvider.JDK, TlsProvider.choose("jdk"));
    assertEquals(
        TlsProvider.boringSslLoads() ? TlsProvider.OPENSSL : TlsProvider.JDK,
        TlsProvider.choose("auto"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TlsProvider.choose("gnutls"));
    assertTrue(e.getMessage().contains(TlsProvider.PROPERTY), e.getMessage());
  }

  @Test
  void boringSslLoadsOnLinuxX8664() {
    assumeTrue(
        "Linux".equals(System.getProperty("os.name"))
            && "amd64".equals(System.getProperty("os.arch")));
    assertTrue(TlsProvider.boringSslLoads(), "netty-tcnative ships BoringSSL for linux-x86_64");
    assertEquals(TlsProvider.OPENSSL, TlsProvider.choose("openssl"));
  }

  @ParameterizedTest
  @CsvSource({"OPENSSL, JDK", "JDK, OPENSSL", "JDK, JDK"})
  void endsOfEitherEngineInteroperate(TlsProvider server, TlsProvider client) throws Exception {
    if (server == TlsProvider.OPENSSL || client == TlsProvider.OPENSSL) {
      assumeTrue(TlsProvider.boringSslLoads(), "BoringSSL does not load here");
    }
    NetTransport net = NetFixtures.transport();
    LinkOptions options = NetFixtures.fastOptions();
    byte[] plan = {1, 2, 3};
    NettyLink[] l =
        net.loopbackPair(
            identity(Role.PARTY0, server),
            Hello.of(Role.PARTY0, "engines", plan),
            identity(Role.PARTY1, client),
            Hello.of(Role.PARTY1, "engines", plan),
            options,
            Duration.ofSeconds(10));
    NettyLink o = l[0];
    NettyLink c = l[1];
    try {
      assertEquals(server, o.tlsEngine());
      assertEquals(client, c.tlsEngine());
      assertEquals("TLSv1.3 TLS_AES_128_GCM_SHA256", c.tlsDescription());
      long[] big = new SplittableRandom(5).longs(300_000).toArray(); // 2.4 MB, several pieces
      c.send(3, new long[] {42});
      c.send(4, big);
      assertArrayEquals(new long[] {42}, o.receiveLongs(3));
      assertArrayEquals(big, o.receiveLongs(4));
      o.sendChunked(5, big);
      long[] pieces = new long[big.length];
      c.receiveLongs(
          5, big.length, (piece, at) -> System.arraycopy(piece, 0, pieces, at, piece.length));
      assertArrayEquals(big, pieces);
    } finally {
      c.close();
      o.close();
    }
  }

  private static TlsIdentity identity(Role role, TlsProvider provider) {
    Path d = NetFixtures.certs();
    return TlsIdentity.load(
        d.resolve(CertificateAuthority.CA_CERT),
        d.resolve(role.id() + ".pem"),
        d.resolve(role.id() + "-key.pem"),
        role,
        provider);
  }
}
