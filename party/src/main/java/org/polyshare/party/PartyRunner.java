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
import org.polyshare.models.secure.LayerReport;
import org.polyshare.models.secure.OfflineSchedule;
import org.polyshare.models.secure.ReluMode;
import org.polyshare.models.secure.SecureModel;
import org.polyshare.models.secure.SecureOptions;
import org.polyshare.models.secure.SecureResult;
import org.polyshare.models.secure.SecureSession;
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
  public static SecureOptions options(TruncationMode mode) {
    return SecureOptions.defaults().withTruncation(mode);
  }

  /**
   * Secure-model options of the party path in {@code mode} with ReLU (and max-pool) by {@code
   * relu}: both parties must run the same; the plan hash refuses a mismatch.
   */
  public static SecureOptions options(TruncationMode mode, ReluMode relu) {
    return options(mode).withRelu(relu == null ? ReluMode.GC : relu);
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
      TruncationMode truncation,
      ReluMode relu,
      int batch,
      OfflineSchedule offline) {
    public Config {
      if (offline == null) {
        offline = OfflineSchedule.STREAMED;
      }
      if (inputOptions == null) {
        inputOptions = ClientInput.Options.defaults();
      }
      if (truncation == null) {
        truncation = TRUNCATION;
      }
      if (relu == null) {
        relu = ReluMode.GC;
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
      if (batch < 1) {
        throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
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

  /**
   * One inference's outcome at this party: the costs are the whole batch's; {@code batchLogits} and
   * {@code predictions} hold one entry per input of the batch (party 1 only: null and empty at
   * party 0).
   */
  public record Inference(
      double[][] batchLogits,
      int[] predictions,
      double offlineMs,
      double onlineMs,
      LinkStats.Snapshot offlineTraffic,
      LinkStats.Snapshot onlineTraffic,
      long dealerBytes,
      List<LayerReport> layers,
      long startedAtMillis,
      long finishedAtMillis) {
    /** The first (at batch 1 the only) input's logits; null at party 0. */
    public double[] logits() {
      return batchLogits == null ? null : batchLogits[0];
    }

    /** The first (at batch 1 the only) input's predicted class; -1 at party 0. */
    public int prediction() {
      return predictions.length == 0 ? -1 : predictions[0];
    }
  }

  /**
   * Everything this party measured. {@code compiled} is the model this party ran: at party 1 the
   * weightless model of the architecture party 0 sent; {@code batch} inputs per inference, each
   * offline phase run by {@code offline}. {@code memory}: the process's peak heap and resident set
   * and the session's material store, at the session's end.
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
      int batch,
      OfflineSchedule offline,
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
    LiveHeapPeak.start();
    try (SessionMdc ignored = SessionMdc.of(c.session())) {
      return c.id() == 0 ? runOwner(c, net, out, onListening) : runClient(c, net, out, onListening);
    }
  }

  private static Report runOwner(
      Config c, NetTransport net, PrintStream out, IntConsumer onListening) {
    TlsIdentity identity = TlsIdentity.load(c.certs(), Role.PARTY0);
    Model model = loadModel(c.model(), 0);
    Architecture arch = Architecture.of(model);
    SecureModel sm = SecureModel.compile(model, c.batch(), options(c.truncation(), c.relu()));
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
              b -> b == c.batch() ? sm : null,
              n -> n == c.inferences(),
              "party 0 runs " + c.inferences() + " (use the same --inferences)",
              "party 0 runs batches of " + c.batch() + " (use the same --batch)",
              c.session());
      return joinDealerAndRun(
          c, net, identity, options, o.dealer(), model, sm, plan, peer, null, out, t0);
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
              peer,
              c.inferences(),
              c.batch(),
              pin,
              options(c.truncation(), c.relu()),
              a -> inputs[0] = inputsOf(c, a));
      Model model = j.secure().model();
      LOG.info(
          "party 1: architecture of '{}' from party 0 (sha256 {}), plan of {} correlation requests ({})",
          model.name(),
          j.architecture().sha256Hex(),
          j.plan().size(),
          j.plan().sha256Hex().substring(0, 16));
      return joinDealerAndRun(
          c,
          net,
          identity,
          options,
          j.dealer(),
          model,
          j.secure(),
          j.plan(),
          peer,
          inputs[0],
          out,
          t0);
    }
  }

  /**
   * Joins the dealer session party 0 named in the session start and runs the session's phases over
   * {@code peer}.
   */
  private static Report joinDealerAndRun(
      Config c,
      NetTransport net,
      TlsIdentity identity,
      LinkOptions options,
      SessionStart.Dealer ticket,
      Model model,
      SecureModel sm,
      CorrelationPlan plan,
      NettyLink peer,
      double[][] inputs,
      PrintStream out,
      long t0) {
    try (RemoteCorrelationSource dealer =
        RemoteCorrelationSource.connect(
            net,
            c.dealerHost(),
            c.dealerPort(),
            identity,
            ticket.sessionId(),
            ticket.secret(),
            plan,
            options,
            c.connectDeadline())) {
      MDC.put(LogSetup.SESSION, ticket.sessionId());
      LOG.info(
          "party {}: joined dealer session '{}' at {}:{}",
          c.id(),
          ticket.sessionId(),
          c.dealerHost(),
          c.dealerPort());
      return runSession(
          c.id(),
          model,
          sm,
          plan,
          peer,
          dealer,
          inputs,
          c.inferences(),
          c.net(),
          c.offline(),
          ticket.sessionId(),
          out,
          t0);
    }
  }

  /**
   * Party 1's inputs: from {@code --input} in any {@link ClientInput} form, each checked against
   * the architecture's calibrated {@link org.polyshare.models.arch.InputRange} (refused locally
   * outside it), or demo inputs clamped into it.
   */
  private static double[][] inputsOf(Config c, Architecture arch) {
    Model model = arch.model();
    int count = Math.multiplyExact(c.inferences(), c.batch()); // inference k: inputs kB .. kB+B-1
    if (c.input() == null) {
      double[][] xs = Zoo.sampleInputs(model, count, 42);
      for (double[] x : xs) {
        arch.inputRange().clamp(x);
      }
      return xs;
    }
    double[][] xs = ClientInput.load(c.input(), model, count, c.inputOptions());
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
      OfflineSchedule schedule,
      String sessionId,
      PrintStream results,
      long t0) {
    // Garbled tables and labels wait in files between the phases, removed when used and, with
    // whatever is left after a failure, when the session ends.
    try (MaterialStore store = MaterialStore.temporary()) {
      // Network profile: this process shapes what it sends to its peer (the peer shapes the
      // other direction) and what it receives from the dealer.
      PartyLink link = ShapedLink.wrap(peer, net);
      ShapedCorrelationSource source =
          new ShapedCorrelationSource(dealer, () -> dealer.stats().bytesReceived(), net);
      Party party =
          new Party(id, link, source, model.fixedPoint(), sm.options().truncation())
              .withMaterialStore(store);
      int batch = sm.batch();
      // Streamed by default: one layer's dealer material and offline work at a time (ResNet-18's
      // FSS keys of a whole inference would be ≈ 1.3 GB per party); the dealer link's bounded
      // mailbox holds back what the dealer streams ahead.
      SecureSession session = sm.open(party).schedule(schedule);
      double setupMs = (System.nanoTime() - t0) / 1e6;
      List<Inference> out = new ArrayList<>();
      for (int k = 0; k < inferences; k++) {
        long startedAt = System.currentTimeMillis();
        long dealt = dealer.stats().bytesReceived();
        source.beginBatch();
        session.offline();
        // Both finish the offline phase before either starts the online one, so that the
        // online clock does not include waiting for the other party's offline work (ahead; a
        // streamed offline phase runs inside the online one).
        phaseBarrier(link);
        SecureResult r = session.online(inputs == null ? null : batchOf(inputs, k, batch));
        dealt = dealer.stats().bytesReceived() - dealt; // streamed, the dealer serves during online
        double[][] logits = r.logits();
        int[] preds = new int[logits == null ? 0 : logits.length];
        for (int j = 0; j < preds.length; j++) {
          preds[j] = argmax(logits[j]);
        }
        out.add(
            new Inference(
                logits,
                preds,
                r.offlineNanos() / 1e6,
                r.onlineNanos() / 1e6,
                r.offlineTraffic(),
                r.onlineTraffic(),
                dealt,
                r.layers(),
                startedAt,
                System.currentTimeMillis()));
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
          results.println(line + predictionText(preds));
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
          batch,
          schedule,
          MemoryUsage.of(store, peer.peakQueuedBytes(), dealer.link().peakQueuedBytes()));
    }
  }

  /** Inference {@code k}'s inputs: {@code kB .. kB+B-1}. */
  private static double[][] batchOf(double[][] inputs, int k, int batch) {
    return java.util.Arrays.copyOfRange(inputs, k * batch, (k + 1) * batch);
  }

  private static String predictionText(int[] preds) {
    if (preds.length == 0) {
      return "";
    }
    if (preds.length == 1) {
      return ", prediction: class " + preds[0];
    }
    return ", predictions: classes " + java.util.Arrays.toString(preds);
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
    return org.polyshare.models.eval.PlainEvaluator.argmax(v);
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
        .append(",\n  \"batch\": ")
        .append(r.batch())
        .append(",\n  \"offline\": \"")
        .append(r.offline().name().toLowerCase(Locale.ROOT))
        .append('"')
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
          .append(", \"started_at_ms\": ")
          .append(i.startedAtMillis())
          .append(", \"finished_at_ms\": ")
          .append(i.finishedAtMillis())
          .append(", \"layers\": [");
      for (int j = 0; j < i.layers().size(); j++) {
        LayerReport l = i.layers().get(j);
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
      if (i.batchLogits() != null && r.batch() == 1) {
        b.append(", \"prediction\": ").append(i.prediction()).append(", \"logits\": ");
        logits(b, i.logits());
      } else if (i.batchLogits() != null) {
        b.append(", \"results\": [");
        for (int j = 0; j < i.batchLogits().length; j++) {
          b.append(j == 0 ? "" : ", ")
              .append("{\"input\": ")
              .append(k * r.batch() + j)
              .append(", \"prediction\": ")
              .append(i.predictions()[j])
              .append(", \"logits\": ");
          logits(b, i.batchLogits()[j]);
          b.append("}");
        }
        b.append("]");
      }
      b.append("}");
    }
    return b.append("\n  ]\n}\n").toString();
  }

  /** Logits in full (shortest round-trip) precision: a reader gets the exact decoded values. */
  private static void logits(StringBuilder b, double[] v) {
    b.append("[");
    for (int j = 0; j < v.length; j++) {
      b.append(j == 0 ? "" : ", ").append(Double.isFinite(v[j]) ? Double.toString(v[j]) : "null");
    }
    b.append("]");
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
