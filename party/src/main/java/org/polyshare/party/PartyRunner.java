package org.polyshare.party;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
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
import org.polyshare.core.protocol.Party;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxImporter;
import org.polyshare.models.secure.SecureModel;
import org.polyshare.models.zoo.Zoo;

/**
 * One party of a secure inference between two processes: loads the model, derives the correlation
 * plan from its shapes, joins the dealer session ({@link RemoteCorrelationSource}), opens the
 * mutually authenticated link to the other party, then runs the offline phase (all dealer
 * material and input-independent work) and the online phase (party-to-party only) per inference.
 */
public final class PartyRunner {
  private PartyRunner() {}

  /**
   * What to run. Exactly one of {@code peerHost}/{@code listenPort} reaches the other party
   * ({@code listenPort} 0 = ephemeral, announced through {@code onListening}).
   */
  public record Config(int id, String peerHost, int peerPort, Integer listenPort, String dealerHost, int dealerPort,
      Path certs, String model, Path input, String session, int inferences, Duration timeout,
      Duration connectDeadline, NetworkProfile net) {
    /** Unshaped links. */
    public Config(int id, String peerHost, int peerPort, Integer listenPort, String dealerHost,
        int dealerPort, Path certs, String model, Path input, String session, int inferences,
        Duration timeout, Duration connectDeadline) {
      this(id, peerHost, peerPort, listenPort, dealerHost, dealerPort, certs, model, input, session,
          inferences, timeout, connectDeadline, NetworkProfile.LOOPBACK);
    }

    public Config {
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
      if (session == null || session.isBlank()) {
        throw new IllegalArgumentException("--session must not be empty");
      }
    }
  }

  /** One inference's outcome at this party (logits only at party 1). */
  public record Inference(double[] logits, int prediction, double offlineMs, double onlineMs,
      LinkStats.Snapshot offlineTraffic, LinkStats.Snapshot onlineTraffic, long dealerBytes,
      List<SecureModel.LayerReport> layers) {}

  /** Everything this party measured. */
  public record Report(int party, String model, String session, String planHash, int planRequests,
      double setupMs, long dealerBytesReceived, List<Inference> inferences) {}

  /** The model by zoo name or ONNX file; party 1 gets the zoo architecture only (its weights are unused). */
  static Model loadModel(String nameOrFile, int partyId) {
    if (nameOrFile.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
      Path p = Path.of(nameOrFile);
      try {
        return OnnxImporter.read(p);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read ONNX model " + p + ": " + e.getMessage(), e);
      }
    }
    return partyId == 0 ? Zoo.load(nameOrFile) : Zoo.architecture(nameOrFile);
  }

  /** {@code inferences} inputs from a text file of numbers (whitespace/comma separated), or demo inputs. */
  static double[][] loadInputs(Path file, Model model, int inferences) {
    int n = model.inputSize();
    if (file == null) {
      return Zoo.sampleInputs(model, inferences, 42);
    }
    List<Double> values = new ArrayList<>();
    try {
      for (String tok : Files.readString(file).split("[\\s,;]+")) {
        if (!tok.isEmpty()) {
          values.add(Double.parseDouble(tok));
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read input file " + file + ": " + e.getMessage(), e);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("input file " + file + " must hold numbers: " + e.getMessage(), e);
    }
    if (values.size() != n && values.size() != n * inferences) {
      throw new IllegalArgumentException("input file " + file + " holds " + values.size() + " numbers; model '"
          + model.name() + "' needs " + n + " per inference (" + n * inferences + " for " + inferences + ")");
    }
    double[][] xs = new double[inferences][n];
    for (int k = 0; k < inferences; k++) {
      int base = values.size() == n ? 0 : k * n;
      for (int i = 0; i < n; i++) {
        xs[k][i] = values.get(base + i);
      }
    }
    return xs;
  }

  public static Report run(Config c, NetTransport net, PrintStream log, IntConsumer onListening) {
    Role me = Role.party(c.id());
    TlsIdentity identity = TlsIdentity.load(c.certs(), me);
    Model model = loadModel(c.model(), c.id());
    double[][] inputs = c.id() == 1 ? loadInputs(c.input(), model, c.inferences()) : null;
    SecureModel sm = SecureModel.compile(model, 1);
    CorrelationPlan plan = sm.plan(c.inferences());
    log.printf("party %d: model '%s', plan of %d correlation requests (%s)%n", c.id(), model.name(), plan.size(),
        plan.sha256Hex().substring(0, 16));
    LinkOptions options = LinkOptions.defaults().withTimeout(c.timeout());

    long t0 = System.nanoTime();
    try (RemoteCorrelationSource dealer = RemoteCorrelationSource.connect(net, c.dealerHost(), c.dealerPort(),
        identity, c.session(), plan, options, c.connectDeadline())) {
      log.printf("party %d: joined dealer session '%s' at %s:%d%n", c.id(), c.session(), c.dealerHost(), c.dealerPort());
      try (NettyLink peer = openPeer(c, net, identity, options, onListening, log)) {
        peer.handshake(Hello.of(me, c.session(), plan.sha256()));
        log.printf("party %d: authenticated %s (%s)%n", c.id(), peer.peerName(), peer.tlsDescription());
        // Network profile: this process shapes what it sends to its peer (the peer shapes the
        // other direction) and what it receives from the dealer.
        PartyLink link = ShapedLink.wrap(peer, c.net());
        ShapedCorrelationSource source =
            new ShapedCorrelationSource(dealer, () -> dealer.stats().bytesReceived(), c.net());
        Party party = new Party(c.id(), link, source, model.fixedPoint(), SecureModel.Options.defaults().truncation());
        SecureModel.Session session = sm.open(party);
        double setupMs = (System.nanoTime() - t0) / 1e6;
        List<Inference> out = new ArrayList<>();
        for (int k = 0; k < c.inferences(); k++) {
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
          out.add(new Inference(logits, pred, r.offlineNanos() / 1e6, r.onlineNanos() / 1e6, r.offlineTraffic(),
              r.onlineTraffic(), dealt, r.layers()));
          log.printf(Locale.ROOT, "party %d: inference %d: offline %.1f ms, online %.1f ms (%d rounds, %.2f MB)%s%n",
              c.id(), k, r.offlineNanos() / 1e6, r.onlineNanos() / 1e6, r.onlineTraffic().rounds(),
              (r.onlineTraffic().bytesSent() + r.onlineTraffic().bytesReceived()) / 1e6,
              logits == null ? "" : ", prediction: class " + pred);
        }
        if (link != peer) {
          link.close(); // lets the messages still on the emulated wire arrive, then closes the peer link
        }
        return new Report(c.id(), model.name(), c.session(), plan.sha256Hex(), plan.size(), setupMs,
            dealer.stats().bytesReceived(), out);
      }
    }
  }

  private static final int TAG_PHASE = 0x5048_4153;

  private static void phaseBarrier(PartyLink link) {
    link.send(TAG_PHASE, new long[] {0});
    link.receiveLongs(TAG_PHASE);
  }

  private static NettyLink openPeer(Config c, NetTransport net, TlsIdentity identity, LinkOptions options,
      IntConsumer onListening, PrintStream log) {
    Role other = Role.party(c.id()).otherParty();
    if (c.peerHost() != null) {
      return net.connect(c.peerHost(), c.peerPort(), identity, other, options, c.connectDeadline());
    }
    try (LinkServer server = net.listen(c.listenPort(), identity, Set.of(other), options)) {
      log.printf("party %d listening for party %d on port %d%n", c.id(), other.partyIndex(), server.port());
      log.flush();
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
    b.append("{\n  \"party\": ").append(r.party())
        .append(",\n  \"model\": \"").append(escape(r.model()))
        .append("\",\n  \"session\": \"").append(escape(r.session()))
        .append("\",\n  \"plan_sha256\": \"").append(r.planHash())
        .append("\",\n  \"plan_requests\": ").append(r.planRequests())
        .append(",\n  \"setup_ms\": ").append(num(r.setupMs()))
        .append(",\n  \"dealer_bytes_received\": ").append(r.dealerBytesReceived())
        .append(",\n  \"inferences\": [");
    for (int k = 0; k < r.inferences().size(); k++) {
      Inference i = r.inferences().get(k);
      b.append(k == 0 ? "\n" : ",\n").append("    {\"offline_ms\": ").append(num(i.offlineMs()))
          .append(", \"online_ms\": ").append(num(i.onlineMs()))
          .append(", \"offline_bytes\": ").append(i.offlineTraffic().bytesSent() + i.offlineTraffic().bytesReceived())
          .append(", \"online_bytes\": ").append(i.onlineTraffic().bytesSent() + i.onlineTraffic().bytesReceived())
          .append(", \"online_rounds\": ").append(i.onlineTraffic().rounds())
          .append(", \"offline_bytes_sent\": ").append(i.offlineTraffic().bytesSent())
          .append(", \"online_bytes_sent\": ").append(i.onlineTraffic().bytesSent())
          .append(", \"dealer_bytes\": ").append(i.dealerBytes())
          .append(", \"layers\": [");
      for (int j = 0; j < i.layers().size(); j++) {
        SecureModel.LayerReport l = i.layers().get(j);
        b.append(j == 0 ? "" : ", ").append("{\"layer\": \"").append(escape(l.layer()))
            .append("\", \"kind\": \"").append(escape(l.kind()))
            .append("\", \"online_ms\": ").append(num(l.onlineNanos() / 1e6))
            .append(", \"online_activation_ms\": ").append(num(l.onlineActivationNanos() / 1e6))
            .append(", \"online_bytes\": ").append(l.onlineBytes())
            .append(", \"online_rounds\": ").append(l.onlineRounds())
            .append(", \"online_activation_bytes\": ").append(l.onlineActivationBytes())
            .append(", \"online_activation_rounds\": ").append(l.onlineActivationRounds())
            .append(", \"offline_activation_ms\": ").append(num(l.offlineActivationNanos() / 1e6))
            .append(", \"online_linear_cpu_ms\": ").append(num(l.onlineLinearCpuNanos() / 1e6))
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
