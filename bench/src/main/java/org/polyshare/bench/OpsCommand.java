package org.polyshare.bench;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.polyshare.bench.cli.CaseOptions;
import org.polyshare.bench.cli.TruncationOption;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.ops.LinearMode;
import org.polyshare.bench.ops.OpCase;
import org.polyshare.bench.ops.OpReport;
import org.polyshare.bench.ops.OpRunner;
import org.polyshare.bench.ops.OpRunner.OpRep;
import org.polyshare.bench.ops.Ops;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.core.ring.FixedPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin TruncationOption truncation;

  @Option(
      names = "--frac-bits",
      defaultValue = "16",
      description = "fixed-point fractional bits (default ${DEFAULT-VALUE})")
  int fracBits;

  @Mixin CaseOptions run = new CaseOptions(7, 4);

  @Override
  public Integer call() throws IOException {
    Repetitions reps = run.repetitions();
    FixedPoint fp = new FixedPoint(fracBits);
    TruncationMode mode = truncation.mode();
    OpCase c = opCase();
    SplittableRandom rnd = new SplittableRandom(run.seed());
    double[] xd = OpReport.randomEncodable(fp, rnd, c.inputLength(), c.inputBound());
    double[] wd = OpReport.randomEncodable(fp, rnd, c.weightLength(), c.weightBound());
    String linearName = op == Op.matmul || op == Op.conv2d ? linear.name() : null;
    System.out.println(
        String.format(
            Locale.ROOT,
            "bench ops --op %s  %s  f=%d truncation=%s%s, %d warm-up + %d measured reps",
            op,
            c.shape(),
            fracBits,
            mode.name().toLowerCase(Locale.ROOT),
            linearName != null ? " linear=" + linear : "",
            reps.warmup(),
            reps.measured()));
    List<OpRep> runs = new OpRunner(c, fp, mode, fp.encode(xd), fp.encode(wd)).run(reps);
    return run.emit(OpReport.of(op.name(), c, runs, fp, xd, wd, mode, linearName));
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
