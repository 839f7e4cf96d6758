package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.net.Hello;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.net.NettyLink;
import org.polyshare.core.net.Role;
import org.polyshare.core.ops.LogCapture;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/**
 * Party 0 as a service (one JVM, loopback TLS): many clients back to back and at once, one failing.
 */
class PartyServiceTest {
  private static final String MODEL = "tiny-pkn";
  private static final Duration T = Duration.ofSeconds(30);

  @RegisterExtension
  static final LoopbackDealer dealer = new LoopbackDealer(Duration.ofSeconds(10));

  private static PartyService service;
  private static final LogCapture serviceLog = LogCapture.start(Level.INFO);

  @BeforeAll
  static void start() {
    service = dealer.service(Zoo.load(MODEL), T, 2, 0, 100);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  private static String log() {
    return serviceLog.text();
  }

  private static PartyRunner.Report client(
      String model, Path input, String session, int inferences) {
    return client(service.port(), model, input, session, inferences);
  }

  private static PartyRunner.Report client(
      int port, String model, Path input, String session, int inferences) {
    return dealer
        .parties(MODEL)
        .clientModel(model)
        .input(input)
        .session(session)
        .inferences(inferences)
        .timeout(T)
        .runClient(port);
  }

  /** Party 1's demo inputs: clamped into the range party 0 published. */
  private static double[][] demo(int n) {
    return Demo.inputs(Zoo.load(MODEL), n);
  }

  /** Party 1's logits against the plaintext model on the inputs it used. */
  private static void assertMatchesPlaintext(PartyRunner.Report r, double[][] xs) {
    Demo.assertMatchesPlaintext(Zoo.load(MODEL), r, xs);
  }

  @Test
  void clientsBackToBackAndAtOnceEachGetTheirOwnResult(@TempDir Path dir) throws Exception {
    Model model = Zoo.load(MODEL);
    int before = service.completedSessions();
    // back to back, each with its own input file
    List<String> sessions = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      double[][] xs = Zoo.sampleInputs(model, 2, 100 + c);
      for (double[] x : xs) {
        var r =
            Architecture.of(model)
                .inputRange(); // party 1 refuses values beyond the calibrated range
        new org.polyshare.models.arch.InputRange(0.99 * r.lo(), 0.99 * r.hi())
            .clamp(x); // (float32 rounding)
      }
      Path in = dir.resolve("x" + c + ".psf4");
      double[] flat = new double[2 * model.inputSize()];
      for (int k = 0; k < 2; k++) {
        System.arraycopy(xs[k], 0, flat, k * model.inputSize(), model.inputSize());
      }
      int[] shape = model.inputShape();
      ClientInput.writeBinaryTensor(in, new int[] {2, shape[0], shape[1], shape[2]}, flat);
      double[][] used =
          ClientInput.load(in, model, 2, ClientInput.Options.defaults()); // float32-rounded
      PartyRunner.Report r = client(MODEL, in, "seq", 2);
      assertMatchesPlaintext(r, used);
      sessions.add(r.session());
    }
    // every client proposed "seq"; the service made each dealer session unique
    assertEquals(3, sessions.stream().distinct().count(), sessions.toString());
    assertTrue(sessions.stream().allMatch(s -> s.startsWith("seq@")), sessions.toString());

    // two at once, proposing the same id
    CompletableFuture<PartyRunner.Report> a =
        CompletableFuture.supplyAsync(() -> client(MODEL, null, "same", 3));
    CompletableFuture<PartyRunner.Report> b =
        CompletableFuture.supplyAsync(() -> client(MODEL, null, "same", 2));
    PartyRunner.Report ra = a.get(120, TimeUnit.SECONDS);
    PartyRunner.Report rb = b.get(120, TimeUnit.SECONDS);
    assertMatchesPlaintext(ra, demo(3));
    assertMatchesPlaintext(rb, demo(2));
    assertNotEquals(ra.session(), rb.session());
    assertEquals(before + 5, service.completedSessions(), log());
    assertTrue(log().contains("session '" + ra.session() + "' with "), log());
  }

  @Test
  void aFailingClientDoesNotStopTheService() throws Exception {
    int failedBefore = service.failedSessions();
    // a client with another architecture: its plan differs from the service's
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> client("tiny-relu", null, "wrong", 1));
    assertTrue(
        e.getMessage().contains("refusing to run it") && e.getMessage().contains("tiny-pkn"),
        e.getMessage());
    // a client that connects, says hello and vanishes before asking for a session: refused, no
    // session
    var shy = dealer.dial(service.port(), NetFixtures.fastOptions());
    shy.handshake(Hello.of(Role.PARTY1, "shy", null));
    shy.close();
    // a client that asks for its session and vanishes: a failed session
    dealer.stalledSession(service.port(), NetFixtures.fastOptions(), "gone").close();
    Await.until(() -> service.failedSessions() >= failedBefore + 2, Duration.ofSeconds(20));
    assertEquals(failedBefore + 2, service.failedSessions(), log());
    assertTrue(log().contains("failed after"), log());
    assertTrue(log().contains("refused a connection: connection to party 1"), log());
    // and the service still serves
    assertMatchesPlaintext(client(MODEL, null, "after", 1), demo(1));
  }

  @Test
  void slowClientsCannotKeepALegitimateOneOut() throws Exception {
    try (PartyService one = dealer.service(Zoo.load(MODEL), T, 1, 0, 100)) {
      // one --concurrent slot; three clients that authenticate and then stall: two never say hello,
      // one says hello and never asks for its session
      LinkOptions patient = NetFixtures.fastOptions().withTimeout(Duration.ofSeconds(30));
      List<NettyLink> slow = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        slow.add(dealer.dial(one.port(), patient));
      }
      CompletableFuture<Hello> saidHello =
          CompletableFuture.supplyAsync(
              () -> slow.get(2).handshake(Hello.of(Role.PARTY1, "slow", null)));
      long t0 = System.nanoTime();
      PartyRunner.Report r = client(one.port(), MODEL, null, "legit", 1);
      assertMatchesPlaintext(r, Zoo.sampleInputs(Zoo.load(MODEL), 1, 42));
      assertTrue(
          slow.stream().allMatch(NettyLink::isOpen), "served while the slow ones still sat there");
      saidHello.get(5, TimeUnit.SECONDS);
      // and the slow ones are cut at the pre-session (handshake) timeout, each told why
      long limit =
          LinkOptions.defaults().handshakeTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
      for (NettyLink l : slow) {
        LinkException e =
            assertThrows(LinkException.class, () -> l.receiveBytes(SessionStart.TAG_ARCHITECTURE));
        assertTrue(e.getMessage().contains("pre-session timeout"), e.getMessage());
        l.close();
      }
      assertTrue(
          System.nanoTime() - t0 < limit,
          "cut only after " + (System.nanoTime() - t0) / 1e9 + " s");
    }
  }

  @Test
  void drainStopsAcceptingAndEndsWhatOutlastsItWithAClearError() throws Exception {
    PartyService one = dealer.service(Zoo.load(MODEL), T, 2, 0, 100);
    try {
      // a session that runs (party 0 has joined the dealer) but whose client never goes on
      var stuck =
          dealer.stalledSession(
              one.port(), NetFixtures.fastOptions().withTimeout(Duration.ofSeconds(30)), "stuck");
      assertEquals(1, one.activeSessions());
      long t0 = System.nanoTime();
      org.polyshare.core.net.DrainReport r = one.drain(Duration.ofSeconds(1));
      assertTrue((System.nanoTime() - t0) / 1e9 < 10, "bounded by the drain timeout");
      assertEquals(0, r.finished(), r.toString());
      assertEquals(1, r.ended(), r.toString());
      assertEquals(org.polyshare.core.net.DrainReport.EXIT_SESSIONS_ENDED, r.exitCode());
      LinkException e = assertThrows(LinkException.class, () -> stuck.receiveLongs(1));
      assertTrue(
          e.getMessage().contains("party 0 is shutting down")
              && e.getMessage().contains("did not finish within the drain timeout of 1 s"),
          e.getMessage());
      stuck.close();
      // no new client gets in
      assertThrows(
          LinkException.class,
          () ->
              dealer
                  .dial(one.port(), NetFixtures.fastOptions())
                  .handshake(Hello.of(Role.PARTY1, "late", null)));
      assertTrue(one.awaitFinished(Duration.ofSeconds(10)), "the service stopped");
      assertEquals(0, one.activeSessions());
    } finally {
      one.close();
    }
  }

  @Test
  void aClientBeyondTheConcurrencyLimitIsTurnedAwayAtOnce() throws Exception {
    try (PartyService one = dealer.service(Zoo.load(MODEL), T, 1, 0, 100)) {
      // a client that asks for its session and then sits in the only session slot
      // it holds the slot once it has read the architecture
      var idle = dealer.stalledSession(one.port(), NetFixtures.fastOptions(), "idle");
      long t0 = System.nanoTime();
      RuntimeException busy =
          assertThrows(RuntimeException.class, () -> client(one.port(), MODEL, null, "late", 1));
      assertTrue(busy.getMessage().contains("busy"), busy.getMessage());
      assertTrue(
          System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "turned away only after a wait");
      idle.close();
      Await.until(
          () -> one.failedSessions() >= 1 && one.activeSessions() == 0, Duration.ofSeconds(20));
      PartyRunner.Report r = client(one.port(), MODEL, null, "then", 1);
      assertMatchesPlaintext(r, demo(1));
    }
  }
}
