package org.polyshare.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.polyshare.bench.harness.Medians;
import org.polyshare.bench.harness.PhaseCost;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.harness.Report;
import org.polyshare.bench.ops.LinearMode;
import org.polyshare.bench.ops.OpCase;
import org.polyshare.bench.ops.OpRunner;
import org.polyshare.bench.ops.OpRunner.OpRep;
import org.polyshare.bench.ops.Ops;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.core.ring.FixedPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench ops}: one secure op between two in-process parties against the same computation in
 * plaintext int64 on one thread (see {@link OpRunner} for the phases). Times are medians over the
 * measured repetitions; a phase's time is the slower party's, its CPU time the busier thread's.
 */
@Command(
    name = "ops",
    mixinStandardHelpOptions = true,
    description =
        "Secure op (offline/online) vs plaintext int64 on the same data: time, ratio, bytes, rounds, error.")
final class OpsCommand implements Callable<Integer> {
  enum Op {
    mul,
    square,
    matmul,
    conv2d,
    trunc,
    poly
  }

  @Option(
      names = "--op",
      required = true,
      description = "mul, square, matmul, conv2d, trunc or poly")
  Op op;

  @Option(
      names = "--size",
      defaultValue = "1048576",
      description = "elements for mul/square/trunc/poly (default ${DEFAULT-VALUE})")
  int size;

  @Option(
      names = "--m",
      defaultValue = "1024",
      description = "matmul rows of X (default ${DEFAULT-VALUE})")
  int m;

  @Option(
      names = "--k",
      defaultValue = "576",
      description = "matmul inner dimension (default ${DEFAULT-VALUE})")
  int k;

  @Option(
      names = "--n",
      defaultValue = "64",
      description = "matmul columns of W (default ${DEFAULT-VALUE})")
  int n;

  @Option(
      names = "--batch",
      defaultValue = "1",
      description = "conv2d batch (default ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--in-ch",
      defaultValue = "64",
      description = "conv2d input channels (default ${DEFAULT-VALUE})")
  int inCh;

  @Option(
      names = "--out-ch",
      defaultValue = "64",
      description = "conv2d output channels (default ${DEFAULT-VALUE})")
  int outCh;

  @Option(
      names = "--hw",
      defaultValue = "32",
      description = "conv2d input height = width (default ${DEFAULT-VALUE})")
  int hw;

  @Option(
      names = "--kernel",
      defaultValue = "3",
      description = "conv2d kernel size (default ${DEFAULT-VALUE})")
  int kernel;

  @Option(
      names = "--stride",
      defaultValue = "1",
      description = "conv2d stride (default ${DEFAULT-VALUE})")
  int stride;

  @Option(
      names = "--pad",
      defaultValue = "1",
      description = "conv2d padding (default ${DEFAULT-VALUE})")
  int pad;

  @Option(
      names = "--degree",
      defaultValue = "2",
      description = "poly: d in (x + c)^d (default ${DEFAULT-VALUE})")
  int degree;

  @Option(
      names = "--linear",
      defaultValue = "owner",
      description =
          "matmul/conv2d: owner (fixed weight mask, party 0 holds W and computes alone), fixed (fixed weight mask, shared W, both compute) or beaver (generic triple) (default ${DEFAULT-VALUE})")
  LinearMode linear;

  @Option(
      names = "--truncation",
      defaultValue = "dealer",
      description =
          "dealer (one round, <= 1 ulp, randomised), exact (one round, exact floor, DCF keys from the dealer) or local (default ${DEFAULT-VALUE})")
  String truncation;

  @Option(
      names = "--frac-bits",
      defaultValue = "16",
      description = "fixed-point fractional bits (default ${DEFAULT-VALUE})")
  int fracBits;

  @Option(
      names = "--reps",
      defaultValue = "7",
      description = "measured repetitions (default ${DEFAULT-VALUE})")
  int reps;

  @Option(
      names = "--warmup",
      defaultValue = "4",
      description = "unmeasured warm-up repetitions (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "seed of the random test data (not of any secret) (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--json", description = "also write the results as JSON to this file")
  Path json;

  @Override
  public Integer call() throws IOException {
    Repetitions repetitions = new Repetitions(warmup, reps);
    FixedPoint fp = new FixedPoint(fracBits);
    TruncationMode mode =
        switch (truncation.toLowerCase(Locale.ROOT)) {
          case "dealer" -> TruncationMode.DEALER;
          case "exact" -> TruncationMode.EXACT;
          case "local" -> TruncationMode.LOCAL;
          default ->
              throw new IllegalArgumentException(
                  "--truncation must be dealer, exact or local, got " + truncation);
        };
    OpCase c = opCase();
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] xd = randomEncodable(fp, rnd, c.inputLength(), c.inputBound());
    double[] wd = randomEncodable(fp, rnd, c.weightLength(), c.weightBound());
    boolean isLinear = op == Op.matmul || op == Op.conv2d;
    String title =
        String.format(
            Locale.ROOT,
            "bench ops --op %s  %s  f=%d truncation=%s%s, %d warm-up + %d measured reps",
            op,
            c.shape(),
            fracBits,
            mode.name().toLowerCase(Locale.ROOT),
            isLinear ? " linear=" + linear : "",
            warmup,
            reps);
    System.out.println(title);

    List<OpRep> runs = new OpRunner(c, fp, mode, fp.encode(xd), fp.encode(wd)).run(repetitions);
    Report r = report(c, runs, fp, xd, wd, mode, isLinear);
    r.print(System.out);
    if (json != null) {
      r.writeJson(json);
      System.out.println("wrote " + json);
    }
    return 0;
  }

  /**
   * Values drawn from {@code [-bound, bound]}, rounded to the fixed-point grid so both sides see
   * the same data.
   */
  private static double[] randomEncodable(
      FixedPoint fp, SplittableRandom rnd, int n, double bound) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = fp.decode(fp.encode((rnd.nextDouble() * 2 - 1) * bound));
    }
    return v;
  }

  private Report report(
      OpCase c,
      List<OpRep> runs,
      FixedPoint fp,
      double[] xd,
      double[] wd,
      TruncationMode mode,
      boolean isLinear) {
    OpRep last = runs.get(runs.size() - 1);
    double[] expect = c.reference(xd, wd);
    double[] got = fp.decode(last.opened());
    double maxErr = 0;
    double maxAbs = 0;
    for (int i = 0; i < expect.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(expect[i] - got[i]) * fp.one());
      maxAbs = Math.max(maxAbs, Math.abs(expect[i]));
    }
    double off = Medians.median(runs, x -> x.offline().wallMs());
    double on = Medians.median(runs, x -> x.online().wallMs());
    double lin = Medians.median(runs, x -> x.linear().wallMs());
    double pt = Medians.median(runs, x -> x.plaintext().wallMs());
    double onCpu = Medians.median(runs, x -> x.online().cpuMs());
    double linCpu = Medians.median(runs, x -> x.linear().cpuMs());
    double ptCpu = Medians.median(runs, x -> x.plaintext().cpuMs());
    Report r =
        new Report("")
            .put("op", op.name())
            .put("shape", c.shape())
            .put("frac_bits", (long) fracBits)
            .put("truncation", mode.name().toLowerCase(Locale.ROOT))
            .put("linear", isLinear ? linear.name() : "n/a")
            .put("reps", (long) reps)
            .put("offline_ms", off)
            .put("online_ms", on);
    if (lin > 0) {
      r.put("online_linear_ms", lin);
    }
    r.put("plaintext_int64_ms", pt).put("online_over_plaintext", on / pt);
    if (lin > 0) {
      r.put("online_linear_over_plaintext", lin / pt);
    }
    // Traffic is deterministic: the last repetition's.
    for (int p = 0; p < 2; p++) {
      PhaseCost online = last.party(p).online();
      r.put("party" + p + "_online_bytes_sent", online.bytesSent())
          .put("party" + p + "_online_bytes_received", online.bytesReceived())
          .put("party" + p + "_online_rounds", online.rounds())
          .put("party" + p + "_dealer_bytes_offline", last.party(p).dealerBytes());
    }
    // CPU time of the busiest thread: less sensitive to other load on a shared machine.
    r.put("online_cpu_ms", onCpu);
    if (lin > 0) {
      r.put("online_linear_cpu_ms", linCpu);
    }
    r.put("plaintext_int64_cpu_ms", ptCpu).put("online_cpu_over_plaintext_cpu", onCpu / ptCpu);
    if (lin > 0) {
      r.put("online_linear_cpu_over_plaintext_cpu", linCpu / ptCpu);
    }
    return r.put("max_error_ulps", maxErr)
        .put("max_abs_result", maxAbs)
        .put("threads", "2 party threads (secure), 1 thread (plaintext)");
  }

  private OpCase opCase() {
    return switch (op) {
      case mul -> Ops.mul(size, fracBits);
      case square -> Ops.square(size, fracBits);
      case trunc -> Ops.trunc(size, fracBits);
      case poly -> Ops.poly(size, fracBits, degree);
      case matmul -> Ops.matmul(new MatMulShape(m, k, n), linear, fracBits);
      case conv2d ->
          Ops.conv2d(
              new Conv2dShape(batch, inCh, hw, hw, outCh, kernel, kernel, stride, pad),
              linear,
              fracBits);
    };
  }
}
