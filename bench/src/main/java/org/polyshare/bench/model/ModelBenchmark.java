package org.polyshare.bench.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.polyshare.bench.harness.Barrier;
import org.polyshare.bench.harness.PhaseCost;
import org.polyshare.bench.harness.PhaseTimer;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.harness.TwoPartyRun;
import org.polyshare.bench.harness.Warmups;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.kernel.RingThreads;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.ReluMode;
import org.polyshare.models.secure.RingForward;
import org.polyshare.models.secure.SecureModel;
import org.polyshare.models.secure.SecureOptions;
import org.polyshare.models.secure.SecureResult;
import org.polyshare.models.secure.SecureSession;
import org.polyshare.models.zoo.Zoo;

/**
 * Secure inference of a zoo model between two in-process parties (two threads, in-memory link,
 * in-process dealer) next to the plaintext int64 forward ({@link RingForward}) of the same model on
 * the same inputs, in the same run. One session (weight masks opened once, timed apart); then per
 * repetition an offline phase, an online phase, and the plaintext forward on party 1's thread while
 * both parties wait at the barrier, so it sees the same machine load and competes with neither
 * party: once over the kernel pool ({@code --threads}, as the parties), and once on that thread
 * alone ({@link RingThreads#onCallingThread}), the figure two parties on two threads are held to.
 * With a one-thread pool the two are one measurement.
 */
public final class ModelBenchmark {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private ModelBenchmark() {}

  /**
   * @param streamed offline as the party processes run it ({@link SecureSession#streamOffline}):
   *     each layer's offline step just before its online step
   */
  public record Settings(
      String model, int batch, Repetitions reps, TruncationMode truncation, boolean streamed) {
    public Settings(String model, int batch, Repetitions reps, TruncationMode truncation) {
      this(model, batch, reps, truncation, false);
    }
  }

  /**
   * One repetition: each party's secure result (per-layer costs inside) and the plaintext forward
   * over the kernel pool and on one thread (the same measurement when the pool has one thread).
   */
  public record Rep(
      SecureResult party0, SecureResult party1, PhaseCost plaintext, PhaseCost plaintext1Thread) {
    public SecureResult party(int id) {
      return id == 0 ? party0 : party1;
    }
  }

  /**
   * The run: its model, the kernel pool's thread count, each party's session setup and the measured
   * repetitions.
   */
  public record Run(
      Settings settings,
      Model model,
      int threads,
      PhaseCost setup0,
      PhaseCost setup1,
      List<Rep> reps,
      double[][] secureOutputs,
      double[][] int64Outputs) {}

  private record Side(PhaseCost setup, List<SecureResult> results, long[] ring) {}

  public static Run run(Settings s) {
    if (s.batch() < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + s.batch());
    }
    checkHeap(s);
    Model model = Zoo.load(s.model());
    Model arch = Zoo.architecture(s.model());
    double[][] xs = Zoo.sampleInputs(model, s.batch(), 2024);
    RingForward plain = new RingForward(model, s.batch());
    long[] encoded = model.fixedPoint().encode(flatten(xs));
    SecureOptions opt = SecureOptions.defaults().withTruncation(s.truncation());
    SecureModel sm0 = SecureModel.compile(model, s.batch(), opt);
    SecureModel sm1 = SecureModel.compile(arch, s.batch(), opt);
    InProcessDealer dealer = new InProcessDealer();
    int total = s.reps().total();
    int threads = RingThreads.shared().threads();
    PhaseCost[][] plainCost = new PhaseCost[2][total];
    TwoParties.Result<Side> r =
        TwoPartyRun.run(
            TIMEOUT,
            ctx -> party(ctx, dealer, sm0, s, null, null, false, null),
            ctx ->
                party(
                    ctx,
                    dealer,
                    sm1,
                    s,
                    xs,
                    () -> plain.forwardRing(encoded.clone()),
                    threads > 1,
                    plainCost));
    List<Rep> reps = new ArrayList<>();
    for (int k = s.reps().warmup(); k < total; k++) {
      PhaseCost pool = plainCost[0][k];
      reps.add(
          new Rep(
              r.party0().results().get(k),
              r.party1().results().get(k),
              pool,
              threads > 1 ? plainCost[1][k] : pool));
    }
    double[][] secure = r.party1().results().get(total - 1).logits();
    return new Run(
        s,
        model,
        threads,
        r.party0().setup(),
        r.party1().setup(),
        reps,
        secure,
        plain.outputs(r.party1().ring(), s.batch()));
  }

  /**
   * One party's session; party 1 also times {@code plaintext} into {@code plainCost[0]} (over the
   * pool) and, if {@code oneThreadToo}, {@code plainCost[1]} (on its thread alone).
   */
  private static Side party(
      TwoPartyRun.PartyContext ctx,
      InProcessDealer dealer,
      SecureModel sm,
      Settings s,
      double[][] inputs,
      Supplier<long[]> plaintext,
      boolean oneThreadToo,
      PhaseCost[][] plainCost) {
    Party p =
        new Party(
            ctx.id(), ctx.link(), dealer.source(ctx.id()), sm.model().fixedPoint(), s.truncation());
    Barrier barrier = ctx.barrier();
    PhaseTimer setup = PhaseTimer.start(ctx.link().stats());
    SecureSession session = sm.open(p).streamOffline(s.streamed());
    PhaseCost setupCost = setup.stop();
    List<SecureResult> results = new ArrayList<>();
    long[] ring = null;
    for (int k = 0; k < s.reps().total(); k++) {
      barrier.await();
      session.offline();
      results.add(session.online(inputs));
      barrier.await();
      if (plaintext != null) {
        PhaseTimer t = PhaseTimer.start();
        ring = plaintext.get();
        plainCost[0][k] = t.stop();
        if (oneThreadToo) {
          t = PhaseTimer.start();
          long[] alone = RingThreads.onCallingThread(plaintext);
          plainCost[1][k] = t.stop();
          if (!Arrays.equals(ring, alone)) { // the kernels are bit-identical at every thread count
            throw new IllegalStateException(
                "the one-thread plaintext forward differs from the pool's");
          }
        }
      }
      barrier.await();
    }
    return new Side(setupCost, results, ring);
  }

  /**
   * The default warm-up repetitions of {@code model} ({@link Warmups}): a model with ReLUs runs
   * them as garbled circuits here (seconds to minutes per inference, warm after one), a polynomial
   * one needs more for a steady median.
   */
  public static int defaultWarmup(String model, int batch) {
    return reluCount(model, batch) > 0 ? Warmups.relu(ReluMode.GC) : Warmups.POLYNOMIAL;
  }

  private static long reluCount(String model, int batch) {
    return SecureModel.compile(Zoo.architecture(model), batch).reluCount();
  }

  /** Each party holds ~7 KB of garbled-circuit material per ReLU until the online phase. */
  private static void checkHeap(Settings s) {
    long relus = reluCount(s.model(), s.batch());
    long gcBytes = relus * 2 * 7 * 1024L;
    long heap = Runtime.getRuntime().maxMemory();
    if (gcBytes > heap / 2) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s at batch %d has %d ReLUs: about %.1f GB of garbled-circuit material for the two"
                  + " in-process parties, more than half the heap (%.1f GB); raise -Xmx (e.g."
                  + " BENCH_JAVA_OPTS=-Xmx20g) or benchmark the PKN variant",
              s.model(),
              s.batch(),
              relus,
              gcBytes / 1e9,
              heap / 1e9));
    }
  }

  private static double[] flatten(double[][] xs) {
    int per = xs[0].length;
    double[] out = new double[xs.length * per];
    for (int b = 0; b < xs.length; b++) {
      System.arraycopy(xs[b], 0, out, b * per, per);
    }
    return out;
  }
}
