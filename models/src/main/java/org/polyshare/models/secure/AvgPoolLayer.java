package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.kernel.RingConv;
import org.polyshare.core.protocol.Arithmetic;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Truncation;
import org.polyshare.models.graph.AvgPool;

/**
 * Average pooling: local window sums (padding cells are zeros), then a public division. When every
 * window has the same divisor {@code d} (always without padding or ceil mode) that is {@link
 * Arithmetic#mulPublic} by {@code 1/d}: an exact truncation for {@code d = 2^s}, else {@code
 * round(2^(f+g)/d)} and a truncation by {@code f+g}. With padding and {@code count_include_pad =
 * 0}, or ceil mode, the divisors differ per output position (the window's cells inside the input,
 * or inside the padded input); they depend on the geometry alone, so they are public: position
 * {@code o} is multiplied by {@code round(2^(f+g)/d_o)}, then all are truncated by {@code f+g} at
 * once. Error ≤ 1 + |x|·2^(−g−1) ulps, as for one constant. A power-of-two pool may read a carried
 * power ({@link CarryPlan}): its truncation then also removes the input's extra bits.
 */
final class AvgPoolLayer extends SecureLayer {
  private final AvgPool pool;
  private final PoolGeometry geometry;

  /** The one divisor, or 0 when they differ. */
  private final int divisor;

  /** Per output element {@code round(2^(f+g)/d_o)} when the divisors differ, else null. */
  private final long[] constants;

  private final int bits;

  AvgPoolLayer(Program.Step step, Lowering low) {
    super(step, low);
    this.pool = (AvgPool) step.layer();
    this.geometry = PoolGeometry.of(step.inShape(), pool.window(), pool.name());
    int[] d = pool.countIncludePad() ? geometry.padded : geometry.inside;
    int one = d[0];
    for (int v : d) {
      if (v != one) {
        one = 0;
        break;
      }
    }
    this.divisor = one;
    if (carryIn > 0 && (one == 0 || Arithmetic.exactShift(1.0 / one) <= 0)) {
      throw new IllegalStateException(
          "pool '" + pool.name() + "' reads a carried power but its divisor is not a power of two");
    }
    if (one > 0) {
      constants = null;
      bits = Arithmetic.mulPublicShift(f, 1.0 / one) + carryIn;
    } else {
      bits = f + Arithmetic.guardBits(f);
      long[] perPosition = new long[d.length];
      for (int o = 0; o < d.length; o++) {
        perPosition[o] = Math.round(Math.scalb(1.0, bits) / d[o]);
      }
      constants = spread(perPosition, n());
    }
  }

  /**
   * {@code s} when every window of {@code pool} on {@code inShape} divides by the same {@code 2^s}
   * (its division is then a truncation by s alone), else 0.
   */
  static int exactShift(AvgPool pool, int[] inShape) {
    PoolGeometry g = PoolGeometry.of(inShape, pool.window(), pool.name());
    int[] d = pool.countIncludePad() ? g.padded : g.inside;
    for (int v : d) {
      if (v != d[0]) {
        return 0;
      }
    }
    return Arithmetic.exactShift(1.0 / d[0]);
  }

  /** The per-position constants repeated over channels and samples. */
  private static long[] spread(long[] perPosition, int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = perPosition[i % perPosition.length];
    }
    return out;
  }

  @Override
  List<CorrelationRequest> linearRequests() {
    return truncation(n(), bits);
  }

  private long[] sums(long[] x) {
    int[] in = step.inShape();
    return pool.isPlain()
        ? RingConv.sumPool2d(x, batch, in[0], in[1], in[2], pool.kernel(), pool.stride())
        : geometry.sums(x, batch);
  }

  @Override
  long[] online(Party q, long[][] in) {
    long[] s = sums(in[0]);
    if (constants == null) {
      return carryIn > 0
          ? Truncation.truncate(q, s, bits)
          : Arithmetic.mulPublic(q, s, 1.0 / divisor);
    }
    for (int i = 0; i < s.length; i++) {
      s[i] *= constants[i];
    }
    return Truncation.truncate(q, s, bits);
  }

  @Override
  long[] ring(long[][] in) {
    long[] s = sums(in[0]);
    if (constants == null) {
      return carryIn > 0 ? RingOps.shift(s, bits) : RingOps.scaleShift(s, 1.0 / divisor, f);
    }
    for (int i = 0; i < s.length; i++) {
      s[i] *= constants[i];
    }
    return RingOps.shift(s, bits);
  }
}
