package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.Role;
import org.polyshare.core.ops.LogCapture;
import org.polyshare.dealer.DealerServer;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.ErrorBound;
import org.polyshare.models.zoo.Zoo;

/** Party 0 as a service (one JVM, loopback TLS): many clients back to back and at once, one failing. */
class PartyServiceTest {
  private static final String MODEL = "tiny-pkn";
  private static final Duration T = Duration.ofSeconds(30);
  private static NetTransport net;
  private static DealerServer dealer;
  private static PartyService service;
  private static final LogCapture serviceLog = LogCapture.start(Level.INFO);

  @BeforeAll
  static void start() {
    net = NetTransport.create(2);
    dealer = new DealerServer(net, NetFixtures.identity(Role.DEALER), 0,
        DealerServer.Settings.defaults().withPairTimeout(Duration.ofSeconds(10)),
        new PrintStream(new ByteArrayOutputStream()));
    service = new PartyService(net, NetFixtures.identity(Role.PARTY0), Zoo.load(MODEL), 0,
        new PartyService.Settings("localhost", dealer.port(), T, T, 2, 0, 100, null),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    service.close();
    dealer.close();
    net.close();
  }

  private static String log() {
    return serviceLog.text();
  }

  private static PartyRunner.Report client(String model, Path input, String session, int inferences) {
    return PartyRunner.run(new PartyRunner.Config(1, "localhost", service.port(), null, "localhost", dealer.port(),
        NetFixtures.certs(), model, input, session, inferences, T, T), net,
        new PrintStream(new ByteArrayOutputStream()), p -> { });
  }

  /** Party 1's logits against the plaintext model on the inputs it used. */
  private static void assertMatchesPlaintext(PartyRunner.Report r, double[][] xs) {
    Model model = Zoo.load(MODEL);
    double bound = ErrorBound.logits(model, xs);
    assertEquals(xs.length, r.inferences().size());
    for (int k = 0; k < xs.length; k++) {
      double[] secure = r.inferences().get(k).logits();
      double[] plain = PlainEvaluator.forward(model, xs[k]);
      for (int j = 0; j < plain.length; j++) {
        assertTrue(Math.abs(secure[j] - plain[j]) <= bound,
            "logit " + j + ": " + secure[j] + " vs " + plain[j] + " (bound " + bound + ")");
      }
    }
  }

  @Test
  void clientsBackToBackAndAtOnceEachGetTheirOwnResult(@TempDir Path dir) throws Exception {
    Model model = Zoo.load(MODEL);
    int before = service.completedSessions();
    // back to back, each with its own input file
    List<String> sessions = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      double[][] xs = Zoo.sampleInputs(model, 2, 100 + c);
      Path in = dir.resolve("x" + c + ".psf4");
      double[] flat = new double[2 * model.inputSize()];
      for (int k = 0; k < 2; k++) {
        System.arraycopy(xs[k], 0, flat, k * model.inputSize(), model.inputSize());
      }
      int[] shape = model.inputShape();
      ClientInput.writeBinaryTensor(in, new int[] {2, shape[0], shape[1], shape[2]}, flat);
      double[][] used = ClientInput.load(in, model, 2, ClientInput.Options.defaults()); // float32-rounded
      PartyRunner.Report r = client(MODEL, in, "seq", 2);
      assertMatchesPlaintext(r, used);
      sessions.add(r.session());
    }
    // every client proposed "seq"; the service made each dealer session unique
    assertEquals(3, sessions.stream().distinct().count(), sessions.toString());
    assertTrue(sessions.stream().allMatch(s -> s.startsWith("seq@")), sessions.toString());

    // two at once, proposing the same id
    CompletableFuture<PartyRunner.Report> a = CompletableFuture.supplyAsync(() -> client(MODEL, null, "same", 3));
    CompletableFuture<PartyRunner.Report> b = CompletableFuture.supplyAsync(() -> client(MODEL, null, "same", 2));
    PartyRunner.Report ra = a.get(120, TimeUnit.SECONDS);
    PartyRunner.Report rb = b.get(120, TimeUnit.SECONDS);
    assertMatchesPlaintext(ra, Zoo.sampleInputs(model, 3, 42));
    assertMatchesPlaintext(rb, Zoo.sampleInputs(model, 2, 42));
    assertNotEquals(ra.session(), rb.session());
    assertEquals(before + 5, service.completedSessions(), log());
    assertTrue(log().contains("session '" + ra.session() + "' with "), log());
  }

  @Test
  void aFailingClientDoesNotStopTheService() throws Exception {
    int failedBefore = service.failedSessions();
    // a client with another architecture: its plan differs from the service's
    RuntimeException e = assertThrows(RuntimeException.class, () -> client("tiny-relu", null, "wrong", 1));
    assertTrue(e.getMessage().contains("plan mismatch") && e.getMessage().contains("tiny-pkn"), e.getMessage());
    // a client that connects, says hello and vanishes
    PartyRunner.Config cfg = new PartyRunner.Config(1, "localhost", service.port(), null, "localhost", dealer.port(),
        NetFixtures.certs(), MODEL, null, "gone", 1, T, T);
    var link = net.connect("localhost", service.port(), NetFixtures.identity(Role.PARTY1), Role.PARTY0,
        NetFixtures.fastOptions(), Duration.ofSeconds(5));
    link.handshake(org.polyshare.core.net.Hello.of(Role.PARTY1, cfg.session(), null));
    link.close();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (service.failedSessions() < failedBefore + 2 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertEquals(failedBefore + 2, service.failedSessions(), log());
    assertTrue(log().contains("failed after"), log());
    // and the service still serves
    assertMatchesPlaintext(client(MODEL, null, "after", 1), Zoo.sampleInputs(Zoo.load(MODEL), 1, 42));
  }

  @Test
  void aClientBeyondTheConcurrencyLimitIsTurnedAwayAtOnce() throws Exception {
    try (PartyService one = new PartyService(net, NetFixtures.identity(Role.PARTY0), Zoo.load(MODEL), 0,
        new PartyService.Settings("localhost", dealer.port(), T, T, 1, 0, 100, null),
        new PrintStream(new ByteArrayOutputStream()))) {
      // a client that says hello and then sits in the only session slot
      var idle = net.connect("localhost", one.port(), NetFixtures.identity(Role.PARTY1), Role.PARTY0,
          NetFixtures.fastOptions(), Duration.ofSeconds(5));
      idle.handshake(org.polyshare.core.net.Hello.of(Role.PARTY1, "idle", null));
      long t0 = System.nanoTime();
      RuntimeException busy = assertThrows(RuntimeException.class, () -> PartyRunner.run(new PartyRunner.Config(1,
          "localhost", one.port(), null, "localhost", dealer.port(), NetFixtures.certs(), MODEL, null, "late", 1, T, T),
          net, new PrintStream(new ByteArrayOutputStream()), p -> { }));
      assertTrue(busy.getMessage().contains("busy"), busy.getMessage());
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "turned away only after a wait");
      idle.close();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while ((one.failedSessions() < 1 || one.activeSessions() > 0) && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      PartyRunner.Report r = PartyRunner.run(new PartyRunner.Config(1, "localhost", one.port(), null, "localhost",
          dealer.port(), NetFixtures.certs(), MODEL, null, "then", 1, T, T), net,
          new PrintStream(new ByteArrayOutputStream()), p -> { });
      assertMatchesPlaintext(r, Zoo.sampleInputs(Zoo.load(MODEL), 1, 42));
    }
  }
}
