package org.polyshare.bench.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.polyshare.bench.harness.PhaseCost;
import org.polyshare.bench.harness.PhaseTimer;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.harness.TwoPartyRun;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.correlation.ShapedCorrelationSource;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.ShapedLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.store.MaterialStore;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.LayerReport;
import org.polyshare.models.secure.OfflineSchedule;
import org.polyshare.models.secure.SecureModel;
import org.polyshare.models.secure.SecureOptions;
import org.polyshare.models.secure.SecureResult;
import org.polyshare.models.secure.SecureSession;

/**
 * Runs one variant in one JVM: party 0 and party 1 on two threads ({@link TwoPartyRun}) over an
 * in-memory link wrapped in {@link ShapedLink} at both ends (so both directions are shaped), each
 * drawing from one in-process dealer through a {@link ShapedCorrelationSource} (the dealer links
 * shaped the same way). One session: setup once, then for each repetition an offline and an online
 * phase, the parties meeting at the barrier between phases so that each phase is timed on its own.
 */
final class InProcessRunner {
  /**
   * One run's measurements and party 1's logits per repetition (warm-ups dropped), and each party
   * process's memory where the parties ran as processes of their own.
   */
  record Run(List<Measurement> reps, List<double[][]> logits, List<PartyMemory> memory) {
    Run(List<Measurement> reps, List<double[][]> logits) {
      this(reps, logits, List.of());
    }
  }

  /** One party's inference: its result and the dealer's bytes to it in the offline phase. */
  private record PartyRep(SecureResult result, long dealerBytes) {}

  /** What one party saw: the session setup and the measured inferences. */
  private record PartyTrace(PhaseCost setup, List<PartyRep> reps) {}

  private final NetworkProfile net;
  private final Duration timeout;
  private final OfflineSchedule schedule;

  InProcessRunner(NetworkProfile net, Duration timeout, OfflineSchedule schedule) {
    this.net = net;
    this.timeout = timeout;
    this.schedule = schedule;
  }

  /**
   * One inference per entry of {@code inputs}, the first {@code warmup} not measured, evaluated
   * with {@code options} (e.g. the FSS ReLU arm).
   */
  Run run(
      Model owner,
      Model clientView,
      List<double[][]> inputs,
      int warmup,
      Progress progress,
      String label,
      SecureOptions options) {
    int batch = inputs.get(0).length;
    Repetitions reps = new Repetitions(warmup, inputs.size() - warmup);
    SecureModel sm0 = SecureModel.compile(owner, batch, options);
    SecureModel sm1 = SecureModel.compile(clientView, batch, options);
    InProcessDealer dealer = new InProcessDealer();
    progress.begin(label + ": setup (opening masked weights)");
    TwoParties.Result<PartyTrace> r =
        TwoPartyRun.run(
            timeout,
            ctx -> party(ctx, sm0, dealer, null, reps, progress, label),
            ctx -> party(ctx, sm1, dealer, inputs, reps, progress, label));
    List<Measurement> measured = new ArrayList<>();
    List<double[][]> logits = new ArrayList<>();
    for (int k = 0; k < reps.measured(); k++) {
      measured.add(measurement(r.party0(), r.party1(), k));
      logits.add(r.party1().reps().get(k).result().logits());
    }
    return new Run(measured, logits);
  }

  private PartyTrace party(
      TwoPartyRun.PartyContext ctx,
      SecureModel sm,
      InProcessDealer dealer,
      List<double[][]> inputs,
      Repetitions reps,
      Progress progress,
      String label) {
    int id = ctx.id();
    PartyLink link = ShapedLink.wrap(ctx.link(), net);
    ShapedCorrelationSource source =
        new ShapedCorrelationSource(dealer.source(id), () -> dealer.trafficTo(id).bytes(), net);
    // GC material in files, as the party processes keep it: the two parties share this heap
    MaterialStore store = MaterialStore.temporary();
    Party party = new Party(id, link, source, sm.model().fixedPoint()).withMaterialStore(store);
    Progress shown = id == 1 ? progress : Progress.silent();
    try {
      ctx.barrier().await();
      PhaseTimer t = PhaseTimer.start(link.stats());
      SecureSession session = sm.open(party).schedule(schedule);
      PhaseCost setup = t.stop();
      ctx.barrier().await();
      shown.step();
      List<PartyRep> measured =
          reps.run(
              k -> {
                shown.begin(label + ": " + reps.label(k) + " offline");
                ctx.barrier().await();
                long dealt = dealer.trafficTo(id).bytes();
                source.beginBatch();
                session.offline();
                ctx.barrier().await();
                shown.step();
                shown.begin(label + ": " + reps.label(k) + " online");
                SecureResult res = session.online(id == 1 ? inputs.get(k) : null);
                // streamed, the dealer serves during the online phase too: count both phases
                long dealerBytes = dealer.trafficTo(id).bytes() - dealt;
                ctx.barrier().await();
                shown.step();
                return new PartyRep(res, dealerBytes);
              });
      return new PartyTrace(setup, measured);
    } finally {
      // Both are done (the last barrier): let in-flight messages land, then stop the wire.
      link.close();
      store.close();
    }
  }

  private static Measurement measurement(PartyTrace t0, PartyTrace t1, int k) {
    SecureResult r0 = t0.reps().get(k).result();
    SecureResult r1 = t1.reps().get(k).result();
    SecureResult slowerOffline = r0.offlineNanos() >= r1.offlineNanos() ? r0 : r1;
    LayerSplit split = new LayerSplit();
    for (int i = 0; i < r1.layers().size(); i++) {
      LayerReport a = r0.layers().get(i);
      LayerReport b = r1.layers().get(i);
      split.add(
          b.layer(),
          b.kind(),
          b.onlineNanos() / 1e6,
          b.onlineActivationNanos() > 0 || a.onlineActivationNanos() > 0,
          Math.max(a.onlineLinearCpuNanos(), b.onlineLinearCpuNanos()) / 1e6,
          slowerOffline.layers().get(i).offlineActivationNanos() / 1e6,
          b.onlineBytes(),
          Math.max(a.onlineRounds(), b.onlineRounds()),
          b.onlineActivationBytes(),
          Math.max(a.onlineActivationRounds(), b.onlineActivationRounds()));
    }
    PhaseCost setup1 = t1.setup();
    return split.measurement(
        Math.max(t0.setup().wallMs(), setup1.wallMs()),
        Math.max(r0.offlineNanos(), r1.offlineNanos()) / 1e6,
        r1.onlineNanos() / 1e6,
        r0.onlineTraffic().bytesSent(),
        r1.onlineTraffic().bytesSent(),
        r0.offlineTraffic().bytesSent(),
        r1.offlineTraffic().bytesSent(),
        setup1.bytesSent() + setup1.bytesReceived(),
        t0.reps().get(k).dealerBytes(),
        t1.reps().get(k).dealerBytes(),
        Math.max(r0.onlineTraffic().rounds(), r1.onlineTraffic().rounds()));
  }
}
