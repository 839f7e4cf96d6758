package org.polyshare.party;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntConsumer;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.ShapedCorrelationSource;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.ShapedLink;
import org.polyshare.core.net.Hello;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.LinkServer;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.NettyLink;
import org.polyshare.core.net.RemoteCorrelationSource;
import org.polyshare.core.net.Role;
import org.polyshare.core.net.TlsIdentity;
import org.polyshare.core.ops.LogSetup;
import org.polyshare.core.ops.SessionMdc;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.core.store.MaterialStore;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxImporter;
import org.polyshare.models.secure.SecureModel;
import org.polyshare.models.zoo.Zoo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One party of a secure inference between two processes. Party 0 loads the model; party 1 holds no
 * model file: it receives the architecture from party 0 over their mutually authenticated link
 * ({@link SessionStart}) and compiles its plan from it. Both join the dealer session ({@link
 * RemoteCorrelationSource}) with the secret party 0 drew, then run the offline phase (all dealer
 * material and input-independent work) and the online phase (party-to-party only) per inference.
 */
public final class PartyRunner {
  private PartyRunner() {}

  private static final Logger LOG = LoggerFactory.getLogger(PartyRunner.class);

  /**
   * The truncation where privacy is the point — two processes, a real client: exact, so what party
   * 1 receives is a function of the weights and its input alone (a dealer truncation's dropped
   * borrow would randomise the logits with the secret low bits). {@code --truncation dealer} or
   * {@code local} trade that for fewer dealer bytes; both parties must run the same.
   */
  public static final TruncationMode TRUNCATION = TruncationMode.EXACT;

  /** Secure-model options of the party path in {@code mode}. */
  public static SecureModel.Options options(TruncationMode mode) {
    return SecureModel.Options.defaults().withTruncation(mode);
  }

  /**
   * What to run. Exactly one of {@code peerHost}/{@code listenPort} reaches the other party ({@code
   * listenPort} 0 = ephemeral, announced through {@code onListening}). {@code model}: at party 0 a
   * zoo name or ONNX file (the weights); at party 1 null (party 0 sends the architecture), an
   * architecture-only file or a zoo name, either only pinning what party 1 accepts, as {@code
   * expectArchitecture} (a SHA-256 in hex, or null) does. {@code session}: null gives party 0 a
   * random id and party 1 whatever party 0 names.
   */
  public record Config(
      int id,
      String peerHost,
      int peerPort,
      Integer listenPort,
      String dealerHost,
      int dealerPort,
      Path certs,
      String model,
      Path input,
      String session,
      int inferences,
      Duration timeout,
      Duration connectDeadline,
      NetworkProfile net,
      ClientInput.Options inputOptions,
      String expectArchitecture,
      TruncationMode truncation) {
    /** The party path's truncation: {@link #TRUNCATION}. */
    public Config(
        int id,
        String peerHost,
        int peerPort,
        Integer listenPort,
        String dealerHost,
        int dealerPort,
        Path certs,
        String model,
        Path input,
        String session,
        int inferences,
        Duration timeout,
        Duration connectDeadline,
        NetworkProfile net,
        ClientInput.Options inputOptions,
        String expectArchitecture) {
      this(
          id,
          peerHost,
          peerPort,
          listenPort,
          dealerHost,
          dealerPort,
          certs,
          model,
          input,
          session,
          inferences,
          timeout,
          connectDeadline,
          net,
          inputOptions,
          expectArchitecture,
          TRUNCATION);
    }

    /** No architecture pin beyond {@code model}. */
    public Config(
        int id,
        String peerHost,
        int peerPort,
        Integer listenPort,
        String dealerHost,
        int dealerPort,
        Path certs,
        String model,
        Path input,
        String session,
        int inferences,
        Duration timeout,
        Duration connectDeadline,
        NetworkProfile net,
        ClientInput.Options inputOptions) {
      this(
          id,
          peerHost,
          peerPort,
          listenPort,
          dealerHost,
          dealerPort,
          certs,
          model,
          input,
          session,
          inferences,
          timeout,
          connectDeadline,
          net,
          inputOptions,
          null);
    }

    /** Default reading of {@code input}. */
    public Config(
        int id,
        String peerHost,
        int peerPort,
        Integer listenPort,
        String dealerHost,
        int dealerPort,
        Path certs,
        String model,
        Path input,
        String session,
        int inferences,
        Duration timeout,
        Duration connectDeadline,
        NetworkProfile net) {
      this(
          id,
          peerHost,
          peerPort,
          listenPort,
          dealerHost,
          dealerPort,
          certs,
          model,
          input,
          session,
          inferences,
          timeout,
          connectDeadline,
          net,
          ClientInput.Options.defaults());
    }

    /** Unshaped links. */
    public Config(
        int id,
        String peerHost,
        int peerPort,
        Integer listenPort,
        String dealerHost,
        int dealerPort,
        Path certs,
        String model,
        Path input,
        String session,
        int inferences,
        Duration timeout,
        Duration connectDeadline) {
      this(
          id,
          peerHost,
          peerPort,
          listenPort,
          dealerHost,
          dealerPort,
          certs,
          model,
          input,
          session,
          inferences,
          timeout,
          connectDeadline,
          NetworkProfile.LOOPBACK);
    }

    public Config {
      if (inputOptions == null) {
        inputOptions = ClientInput.Options.defaults();
      }
      if (truncation == null) {
        truncation = TRUNCATION;
      }
      if (net == null) {
        throw new IllegalArgumentException("a network profile is required (loopback for none)");
      }
      Role.party(id);
      if ((peerHost == null) == (listenPort == null)) {
        throw new IllegalArgumentException("give exactly one of --peer HOST:PORT or --listen PORT");
      }
      if (inferences < 1) {
        throw new IllegalArgumentException("--inferences must be >= 1");
      }
      if (id == 0 && model == null) {
        throw new IllegalArgumentException(
            "party 0 needs --model (a zoo name or FILE.onnx with its weights)");
      }
      if (id == 0 && expectArchitecture != null) {
        throw new IllegalArgumentException(
            "--expect-architecture is party 1's pin; party 0 prints its hash");
      }
      if (session == null) {
        session = id == 0 ? SessionStart.randomSessionId() : "";
      } else if (session.isBlank() && id == 0) {
        throw new IllegalArgumentException("--session must not be empty");
      }
    }
  }

  /** One inference's outcome at this party (logits only at party 1). */
  public record Inference(
      double[] logits,
      int prediction,
      double offlineMs,
      double onlineMs,
      LinkStats.Snapshot offlineTraffic,
      LinkStats.Snapshot onlineTraffic,
      long dealerBytes,
      List<SecureModel.LayerReport> layers) {}

  /**
   * Everything this party measured. {@code compiled} is the model this party ran: at party 1 the
   * weightless model of the architecture party 0 sent. {@code memory}: the process's peak heap and
   * resident set and the session's material store, at the session's end.
   */
  public record Report(
      int party,
      String model,
      String session,
      String planHash,
      int planRequests,
      double setupMs,
      long dealerBytesReceived,
      List<Inference> inferences,
      Model compiled,
      MemoryUsage memory) {}

  /** Party 0's model by zoo name or ONNX file (with its weights). */
  static Model loadModel(String nameOrFile, int partyId) {
    if (partyId != 0) {
      throw new IllegalArgumentException(
          "only party 0 loads a model with weights; party 1 receives the"
              + " architecture from party 0");
    }
    if (nameOrFile.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
      Path p = Path.of(nameOrFile);
      try {
        return OnnxImporter.read(p);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read ONNX model " + p + ": " + e.getMessage(), e);
      }
    }
    return Zoo.load(nameOrFile);
  }

  /**
   * Runs the session of {@code c}. {@code out} gets the command's output (party 0's architecture
   * hash, one result line per inference with party 1's predicted class); diagnostics go to the log.
   */
  public static Report run(Config c, NetTransport net, PrintStream out, IntConsumer onListening) {
    try (SessionMdc ignored = SessionMdc.of(c.session())) {
      return c.id() == 0 ? runOwner(c, net, out, onListening) : runClient(c, net, out, onListening);
    }
  }

  private static Report runOwner(
      Config c, NetTransport net, PrintStream out, IntConsumer onListening) {
    TlsIdentity identity = TlsIdentity.load(c.certs(), Role.PARTY0);
    Model model = loadModel(c.model(), 0);
    Architecture arch = Architecture.of(model);
    SecureModel sm = SecureModel.compile(model, 1, options(c.truncation()));
    CorrelationPlan plan = sm.plan(c.inferences());
    LOG.info(
        "party 0: model '{}', plan of {} correlation requests ({})",
        model.name(),
        plan.size(),
        plan.sha256Hex().substring(0, 16));
    out.printf(
        "party 0: architecture sha256 %s (party 1 may pin it: --expect-architecture %s)%n",
        arch.sha256Hex(), arch.sha256Hex());
    out.flush();
    LinkOptions options = LinkOptions.defaults().withTimeout(c.timeout());
    long t0 = System.nanoTime();
    try (NettyLink peer = openPeer(c, net, identity, options, onListening)) {
      peer.handshake(Hello.of(Role.PARTY0, c.session(), plan.sha256()));
      LOG.info("party 0: authenticated {} ({})", peer.peerName(), peer.tlsDescription());
      SessionStart.Offered o =
          SessionStart.offer(
              peer,
              arch,
              sm,
              n -> n == c.inferences(),
              "party 0 runs " + c.inferences() + " (use the same --inferences)",
              c.session());
      try (RemoteCorrelationSource dealer =
          RemoteCorrelationSource.connect(
              net,
              c.dealerHost(),
              c.dealerPort(),
              identity,
              o.dealer().sessionId(),
              o.dealer().secret(),
              plan,
              options,
              c.connectDeadline())) {
        MDC.put(LogSetup.SESSION, o.dealer().sessionId());
        LOG.info(
            "party 0: joined dealer session '{}' at {}:{}",
            o.dealer().sessionId(),
            c.dealerHost(),
            c.dealerPort());
        return runSession(
            0,
            model,
            sm,
            plan,
            peer,
            dealer,
            null,
            c.inferences(),
            c.net(),
            o.dealer().sessionId(),
            out,
            t0);
      }
    }
  }

  private static Report runClient(
      Config c, NetTransport net, PrintStream out, IntConsumer onListening) {
    TlsIdentity identity = TlsIdentity.load(c.certs(), Role.PARTY1);
    ArchitecturePin pin = ArchitecturePin.of(c.model(), c.expectArchitecture());
    if (pin.local() != null) {
      inputsOf(c, pin.local()); // a bad input file fails before any connection
    }
    LinkOptions options = LinkOptions.defaults().withTimeout(c.timeout());
    long t0 = System.nanoTime();
    try (NettyLink peer = openPeer(c, net, identity, options, onListening)) {
      peer.handshake(Hello.of(Role.PARTY1, c.session(), null));
      LOG.info("party 1: authenticated {} ({})", peer.peerName(), peer.tlsDescription());
      double[][][] inputs = new double[1][][];
      SessionStart.Joined j =
          SessionStart.join(
              peer, c.inferences(), pin, options(c.truncation()), a -> inputs[0] = inputsOf(c, a));
      Model model = j.secure().model();
      LOG.info(
          "party 1: architecture of '{}' from party 0 (sha256 {}), plan of {} correlation requests ({})",
          model.name(),
          j.architecture().sha256Hex(),
          j.plan().size(),
          j.plan().sha256Hex().substring(0, 16));
      try (RemoteCorrelationSource dealer =
          RemoteCorrelationSource.connect(
              net,
              c.dealerHost(),
              c.dealerPort(),
              identity,
              j.dealer().sessionId(),
              j.dealer().secret(),
              j.plan(),
              options,
              c.connectDeadline())) {
        MDC.put(LogSetup.SESSION, j.dealer().sessionId());
        LOG.info(
            "party 1: joined dealer session '{}' at {}:{}",
            j.dealer().sessionId(),
            c.dealerHost(),
            c.dealerPort());
        return runSession(
            1,
            model,
            j.secure(),
            j.plan(),
            peer,
            dealer,
            inputs[0],
            c.inferences(),
            c.net(),
            j.dealer().sessionId(),
            out,
            t0);
      }
    }
  }

  /**
   * Party 1's inputs: from {@code --input} in any {@link ClientInput} form, each checked against
   * the architecture's calibrated {@link org.polyshare.models.arch.InputRange} (refused locally
   * outside it), or demo inputs clamped into it.
   */
  private static double[][] inputsOf(Config c, Architecture arch) {
    Model model = arch.model();
    if (c.input() == null) {
      double[][] xs = Zoo.sampleInputs(model, c.inferences(), 42);
      for (double[] x : xs) {
        arch.inputRange().clamp(x);
      }
      return xs;
    }
    double[][] xs = ClientInput.load(c.input(), model, c.inferences(), c.inputOptions());
    for (int k = 0; k < xs.length; k++) {
      arch.inputRange().check(xs[k], k);
    }
    return xs;
  }

  /**
   * Offline and online phases of {@code inferences} inferences over an authenticated party link and
   * dealer session; each inference's result line goes to {@code results} if not null, else to the
   * log at DEBUG (without the prediction, which is party 1's output).
   */
  static Report runSession(
      int id,
      Model model,
      SecureModel sm,
      CorrelationPlan plan,
      NettyLink peer,
      RemoteCorrelationSource dealer,
      double[][] inputs,
      int inferences,
      NetworkProfile net,
      String sessionId,
      PrintStream results,
      long t0) {
    // Garbled tables and labels wait in files between the phases, removed when used and, with
    // whatever is left after a failure, when the session ends.
    try (MaterialStore store = MaterialStore.temporary()) {
      return runSession(
          store,
          id,
          model,
          sm,
          plan,
          peer,
          dealer,
          inputs,
          inferences,
          net,
          sessionId,
          results,
          t0);
    }
  }

  private static Report runSession(
      MaterialStore store,
      int id,
      Model model,
      SecureModel sm,
      CorrelationPlan plan,
      NettyLink peer,
      RemoteCorrelationSource dealer,
      double[][] inputs,
      int inferences,
      NetworkProfile net,
      String sessionId,
      PrintStream results,
      long t0) {
    // Network profile: this process shapes what it sends to its peer (the peer shapes the
    // other direction) and what it receives from the dealer.
    PartyLink link = ShapedLink.wrap(peer, net);
    ShapedCorrelationSource source =
        new ShapedCorrelationSource(dealer, () -> dealer.stats().bytesReceived(), net);
    Party party =
        new Party(id, link, source, model.fixedPoint(), sm.options().truncation())
            .withMaterialStore(store);
    SecureModel.Session session = sm.open(party);
    double setupMs = (System.nanoTime() - t0) / 1e6;
    List<Inference> out = new ArrayList<>();
    for (int k = 0; k < inferences; k++) {
      long dealt = dealer.stats().bytesReceived();
      source.beginBatch();
      session.offline();
      dealt = dealer.stats().bytesReceived() - dealt;
      // Both finish the offline phase before either starts the online one, so that the
      // online clock does not include waiting for the other party's offline work.
      phaseBarrier(link);
      SecureModel.Result r = session.online(inputs == null ? null : new double[][] {inputs[k]});
      double[] logits = r.logits() == null ? null : r.logits()[0];
      int pred = logits == null ? -1 : argmax(logits);
      out.add(
          new Inference(
              logits,
              pred,
              r.offlineNanos() / 1e6,
              r.onlineNanos() / 1e6,
              r.offlineTraffic(),
              r.onlineTraffic(),
              dealt,
              r.layers()));
      String line =
          String.format(
              Locale.ROOT,
              "party %d: inference %d: offline %.1f ms, online %.1f ms (%d rounds," + " %.2f MB)",
              id,
              k,
              r.offlineNanos() / 1e6,
              r.onlineNanos() / 1e6,
              r.onlineTraffic().rounds(),
              (r.onlineTraffic().bytesSent() + r.onlineTraffic().bytesReceived()) / 1e6);
      if (results != null) {
        results.println(line + (logits == null ? "" : ", prediction: class " + pred));
        results.flush();
      } else {
        LOG.debug(line);
      }
    }
    if (link != peer) {
      link.close(); // lets the messages still on the emulated wire arrive, then closes the peer
      // link
    }
    return new Report(
        id,
        model.name(),
        sessionId,
        plan.sha256Hex(),
        plan.size(),
        setupMs,
        dealer.stats().bytesReceived(),
        out,
        sm.model(),
        MemoryUsage.of(store));
  }

  private static final int TAG_PHASE = 0x5048_4153;

  private static void phaseBarrier(PartyLink link) {
    link.send(TAG_PHASE, new long[] {0});
    link.receiveLongs(TAG_PHASE);
  }

  private static NettyLink openPeer(
      Config c,
      NetTransport net,
      TlsIdentity identity,
      LinkOptions options,
      IntConsumer onListening) {
    Role other = Role.party(c.id()).otherParty();
    if (c.peerHost() != null) {
      return net.connect(c.peerHost(), c.peerPort(), identity, other, options, c.connectDeadline());
    }
    try (LinkServer server = net.listen(c.listenPort(), identity, Set.of(other), options)) {
      LOG.info(
          "party {} listening for party {} on port {}", c.id(), other.partyIndex(), server.port());
      onListening.accept(server.port());
      return server.accept(c.connectDeadline());
    }
  }

  static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The report as JSON (no secrets: party 0's report has no logits). */
  static String toJson(Report r) {
    StringBuilder b = new StringBuilder();
    b.append("{\n  \"party\": ")
        .append(r.party())
        .append(",\n  \"model\": \"")
        .append(escape(r.model()))
        .append("\",\n  \"session\": \"")
        .append(escape(r.session()))
        .append("\",\n  \"plan_sha256\": \"")
        .append(r.planHash())
        .append("\",\n  \"plan_requests\": ")
        .append(r.planRequests())
        .append(",\n  \"setup_ms\": ")
        .append(num(r.setupMs()))
        .append(",\n  \"dealer_bytes_received\": ")
        .append(r.dealerBytesReceived())
        .append(",\n  \"memory\": ")
        .append(r.memory().json())
        .append(",\n  \"inferences\": [");
    for (int k = 0; k < r.inferences().size(); k++) {
      Inference i = r.inferences().get(k);
      b.append(k == 0 ? "\n" : ",\n")
          .append("    {\"offline_ms\": ")
          .append(num(i.offlineMs()))
          .append(", \"online_ms\": ")
          .append(num(i.onlineMs()))
          .append(", \"offline_bytes\": ")
          .append(i.offlineTraffic().bytesSent() + i.offlineTraffic().bytesReceived())
          .append(", \"online_bytes\": ")
          .append(i.onlineTraffic().bytesSent() + i.onlineTraffic().bytesReceived())
          .append(", \"online_rounds\": ")
          .append(i.onlineTraffic().rounds())
          .append(", \"offline_bytes_sent\": ")
          .append(i.offlineTraffic().bytesSent())
          .append(", \"online_bytes_sent\": ")
          .append(i.onlineTraffic().bytesSent())
          .append(", \"dealer_bytes\": ")
          .append(i.dealerBytes())
          .append(", \"layers\": [");
      for (int j = 0; j < i.layers().size(); j++) {
        SecureModel.LayerReport l = i.layers().get(j);
        b.append(j == 0 ? "" : ", ")
            .append("{\"layer\": \"")
            .append(escape(l.layer()))
            .append("\", \"kind\": \"")
            .append(escape(l.kind()))
            .append("\", \"online_ms\": ")
            .append(num(l.onlineNanos() / 1e6))
            .append(", \"online_activation_ms\": ")
            .append(num(l.onlineActivationNanos() / 1e6))
            .append(", \"online_bytes\": ")
            .append(l.onlineBytes())
            .append(", \"online_rounds\": ")
            .append(l.onlineRounds())
            .append(", \"online_activation_bytes\": ")
            .append(l.onlineActivationBytes())
            .append(", \"online_activation_rounds\": ")
            .append(l.onlineActivationRounds())
            .append(", \"offline_activation_ms\": ")
            .append(num(l.offlineActivationNanos() / 1e6))
            .append(", \"online_linear_cpu_ms\": ")
            .append(num(l.onlineLinearCpuNanos() / 1e6))
            .append("}");
      }
      b.append("]");
      if (i.logits() != null) {
        b.append(", \"prediction\": ").append(i.prediction()).append(", \"logits\": [");
        for (int j = 0; j < i.logits().length; j++) {
          b.append(j == 0 ? "" : ", ").append(num(i.logits()[j]));
        }
        b.append("]");
      }
      b.append("}");
    }
    return b.append("\n  ]\n}\n").toString();
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
