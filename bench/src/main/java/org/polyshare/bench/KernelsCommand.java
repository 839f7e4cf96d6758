package org.polyshare.bench;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.polyshare.bench.cli.ReportOutput;
import org.polyshare.bench.harness.PhaseCost;
import org.polyshare.bench.harness.PhaseTimer;
import org.polyshare.bench.harness.Report;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.kernel.RingConv;
import org.polyshare.core.kernel.RingGemm;
import org.polyshare.core.kernel.RingKernels;
import org.polyshare.core.kernel.RingThreads;
import org.polyshare.core.kernel.WeightedProduct;
import org.polyshare.core.ring.FixedPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench kernels}: multiply-adds per second of the int64 GEMM and conv over the kernel pool
 * ({@code --threads}), by wall clock and by the calling thread's CPU time. At {@code --threads 1}
 * the CPU-time figure is the one to trust on a shared machine, where wall time also counts the time
 * other processes hold the core; with helpers it leaves out their CPU time, so compare wall figures
 * there. JMH ({@code RingKernelBenchmark}) measures wall time only. The {@code kernels} line names
 * the implementation that ran: the Vector API loops and their lane count, or scalar and why, and
 * whether narrow left operands take the limb kernel. Each kernel runs twice: on uniform operands
 * (the dealer's and the offline products) and with fixed-point weights on the left ({@code
 * _weights}: the owner's online product and the plaintext forward); the conv once more through the
 * owner's kernel choice ({@code conv2d_owner}: {@link WeightedProduct}, Winograd where it applies).
 */
@Command(
    name = "kernels",
    mixinStandardHelpOptions = true,
    description =
        "Int64 GEMM and conv2d throughput (multiply-adds/s over the kernel threads), wall and"
            + " the calling thread's CPU time (per core at --threads 1).")
final class KernelsCommand implements Callable<Integer> {
  @Option(names = "--m", defaultValue = "64", description = "GEMM rows (default ${DEFAULT-VALUE})")
  int m;

  @Option(
      names = "--k",
      defaultValue = "576",
      description = "GEMM inner dimension (default ${DEFAULT-VALUE})")
  int k;

  @Option(
      names = "--n",
      defaultValue = "1024",
      description = "GEMM columns (default ${DEFAULT-VALUE})")
  int n;

  @Option(
      names = "--channels",
      defaultValue = "64",
      description = "conv in = out channels (default ${DEFAULT-VALUE})")
  int channels;

  @Option(
      names = "--hw",
      defaultValue = "32",
      description = "conv input height = width, 3x3 pad 1 (default ${DEFAULT-VALUE})")
  int hw;

  @Option(
      names = "--seconds",
      defaultValue = "3",
      description = "measuring time per kernel after 1 s warm-up (default ${DEFAULT-VALUE})")
  double seconds;

  @Mixin ReportOutput output;

  /** One kernel's measurement: {@code calls} calls of {@code macs} multiply-adds each. */
  record KernelRate(String kernel, String shape, long macs, long calls, PhaseCost cost) {
    double wallGmacPerSecond() {
      return calls * macs / (cost.wallNanos() / 1e9) / 1e9;
    }

    double cpuGmacPerSecond() {
      return calls * macs / (cost.cpuNanos() / 1e9) / 1e9;
    }

    void putInto(Report r) {
      r.put(kernel + "_shape", shape)
          .put(kernel + "_calls", calls)
          .put(kernel + "_wall_G_mac_per_s", wallGmacPerSecond())
          .put(kernel + "_cpu_G_mac_per_s", cpuGmacPerSecond())
          .put(kernel + "_cpu_ms_per_call", cost.cpuMs() / calls);
    }
  }

  @Override
  public Integer call() throws IOException {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("--seconds must be positive, got " + seconds);
    }
    SplittableRandom rnd = new SplittableRandom(1);
    MatMulShape g = new MatMulShape(m, k, n);
    long[] a = rnd.longs(g.leftNumel()).toArray();
    long[] b = rnd.longs(g.rightNumel()).toArray();
    long[] c = new long[g.outputNumel()];
    Conv2dShape s = Conv2dShape.of(1, channels, hw, channels, 3, 1, 1);
    long[] x = rnd.longs(s.inputNumel()).toArray();
    long[] w = rnd.longs(s.weightNumel()).toArray();
    long[] o = new long[s.outputNumel()];
    // The owner's online product: fixed-point weights |w| < 1 at the default 16 fractional bits
    // against uniform ring elements (the masked input); the limb kernel's case.
    long weightBound = 1L << FixedPoint.DEFAULT_FRAC_BITS;
    long[] aw = rnd.longs(g.leftNumel(), -weightBound + 1, weightBound).toArray();
    long[] ww = rnd.longs(s.weightNumel(), -weightBound + 1, weightBound).toArray();
    Report r =
        new Report(
                "bench kernels: "
                    + RingThreads.shared().threads()
                    + " kernel thread(s), 1 s warm-up then "
                    + seconds
                    + " s per kernel")
            .put("kernels", RingKernels.describe())
            .put("threads", (long) RingThreads.shared().threads());
    measure("gemm", m + "x" + k + "x" + n, g.macs(), () -> RingGemm.multiplyInto(a, b, c, g))
        .putInto(r);
    measure(
            "conv2d",
            channels + "->" + channels + " " + hw + "x" + hw + " 3x3 pad 1",
            s.macs(),
            () -> RingConv.conv2dInto(x, w, o, s))
        .putInto(r);
    measure(
            "gemm_weights",
            m + "x" + k + "x" + n + ", |left| < 2^16",
            g.macs(),
            () -> RingGemm.multiplyInto(aw, b, c, g))
        .putInto(r);
    measure(
            "conv2d_weights",
            channels + "->" + channels + " " + hw + "x" + hw + " 3x3 pad 1, |weights| < 2^16",
            s.macs(),
            () -> RingConv.conv2dInto(x, ww, o, s))
        .putInto(r);
    // The owner's kernel choice for the same conv: Winograd where it applies. Its rate counts the
    // direct convolution's multiply-adds, so the two rates compare as speeds.
    WeightedProduct owner = WeightedProduct.of(s, ww);
    r.put("conv2d_owner_kernel", owner.winograd() ? "winograd F(2x2, 3x3)" : "direct");
    measure(
            "conv2d_owner",
            channels + "->" + channels + " " + hw + "x" + hw + ", the owner's product",
            s.macs(),
            () -> {
              java.util.Arrays.fill(o, 0L);
              owner.applyAdd(x, o);
            })
        .putInto(r);
    return output.emit(r);
  }

  /** Runs {@code kernel} for 1 s unmeasured, then for {@code --seconds} (at least once), timed. */
  private KernelRate measure(String name, String shape, long macs, Runnable kernel) {
    long until = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < until) {
      kernel.run();
    }
    long calls = 0;
    PhaseTimer t = PhaseTimer.start();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end || calls == 0) {
      kernel.run();
      calls++;
    }
    return new KernelRate(name, shape, macs, calls, t.stop());
  }
}
