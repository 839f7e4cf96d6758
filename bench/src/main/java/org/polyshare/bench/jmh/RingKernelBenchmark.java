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
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.kernel.RingConv;
import org.polyshare.core.kernel.RingGemm;
import org.polyshare.core.kernel.RingThreads;

/**
 * Int64 ring kernels at 1 and 2 kernel threads ({@code threads}, the pool's size in each forked
 * JVM). Scores are multiply-adds per second: both benchmarks do the 64 × 576 × 1024 = 37,748,736
 * MACs of a ResNet-18 3×3 conv layer (64→64 channels, 32×32, pad 1), once as a plain GEMM and once
 * as the convolution (im2col + GEMM). The pool is sized once per JVM, so keep at least one fork (no
 * {@code -f 0}).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/polyshare-bench.jar \
 *     org.openjdk.jmh.Main RingKernelBenchmark -p threads=1,2
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RingKernelBenchmark {
  static final int MACS = 64 * 576 * 1024;

  private final MatMulShape gemm = new MatMulShape(64, 576, 1024);
  private final Conv2dShape conv = Conv2dShape.of(1, 64, 32, 64, 3, 1, 1);
  private long[] a;
  private long[] b;
  private long[] c;
  private long[] input;
  private long[] weights;
  private long[] output;

  @Param({"1", "2"})
  public int threads;

  @Setup
  public void setup() {
    RingThreads.configure(threads);
    SplittableRandom rnd = new SplittableRandom(1);
    a = rnd.longs(gemm.leftNumel()).toArray();
    b = rnd.longs(gemm.rightNumel()).toArray();
    c = new long[gemm.outputNumel()];
    input = rnd.longs(conv.inputNumel()).toArray();
    weights = rnd.longs(conv.weightNumel()).toArray();
    output = new long[conv.outputNumel()];
  }

  @Benchmark
  @OperationsPerInvocation(MACS)
  public long[] gemm64x576x1024() {
    RingGemm.multiplyInto(a, b, c, gemm);
    return c;
  }

  @Benchmark
  @OperationsPerInvocation(MACS)
  public long[] conv3x3ResNet18Layer() {
    RingConv.conv2dInto(input, weights, output, conv);
    return output;
  }
}
