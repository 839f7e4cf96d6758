package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.secure.OfflineSchedule;
import org.polyshare.models.secure.ReluMode;

/**
 * One two-party session as the party tests run it: the real {@link PartyRunner} for both ids over
 * loopback TLS with a {@link LoopbackDealer}, party 0 listening on an ephemeral port on a thread,
 * party 1 on the caller's thread. A builder: each setter returns a changed copy, so one base can
 * serve several variants.
 */
final class Parties implements Cloneable {
  /** Both reports and what party 0 printed. */
  record Outcome(PartyRunner.Report party0, PartyRunner.Report party1, String out0) {}

  private final LoopbackDealer dealer;
  private final String model;
  private String clientModel;
  private String expect;
  private Path input;
  private String session;
  private int inferences = 1;
  private int batch = 1;
  private Duration timeout = Duration.ofSeconds(30);
  private TruncationMode truncation = PartyRunner.TRUNCATION;
  private ReluMode relu0 = ReluMode.GC;
  private ReluMode relu1 = ReluMode.GC;
  private OfflineSchedule offline = OfflineSchedule.STREAMED;
  private int dealerPort;

  Parties(LoopbackDealer dealer, String model) {
    this.dealer = dealer;
    this.model = model;
  }

  /**
   * A copy with {@code change} applied: a shallow clone (the fields are values, and the shared
   * dealer).
   */
  private Parties with(Consumer<Parties> change) {
    Parties p;
    try {
      p = (Parties) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
    change.accept(p);
    return p;
  }

  /** Party 1's {@code --model}: an architecture file, zoo name or ONNX file (default none). */
  Parties clientModel(String m) {
    return with(p -> p.clientModel = m);
  }

  /** Party 1's {@code --expect-architecture}. */
  Parties expect(String sha256) {
    return with(p -> p.expect = sha256);
  }

  /** Party 1's input file (default: demo inputs). */
  Parties input(Path file) {
    return with(p -> p.input = file);
  }

  /** The session id both name (default: party 0 draws one, party 1 takes it). */
  Parties session(String id) {
    return with(p -> p.session = id);
  }

  Parties inferences(int n) {
    return with(p -> p.inferences = n);
  }

  /** Both parties' {@code --batch}: inputs per inference (default 1). */
  Parties batch(int b) {
    return with(p -> p.batch = b);
  }

  /** Receive timeout and connect deadline of both parties (default 30 s). */
  Parties timeout(Duration t) {
    return with(p -> p.timeout = t);
  }

  Parties truncation(TruncationMode m) {
    return with(p -> p.truncation = m);
  }

  /** Both parties' {@code --relu}. */
  Parties relu(ReluMode m) {
    return relu(m, m);
  }

  /** Party 0's and party 1's {@code --relu}, which may differ (a mismatch is refused). */
  Parties relu(ReluMode owner, ReluMode client) {
    return with(
        p -> {
          p.relu0 = owner;
          p.relu1 = client;
        });
  }

  /** Both parties' {@code --offline} (default streamed). */
  Parties offline(OfflineSchedule s) {
    return with(p -> p.offline = s);
  }

  /** Party 1 reaches the dealer at this port (e.g. a forwarder) instead of the dealer's own. */
  Parties clientDealerPort(int port) {
    return with(p -> p.dealerPort = port);
  }

  /** Party 0's configuration: listening on an ephemeral port. */
  PartyRunner.Config owner() {
    return config(0, null, 0, 0, model, dealer.port());
  }

  /** Party 1's configuration, reaching party 0 (or a service) at {@code peerPort}. */
  PartyRunner.Config client(int peerPort) {
    return config(
        1, "localhost", peerPort, null, clientModel, dealerPort != 0 ? dealerPort : dealer.port());
  }

  private PartyRunner.Config config(
      int id, String peerHost, int peerPort, Integer listen, String m, int toDealer) {
    return new PartyRunner.Config(
        id,
        peerHost,
        peerPort,
        listen,
        "localhost",
        toDealer,
        NetFixtures.certs(),
        m,
        id == 1 ? input : null,
        session,
        inferences,
        timeout,
        timeout,
        NetworkProfile.LOOPBACK,
        null,
        id == 1 ? expect : null,
        truncation,
        id == 0 ? relu0 : relu1,
        batch,
        offline);
  }

  /** Party 1 alone against party 0 (or a service) at {@code peerPort}; its output discarded. */
  PartyRunner.Report runClient(int peerPort) {
    return PartyRunner.run(client(peerPort), dealer.net(), quiet(), p -> {});
  }

  /**
   * Both parties. Party 1's failure is thrown, with party 0's (which must then fail too) added as
   * suppressed.
   */
  Outcome run() throws Exception {
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    ByteArrayOutputStream out0 = new ByteArrayOutputStream();
    CompletableFuture<PartyRunner.Report> p0 =
        CompletableFuture.supplyAsync(
            () ->
                PartyRunner.run(
                    owner(),
                    dealer.net(),
                    new PrintStream(out0, true, StandardCharsets.UTF_8),
                    listening::complete));
    int port;
    try {
      port = listening.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
    PartyRunner.Report r1;
    try {
      r1 = runClient(port);
    } catch (RuntimeException e) {
      ExecutionException owner =
          assertThrows(ExecutionException.class, () -> p0.get(60, TimeUnit.SECONDS));
      e.addSuppressed(owner.getCause());
      throw e;
    }
    return new Outcome(p0.get(60, TimeUnit.SECONDS), r1, out0.toString(StandardCharsets.UTF_8));
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }
}
