package org.polyshare.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.polyshare.core.kernel.FusedPowerKernel;

/**
 * The local evaluation of the fused truncate-and-power (DEALER mode) on one ResNet-18 PolyKerv
 * output of 64 × 32 × 32 = 65,536 elements, party 0's side; scores are elements per second, for the
 * degree {@code d} (2 in the zoo, 8 the maximum). The opening comes as its two halves (party 0's
 * own and party 1's early one), as in an inference. The operands (3.5 MiB at d = 2) sit in the
 * last-level cache here; in an inference the dealer's blocks come from memory.
 *
 * <pre>
 * java -cp bench/target/polyshare-bench.jar org.openjdk.jmh.Main FusedPowerBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FusedPowerBenchmark {
  static final int N = 64 * 32 * 32;
  static final int F = 16;

  private long[] mine;
  private long[] other;
  private long[] dep;
  private long[] out;

  @Param({"2", "8"})
  public int d;

  @Setup
  public void setup() {
    SplittableRandom rnd = new SplittableRandom(1);
    mine = rnd.longs(N).toArray();
    other = rnd.longs(N).toArray();
    dep = rnd.longs(2L * d * N).toArray();
    out = new long[N];
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long[] power() {
    FusedPowerKernel.power(mine, other, 0, dep, N, F, d, true, out, 0, N);
    return out;
  }
}
