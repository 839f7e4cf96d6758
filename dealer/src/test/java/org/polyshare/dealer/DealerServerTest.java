package org.polyshare.dealer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.Correlation;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.CorrelationSource;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.link.LinkTimeoutException;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.NettyLink;
import org.polyshare.core.net.RemoteCorrelationSource;
import org.polyshare.core.net.Role;
import org.polyshare.core.net.TlsIdentity;
import org.polyshare.core.ops.LogCapture;
import org.polyshare.core.protocol.Beaver;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Sharing;
import org.polyshare.core.ring.FixedPoint;

/** The dealer service in this JVM, two parties on threads, everything over loopback TLS. */
class DealerServerTest {
  private static NetTransport net;
  private static DealerServer dealer;
  private static final LogCapture LOG = LogCapture.start(Level.INFO);
  private static final LinkOptions OPT = NetFixtures.fastOptions();

  @BeforeAll
  static void start() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    net = NetTransport.create(2);
    DealerServer.Settings settings =
        DealerServer.Settings.defaults()
            .withLink(OPT)
            .withPairTimeout(Duration.ofSeconds(1))
            .withSeeds(session -> DealerSessions.seeds(session.hashCode()));
    dealer =
        new DealerServer(net, NetFixtures.identity(Role.DEALER), 0, settings, new DealerMetrics());
  }

  @AfterAll
  static void stop() {
    dealer.close();
    net.close();
  }

  /**
   * The session secret the tests' two parties share (party 0 would draw it and hand it to party 1).
   */
  static byte[] secretOf(String session) {
    byte[] s = new byte[32];
    new SplittableRandom(session.hashCode()).nextBytes(s);
    return s;
  }

  private static RemoteCorrelationSource source(int party, String session, CorrelationPlan plan) {
    return source(party, session, secretOf(session), plan);
  }

  private static RemoteCorrelationSource source(
      int party, String session, byte[] secret, CorrelationPlan plan) {
    return connect(net, dealer, party, session, secret, plan, OPT);
  }

  /** Party {@code party}'s source for {@code session} at {@code dealer} on localhost. */
  static RemoteCorrelationSource connect(
      NetTransport net,
      DealerServer dealer,
      int party,
      String session,
      byte[] secret,
      CorrelationPlan plan,
      LinkOptions options) {
    return RemoteCorrelationSource.connect(
        net,
        "localhost",
        dealer.port(),
        NetFixtures.identity(Role.party(party)),
        session,
        secret,
        plan,
        options,
        Duration.ofSeconds(3));
  }

  /** Both parties' sources, connected concurrently. */
  private static RemoteCorrelationSource[] sources(
      String session, CorrelationPlan plan0, CorrelationPlan plan1) throws Exception {
    CompletableFuture<RemoteCorrelationSource> s0 =
        CompletableFuture.supplyAsync(() -> source(0, session, plan0));
    RemoteCorrelationSource s1 = source(1, session, plan1);
    return new RemoteCorrelationSource[] {s0.get(5, TimeUnit.SECONDS), s1};
  }

  @Test
  void networkDealerGivesExactlyTheInProcessCorrelations() throws Exception {
    String session = "equivalence";
    CorrelationPlan plan = DealerSessions.mixedPlan();
    RemoteCorrelationSource[] remote = sources(session, plan, plan);
    InProcessDealer local = new InProcessDealer(DealerSessions.seeds(session.hashCode()));
    for (CorrelationRequest r : plan.requests()) {
      for (int p = 0; p < 2; p++) {
        Correlation viaNet = remote[p].next(r);
        Correlation inProc = local.source(p).next(r);
        assertEquals(inProc.getClass(), viaNet.getClass());
        List<long[]> a = DealerSessions.arrays(viaNet);
        List<long[]> b = DealerSessions.arrays(inProc);
        assertEquals(b.size(), a.size());
        for (int i = 0; i < a.size(); i++) {
          assertArrayEquals(b.get(i), a.get(i), r + " component " + i + " of party " + p);
        }
      }
    }
    // a request beyond the submitted plan becomes a one-request batch on both sides
    CorrelationRequest extra = new CorrelationRequest.Triples(5);
    CompletableFuture<Correlation> x0 = CompletableFuture.supplyAsync(() -> remote[0].next(extra));
    Correlation x1 = remote[1].next(extra);
    assertArrayEquals(
        DealerSessions.arrays(local.source(0).next(extra)).get(2),
        DealerSessions.arrays(x0.get()).get(2));
    assertArrayEquals(
        DealerSessions.arrays(local.source(1).next(extra)).get(2),
        DealerSessions.arrays(x1).get(2));
    remote[0].close();
    remote[1].close();
    assertTrue(remote[1].stats().bytesReceived() > 0);
  }

  @Test
  void beaverMultiplyOverNetworkDealerAndPartyLinkOpensToTheProduct() throws Exception {
    int n = 1000;
    CorrelationPlan plan = CorrelationPlan.of(new CorrelationRequest.Triples(n));
    RemoteCorrelationSource[] src = sources("beaver", plan, plan);
    NettyLink[] links = NetFixtures.partyPair(net, OPT, "beaver", plan.sha256());
    SplittableRandom rnd = new SplittableRandom(11);
    long[] x = rnd.longs(n).toArray();
    long[] y = rnd.longs(n).toArray();
    long[] x0 = rnd.longs(n).toArray();
    long[] y0 = rnd.longs(n).toArray();
    long[][] sharesX = {x0, minus(x, x0)};
    long[][] sharesY = {y0, minus(y, y0)};
    FixedPoint fp = new FixedPoint(16);
    CompletableFuture<long[]> p0 =
        CompletableFuture.supplyAsync(
            () -> {
              Party p = new Party(0, links[0], src[0], fp);
              return Sharing.open(p, Beaver.mulRaw(p, sharesX[0], sharesY[0]));
            });
    Party p1 = new Party(1, links[1], src[1], fp);
    long[] opened1 = Sharing.open(p1, Beaver.mulRaw(p1, sharesX[1], sharesY[1]));
    long[] opened0 = p0.get(10, TimeUnit.SECONDS);
    for (int i = 0; i < n; i++) {
      assertEquals(x[i] * y[i], opened1[i], "product " + i);
    }
    assertArrayEquals(opened1, opened0);
    for (CorrelationSource s : src) {
      ((RemoteCorrelationSource) s).close();
    }
    links[0].close();
    links[1].close();
  }

  @Test
  void planMismatchIsReportedToBothPartiesByCodeWithTheHashesInTheLogOnly() throws Exception {
    CorrelationPlan a = CorrelationPlan.of(new CorrelationRequest.Triples(10));
    CorrelationPlan b = CorrelationPlan.of(new CorrelationRequest.Triples(11));
    RemoteCorrelationSource[] src = sources("mismatch", a, b);
    CorrelationPlan[] plans = {a, b};
    for (int p = 0; p < 2; p++) {
      int party = p;
      LinkException e =
          assertThrows(LinkException.class, () -> src[party].next(plans[party].requests().get(0)));
      assertTrue(e.getMessage().contains(DealerRefusal.PLAN_MISMATCH.wire()), e.getMessage());
      assertTrue(
          !e.getMessage().contains(a.sha256Hex()) && !e.getMessage().contains(b.sha256Hex()),
          e.getMessage());
      src[p].close();
    }
    awaitLog("plan mismatch in session 'mismatch': party 0 has plan hash " + a.sha256Hex());
  }

  @Test
  void laterBatchMismatchIsReportedToo() throws Exception {
    CorrelationPlan first = CorrelationPlan.of(new CorrelationRequest.Squares(4));
    RemoteCorrelationSource[] src = sources("batch-mismatch", first, first);
    CompletableFuture<Correlation> f =
        CompletableFuture.supplyAsync(() -> src[0].next(first.requests().get(0)));
    src[1].next(first.requests().get(0));
    f.get(5, TimeUnit.SECONDS);
    CompletableFuture<Correlation> g =
        CompletableFuture.supplyAsync(() -> src[0].next(new CorrelationRequest.Triples(3)));
    LinkException e1 =
        assertThrows(LinkException.class, () -> src[1].next(new CorrelationRequest.Triples(4)));
    assertTrue(e1.getMessage().contains(DealerRefusal.PLAN_MISMATCH.wire()), e1.getMessage());
    ExecutionException e0 =
        assertThrows(ExecutionException.class, () -> g.get(5, TimeUnit.SECONDS));
    assertTrue(
        e0.getCause().getMessage().contains(DealerRefusal.PLAN_MISMATCH.wire()),
        e0.getCause().getMessage());
    awaitLog("plan mismatch in session 'batch-mismatch' at batch 1");
    src[0].close();
    src[1].close();
  }

  @Test
  void aPartyThatDiedWhileWaitingMayRejoin() throws Exception {
    CorrelationPlan plan = CorrelationPlan.of(new CorrelationRequest.Triples(2));
    RemoteCorrelationSource dead = source(0, "rejoin", plan);
    dead.link().abort("simulated crash");
    awaitLog("session 'rejoin': party 0 left while waiting");
    RemoteCorrelationSource[] src = sources("rejoin", plan, plan);
    CompletableFuture<Correlation> f =
        CompletableFuture.supplyAsync(() -> src[0].next(plan.requests().get(0)));
    src[1].next(plan.requests().get(0));
    f.get(5, TimeUnit.SECONDS);
    src[0].close();
    src[1].close();
  }

  @Test
  void lonelyPartyIsToldItsPeerNeverCame() {
    CorrelationPlan plan = CorrelationPlan.of(new CorrelationRequest.Triples(1));
    RemoteCorrelationSource s = source(0, "lonely", plan);
    LinkException e = assertThrows(LinkException.class, () -> s.next(plan.requests().get(0)));
    assertTrue(e.getMessage().contains(DealerRefusal.PEER_MISSING.wire()), e.getMessage());
    assertTrue(
        !e.getMessage().contains("lonely"),
        "the session id stays in the dealer's log: " + e.getMessage());
    s.close();
  }

  /**
   * A third connection with a valid party-1 certificate and the session id (ids are logged) but not
   * the secret cannot take party 1's place, whether it comes before party 0 registered the secret
   * (it waits as a candidate and is refused when party 0 comes) or after (refused at once); the
   * real two parties still complete, and the secret is never logged.
   */
  @Test
  void aPartyOneWithTheIdButNotTheSecretCannotTakeTheSlot() throws Exception {
    CorrelationPlan plan = CorrelationPlan.of(new CorrelationRequest.Triples(3));
    for (boolean early : new boolean[] {true, false}) {
      String session = "guarded-" + early;
      byte[] secret = secretOf(session);
      byte[] guess = secret.clone();
      guess[31] ^= 1; // all but one bit right: the compare is over every byte
      CompletableFuture<RemoteCorrelationSource> intruder;
      RemoteCorrelationSource s0;
      if (early) {
        intruder = CompletableFuture.supplyAsync(() -> source(1, session, guess, plan));
        awaitLog("session '" + session + "': a party-1 connection from");
        s0 = source(0, session, secret, plan);
      } else {
        s0 = source(0, session, secret, plan);
        awaitLog("session '" + session + "': party 0 joined");
        intruder = CompletableFuture.supplyAsync(() -> source(1, session, guess, plan));
      }
      RemoteCorrelationSource bad = intruder.get(5, TimeUnit.SECONDS);
      LinkException refused =
          assertThrows(LinkException.class, () -> bad.next(plan.requests().get(0)));
      assertTrue(
          refused.getMessage().contains(DealerRefusal.SECRET_MISMATCH.wire()),
          refused.getMessage());
      bad.close();
      RemoteCorrelationSource s1 = source(1, session, secret, plan);
      CompletableFuture<Correlation> f =
          CompletableFuture.supplyAsync(() -> s0.next(plan.requests().get(0)));
      s1.next(plan.requests().get(0));
      f.get(5, TimeUnit.SECONDS);
      s0.close();
      s1.close();
      awaitLog("session '" + session + "' done");
      String log = LOG.text();
      assertTrue(
          !log.contains(java.util.HexFormat.of().formatHex(secret)), "the log shows the secret");
    }
  }

  /** A raw link to the shared dealer under {@code id}, before its hello. */
  private static NettyLink dialDealer(TlsIdentity id) {
    return net.connect("localhost", dealer.port(), id, Role.DEALER, OPT, Duration.ofSeconds(3));
  }

  @Test
  void aConnectionWithoutASecretIsRefused() {
    LinkException e =
        assertThrows(
            LinkException.class,
            () -> {
              NettyLink l = dialDealer(NetFixtures.identity(Role.PARTY1));
              l.handshake(org.polyshare.core.net.Hello.of(Role.PARTY1, "no-secret", new byte[32]));
              l.send(org.polyshare.core.net.DealerProtocol.TAG_SECRET, new byte[8]);
              l.receiveLongs(org.polyshare.core.net.DealerProtocol.TAG_DEAL);
            });
    assertTrue(e.getMessage().contains(DealerRefusal.BAD_SECRET.wire()), e.getMessage());
  }

  @Test
  void dealerCertificateCannotPoseAsAParty() {
    TlsIdentity impostor = NetFixtures.identity(Role.DEALER);
    LinkException e =
        assertThrows(
            LinkException.class,
            () -> {
              NettyLink l = dialDealer(impostor);
              l.handshake(org.polyshare.core.net.Hello.of(Role.DEALER, "x", new byte[] {1}));
            });
    assertTrue(e.getMessage().contains("certificate is for dealer"), e.getMessage());
  }

  @Test
  void absentDealerIsAConnectTimeout() throws Exception {
    int port = NetFixtures.freePort();
    LinkTimeoutException e =
        assertTimeout(
            Duration.ofSeconds(4),
            () ->
                assertThrows(
                    LinkTimeoutException.class,
                    () ->
                        RemoteCorrelationSource.connect(
                            net,
                            "127.0.0.1",
                            port,
                            NetFixtures.identity(Role.PARTY0),
                            "s",
                            secretOf("s"),
                            CorrelationPlan.of(),
                            OPT,
                            Duration.ofMillis(700))));
    assertTrue(e.getMessage().contains("could not connect to dealer"), e.getMessage());
  }

  private static long[] minus(long[] a, long[] b) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] - b[i];
    }
    return out;
  }

  /** Waits (at most 10 s) until the dealer's log contains {@code text}. */
  private static void awaitLog(String text) throws InterruptedException {
    LOG.await(text);
  }
}
