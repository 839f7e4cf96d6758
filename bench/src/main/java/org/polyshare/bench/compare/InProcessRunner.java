package org.polyshare.bench.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.correlation.ShapedCorrelationSource;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.ShapedLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.Party;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.SecureModel;

/**
 * Runs one variant in one JVM: party 0 and party 1 on two threads over an in-memory link wrapped
 * in {@link ShapedLink} at both ends (so both directions are shaped), each drawing from one
 * in-process dealer through a {@link ShapedCorrelationSource} (the dealer links shaped the same way).
 * One session: setup once, then for each repetition an offline and an online phase, the parties
 * meeting at a barrier between phases so that each phase is timed on its own.
 */
final class InProcessRunner {
  /** One run's measurements and party 1's logits per repetition (warm-ups dropped). */
  record Run(List<Measurement> reps, List<double[][]> logits) {}

  private final NetworkProfile net;
  private final Duration timeout;

  InProcessRunner(NetworkProfile net, Duration timeout) {
    this.net = net;
    this.timeout = timeout;
  }

  Run run(Model owner, Model clientView, List<double[][]> inputs, int warmup, Progress progress,
      String label) {
    int batch = inputs.get(0).length;
    int total = inputs.size();
    SecureModel sm0 = SecureModel.compile(owner, batch);
    SecureModel sm1 = SecureModel.compile(clientView, batch);
    InProcessDealer dealer = new InProcessDealer();
    CyclicBarrier barrier = new CyclicBarrier(2);
    PartyTrace[] trace = {new PartyTrace(total), new PartyTrace(total)};
    progress.begin(label + ": setup (opening masked weights)");
    TwoParties.run(timeout,
        link -> party(0, link, sm0, dealer, barrier, null, trace[0], progress, label, warmup),
        link -> party(1, link, sm1, dealer, barrier, inputs, trace[1], progress, label, warmup));
    List<Measurement> reps = new ArrayList<>();
    List<double[][]> logits = new ArrayList<>();
    for (int k = warmup; k < total; k++) {
      reps.add(measurement(trace, k));
      logits.add(trace[1].results[k].logits());
    }
    return new Run(reps, logits);
  }

  /** What one party saw. */
  private static final class PartyTrace {
    long setupNanos;
    long setupBytes;
    final SecureModel.Result[] results;
    final long[] dealerBytes;

    PartyTrace(int n) {
      results = new SecureModel.Result[n];
      dealerBytes = new long[n];
    }
  }

  private Void party(int id, PartyLink raw, SecureModel sm, InProcessDealer dealer,
      CyclicBarrier barrier, List<double[][]> inputs, PartyTrace t, Progress progress,
      String label, int warmup) {
    PartyLink link = ShapedLink.wrap(raw, net);
    ShapedCorrelationSource source = new ShapedCorrelationSource(dealer.source(id),
        () -> dealer.trafficTo(id).bytes(), net);
    Party party = new Party(id, link, source, sm.model().fixedPoint());
    try {
      await(barrier);
      long t0 = System.nanoTime();
      LinkStats.Snapshot s0 = link.stats().snapshot();
      SecureModel.Session session = sm.open(party);
      t.setupNanos = System.nanoTime() - t0;
      LinkStats.Snapshot d = link.stats().snapshot().minus(s0);
      t.setupBytes = d.bytesSent() + d.bytesReceived();
      await(barrier);
      if (id == 1) {
        progress.step();
      }
      for (int k = 0; k < t.results.length; k++) {
        String rep = k < warmup ? "warm-up " + (k + 1) + "/" + warmup
            : "rep " + (k - warmup + 1) + "/" + (t.results.length - warmup);
        if (id == 1) {
          progress.begin(label + ": " + rep + " offline");
        }
        await(barrier);
        long dealt = dealer.trafficTo(id).bytes();
        source.beginBatch();
        session.offline();
        t.dealerBytes[k] = dealer.trafficTo(id).bytes() - dealt;
        await(barrier);
        if (id == 1) {
          progress.step();
          progress.begin(label + ": " + rep + " online");
        }
        t.results[k] = session.online(id == 1 ? inputs.get(k) : null);
        await(barrier);
        if (id == 1) {
          progress.step();
        }
      }
      return null;
    } finally {
      // Both are done (the last barrier): let in-flight messages land, then stop the wire.
      link.close();
    }
  }

  private void await(CyclicBarrier b) {
    try {
      b.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the other party", e);
    } catch (BrokenBarrierException | TimeoutException e) {
      throw new IllegalStateException("the other party failed or took longer than " + timeout
          + " to reach the next phase", e);
    }
  }

  /**
   * The activation part of a layer's online time on the client's clock: all of it for a ReLU
   * layer; for a conv/linear layer with an activation, the layer time minus the ring product,
   * timed as the computing party's CPU time (with owner-held weights party 0 computes while the
   * client is already waiting inside the activation); nothing for other layers.
   */
  static double activationShare(double layerMs, boolean hasActivation, boolean wholeLayer, double linearCpuMs) {
    if (wholeLayer) {
      return layerMs;
    }
    if (!hasActivation) {
      return 0;
    }
    return Math.max(0, layerMs - Math.min(layerMs, linearCpuMs));
  }

  private static Measurement measurement(PartyTrace[] t, int k) {
    SecureModel.Result r0 = t[0].results[k];
    SecureModel.Result r1 = t[1].results[k];
    List<Measurement.LayerRow> layers = new ArrayList<>();
    double lin = 0;
    double act = 0;
    double offAct = 0;
    long actBytes = 0;
    long actRounds = 0;
    SecureModel.Result slowerOffline = r0.offlineNanos() >= r1.offlineNanos() ? r0 : r1;
    for (int i = 0; i < r1.layers().size(); i++) {
      SecureModel.LayerReport a = r0.layers().get(i);
      SecureModel.LayerReport b = r1.layers().get(i);
      double on = b.onlineNanos() / 1e6;
      double onAct = activationShare(on, b.onlineActivationNanos() > 0 || a.onlineActivationNanos() > 0,
          b.kind().equals("Relu"),
          Math.max(a.onlineLinearCpuNanos(), b.onlineLinearCpuNanos()) / 1e6);
      double offA = slowerOffline.layers().get(i).offlineActivationNanos() / 1e6;
      long rounds = Math.max(a.onlineRounds(), b.onlineRounds());
      layers.add(new Measurement.LayerRow(b.layer(), b.kind(), on, onAct, b.onlineBytes(), rounds, offA));
      lin += on - onAct;
      act += onAct;
      offAct += offA;
      actBytes += b.onlineActivationBytes();
      actRounds += Math.max(a.onlineActivationRounds(), b.onlineActivationRounds());
    }
    return new Measurement(
        Math.max(t[0].setupNanos, t[1].setupNanos) / 1e6,
        Math.max(r0.offlineNanos(), r1.offlineNanos()) / 1e6,
        r1.onlineNanos() / 1e6,
        lin, act, offAct,
        r0.onlineTraffic().bytesSent(), r1.onlineTraffic().bytesSent(),
        r0.offlineTraffic().bytesSent(), r1.offlineTraffic().bytesSent(),
        t[1].setupBytes, t[0].dealerBytes[k], t[1].dealerBytes[k],
        Math.max(r0.onlineTraffic().rounds(), r1.onlineTraffic().rounds()),
        actBytes, actRounds, layers);
  }
}
