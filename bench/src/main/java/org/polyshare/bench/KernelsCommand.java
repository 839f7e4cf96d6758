package org.polyshare.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.kernel.RingConv;
import org.polyshare.core.kernel.RingGemm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench kernels}: single-thread multiply-adds per second of the int64 GEMM and conv, by
 * wall clock and by the thread's CPU time. The CPU-time figure is the one to trust on a shared
 * machine, where wall time also counts the time other processes hold the core; JMH
 * ({@code RingKernelBenchmark}) measures wall time only.
 */
@Command(
    name = "kernels",
    mixinStandardHelpOptions = true,
    description = "Int64 GEMM and conv2d throughput (multiply-adds/s, one thread), wall and CPU time.")
final class KernelsCommand implements Callable<Integer> {
  @Option(names = "--m", defaultValue = "64", description = "GEMM rows (default ${DEFAULT-VALUE})")
  int m;

  @Option(names = "--k", defaultValue = "576", description = "GEMM inner dimension (default ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--n", defaultValue = "1024", description = "GEMM columns (default ${DEFAULT-VALUE})")
  int n;

  @Option(names = "--channels", defaultValue = "64", description = "conv in = out channels (default ${DEFAULT-VALUE})")
  int channels;

  @Option(names = "--hw", defaultValue = "32", description = "conv input height = width, 3x3 pad 1 (default ${DEFAULT-VALUE})")
  int hw;

  @Option(names = "--seconds", defaultValue = "3", description = "measuring time per kernel after 1 s warm-up (default ${DEFAULT-VALUE})")
  double seconds;

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  @Override
  public Integer call() {
    SplittableRandom rnd = new SplittableRandom(1);
    MatMulShape g = new MatMulShape(m, k, n);
    long[] a = rnd.longs(g.leftNumel()).toArray();
    long[] b = rnd.longs(g.rightNumel()).toArray();
    long[] c = new long[g.outputNumel()];
    report("gemm " + m + "x" + k + "x" + n, g.macs(), () -> RingGemm.multiplyInto(a, b, c, g));
    Conv2dShape s = Conv2dShape.of(1, channels, hw, channels, 3, 1, 1);
    long[] x = rnd.longs(s.inputNumel()).toArray();
    long[] w = rnd.longs(s.weightNumel()).toArray();
    long[] o = new long[s.outputNumel()];
    report("conv2d " + channels + "->" + channels + " " + hw + "x" + hw + " 3x3 pad 1", s.macs(), () -> RingConv.conv2dInto(x, w, o, s));
    return 0;
  }

  private void report(String name, long macs, Runnable kernel) {
    long until = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < until) {
      kernel.run();
    }
    long calls = 0;
    long wall0 = System.nanoTime();
    long cpu0 = CPU.getCurrentThreadCpuTime();
    long end = wall0 + (long) (seconds * 1e9);
    while (System.nanoTime() < end || calls == 0) {
      kernel.run();
      calls++;
    }
    double wall = (System.nanoTime() - wall0) / 1e9;
    double cpu = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e9;
    System.out.printf(Locale.ROOT, "%-34s %6d calls  wall %.2f G MAC/s  cpu %.2f G MAC/s  (%.2f ms/call cpu)%n",
        name, calls, calls * macs / wall / 1e9, calls * macs / cpu / 1e9, cpu * 1e3 / calls);
  }
}
