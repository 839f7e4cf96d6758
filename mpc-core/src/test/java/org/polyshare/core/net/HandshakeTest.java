package org.polyshare.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.polyshare.core.link.LinkException;

/**
 * Every refusal before protocol work: TLS trust, certified role, hello fields. Both sides fail
 * clearly.
 */
class HandshakeTest {
  private static final NetTransport net = NetFixtures.transport();
  private static final LinkOptions OPT = NetFixtures.fastOptions();

  /** Outcome of one attempt: what each side threw (null = succeeded). */
  private record Outcome(Throwable server, Throwable client) {}

  private static Outcome attempt(
      TlsIdentity serverId,
      Set<Role> serverAccepts,
      Hello serverHello,
      TlsIdentity clientId,
      Role clientExpects,
      Hello clientHello)
      throws Exception {
    try (LinkServer s = net.listen(0, serverId, serverAccepts, OPT)) {
      CompletableFuture<Throwable> server =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  NettyLink l = s.accept(Duration.ofSeconds(5));
                  l.handshake(serverHello);
                  l.close();
                  return null;
                } catch (RuntimeException e) {
                  return e;
                }
              });
      Throwable client = null;
      try {
        NettyLink l =
            net.connect("localhost", s.port(), clientId, clientExpects, OPT, Duration.ofSeconds(5));
        l.handshake(clientHello);
        l.close();
      } catch (RuntimeException e) {
        client = e;
      }
      return new Outcome(server.get(10, TimeUnit.SECONDS), client);
    }
  }

  /** A client dialling party 0, which serves {@code serverHello} and accepts party 1 only. */
  private static Outcome toParty0(Hello serverHello, TlsIdentity clientId, Hello clientHello)
      throws Exception {
    return attempt(
        NetFixtures.identity(Role.PARTY0),
        Set.of(Role.PARTY1),
        serverHello,
        clientId,
        Role.PARTY0,
        clientHello);
  }

  /** As above with party 0's usual hello. */
  private static Outcome toParty0(TlsIdentity clientId, Hello clientHello) throws Exception {
    return toParty0(hello(Role.PARTY0), clientId, clientHello);
  }

  private static void assertRefused(Throwable t, String... fragments) {
    assertNotNull(t, "expected a refusal");
    assertTrue(t instanceof LinkException, "not a link exception: " + t);
    for (String f : fragments) {
      assertTrue(t.getMessage().contains(f), "message lacks '" + f + "': " + t.getMessage());
    }
  }

  /** Both sides refused, each naming every fragment. */
  private static void assertRefusedOnBothSides(Outcome o, String... fragments) {
    assertRefused(o.server(), fragments);
    assertRefused(o.client(), fragments);
  }

  /** Each side distrusts the other's CA: both fail in TLS, at least one names the CA problem. */
  private static void assertTlsRefusalOnBothSides(Outcome o) {
    assertRefusedOnBothSides(o, "TLS failure");
    assertTrue(
        o.server().getMessage().contains("not signed by our CA")
            || o.client().getMessage().contains("not signed by our CA"),
        o.server() + " / " + o.client());
  }

  private static Hello hello(Role r) {
    return Hello.of(r, "sess", new byte[] {1, 2});
  }

  @Test
  void matchingPeersPass() throws Exception {
    Outcome o = toParty0(NetFixtures.identity(Role.PARTY1), hello(Role.PARTY1));
    assertEquals(null, o.server());
    assertEquals(null, o.client());
  }

  @Test
  void clientCertificateFromAnotherCaIsRefused() throws Exception {
    TlsIdentity stranger = TlsIdentity.load(NetFixtures.otherCaCerts(), Role.PARTY1);
    Outcome o = toParty0(stranger, hello(Role.PARTY1));
    assertTlsRefusalOnBothSides(o);
  }

  @Test
  void serverCertificateFromAnotherCaIsRefused() throws Exception {
    TlsIdentity stranger = TlsIdentity.load(NetFixtures.otherCaCerts(), Role.DEALER);
    Outcome o =
        attempt(
            stranger,
            Set.of(Role.PARTY0, Role.PARTY1),
            Hello.of(Role.DEALER, "", null),
            NetFixtures.identity(Role.PARTY0),
            Role.DEALER,
            hello(Role.PARTY0));
    assertTlsRefusalOnBothSides(o);
  }

  @Test
  void partyCertificateWhereTheOtherPartyIsExpectedIsRefused() throws Exception {
    // a process holding party 0's certificate dials party 0's listener, which expects party 1
    Outcome o = toParty0(NetFixtures.identity(Role.PARTY0), hello(Role.PARTY0));
    assertRefusedOnBothSides(o, "certificate is for party 0", "expects party 1");
  }

  @Test
  void partyCertificatePresentedAsDealerIsRefused() throws Exception {
    // the "dealer" a party dials holds party 1's certificate
    Outcome o =
        attempt(
            NetFixtures.identity(Role.PARTY1),
            Set.of(Role.PARTY0),
            hello(Role.PARTY1),
            NetFixtures.identity(Role.PARTY0),
            Role.DEALER,
            hello(Role.PARTY0));
    assertRefusedOnBothSides(o, "certificate is for party 1", "expects dealer");
  }

  @Test
  void versionMismatchNamesBothVersions() throws Exception {
    Outcome o =
        toParty0(
            NetFixtures.identity(Role.PARTY1),
            new Hello(99, Role.PARTY1, "sess", new byte[] {1, 2}));
    assertRefusedOnBothSides(
        o, "protocol version mismatch", "version " + Hello.PROTOCOL_VERSION, "version 99");
  }

  @Test
  void sessionAndPlanMismatchNameBothValues() throws Exception {
    Outcome o =
        toParty0(
            Hello.of(Role.PARTY0, "alpha", new byte[] {1}),
            NetFixtures.identity(Role.PARTY1),
            Hello.of(Role.PARTY1, "beta", new byte[] {2}));
    assertRefusedOnBothSides(
        o, "session id mismatch", "'alpha'", "'beta'", "plan mismatch", "01", "02");
  }
}
