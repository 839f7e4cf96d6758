package org.polyshare.core.kernel;

/**
 * The local evaluation of the fused truncate-and-power in DEALER mode (derivation in {@code
 * org.polyshare.core.protocol.FusedPower}): from the public opening {@code c} and this party's
 * {@code 2d} dependent blocks, its share of {@code (a − v)^d} per element, with
 *
 * <pre>
 *   a = (c >>> f) − 2^(62−f),   sel = [msb c = 0],   K = 2^(64−f),
 *   v^0 = [first],   v^1 = u − sel·K·m,   v^j = u^j + sel·g_j  (2 ≤ j ≤ d),
 *   (a − v)^d = Σ_j (−1)^j·C(d, j)·a^(d−j)·v^j.
 * </pre>
 *
 * The opening is never materialised: {@code c = mine + other}, this party's half and the peer's
 * (or, for party 1 after an early opening, its own early half and party 0's), is summed as it is
 * read, so the receiver does no separate pass to complete c before the power.
 *
 * <p>The sum runs in Horner form over j ({@code acc ← acc·a + (−1)^j·C(d, j)·v^j}, from {@code acc
 * = v^0·a}): d products by a and d by a coefficient, no per-element scratch. At d = 2 it is one
 * pass in registers, {@code (first·a − 2·v^1)·a + v^2}; above, one pass per j over blocks of
 * {@value #BLOCK} elements whose halves and acc (kept in out) stay in L1. Every step is exact in
 * Z_2^64, so the result is bit for bit the binomial sum whatever the order or the split of {@code
 * [0, n)} into ranges.
 *
 * <p>Plain loops, no Vector API, on purpose: the loop streams 16·d + 24 bytes of operands per
 * element from memory, and a Vector API version, measured at most ~1.5× faster at d = 2 once C2 had
 * compiled it, ran its unintrinsified fallback in the interpreter and C1 for the first inferences
 * of a fresh JVM (~0.3 s at d = 2, ~0.9 s at d = 8, per ResNet-18 inference: the power sees only
 * ~3·10^5 elements per inference, below the JIT's compile thresholds).
 */
public final class FusedPowerKernel {
  /** Highest degree served; the binomials of row 8 are far below 2^63. */
  public static final int MAX_DEGREE = 8;

  /** {@code COEFFICIENTS[d][j] = (−1)^j·C(d, j)}, for {@code 1 ≤ d ≤ MAX_DEGREE}. */
  private static final long[][] COEFFICIENTS = coefficients();

  /** Elements per block of the general-degree path: two halves and out, 3 × 4 KiB, sit in L1. */
  private static final int BLOCK = 512;

  private FusedPowerKernel() {}

  /**
   * {@code out[i]} for {@code i ∈ [i0, i1)}: this party's share of the power from the opening
   * {@code c[i] = mine[i] + other[otherOff + i − i0]} and {@code dep}, laid out as {@code
   * FusedPowerTuples.dependent()} ({@code 2d} blocks of {@code n}: block 0 {@code u}, 1 {@code m},
   * j {@code u^j}, {@code d + j − 1} {@code g_j}, {@code 2 ≤ j ≤ d}). {@code other} holds the range
   * from {@code otherOff} on (a piece as it arrived, or a whole half with {@code otherOff = i0}).
   * {@code first}: whether this is party 0 (which adds the {@code a^d} term).
   */
  public static void power(
      long[] mine,
      long[] other,
      int otherOff,
      long[] dep,
      int n,
      int f,
      int d,
      boolean first,
      long[] out,
      int i0,
      int i1) {
    if (d < 1 || d > MAX_DEGREE) {
      throw new IllegalArgumentException("fused power of degree " + d + ", not in [1, 8]");
    }
    if (f < 1 || f > 62) {
      throw new IllegalArgumentException("fused power with a shift of " + f + ", not in [1, 62]");
    }
    if (dep.length != 2L * d * n
        || mine.length < n
        || out.length < n
        || i0 < 0
        || i0 > i1
        || i1 > n
        || otherOff < 0
        || otherOff + (long) (i1 - i0) > other.length) {
      throw new IllegalArgumentException(
          "fused power of "
              + n
              + " elements, degree "
              + d
              + ": halves of "
              + mine.length
              + " and "
              + other.length
              + " (from "
              + otherOff
              + "), "
              + dep.length
              + " dependent longs, out of "
              + out.length
              + ", range ["
              + i0
              + ", "
              + i1
              + ")");
    }
    int shift = otherOff - i0; // c[i] = mine[i] + other[i + shift]
    int kShift = 64 - f; // K·x = x << (64 − f)
    long unshift = 1L << (62 - f);
    long lead = first ? -1L : 0L; // party 0 alone holds v^0 = 1
    if (d == 2) {
      int b2 = 2 * n;
      int b3 = 3 * n;
      for (int i = i0; i < i1; i++) {
        long ci = mine[i] + other[i + shift];
        long sel = ~(ci >> 63); // all ones iff msb(c) = 0
        long a = (ci >>> f) - unshift;
        long v1 = dep[i] - (sel & (dep[n + i] << kShift));
        long v2 = dep[b2 + i] + (sel & dep[b3 + i]);
        out[i] = ((lead & a) - (v1 << 1)) * a + v2; // first·a² − 2a·v1 + v2
      }
      return;
    }
    // Horner over j in blocks of elements: each pass over a block is one loop the JIT can
    // vectorise, and the block's halves and out stay in L1 across the d passes.
    long[] coef = COEFFICIENTS[d];
    for (int b0 = i0; b0 < i1; b0 += BLOCK) {
      int b1 = Math.min(i1, b0 + BLOCK);
      long c1 = coef[1];
      for (int i = b0; i < b1; i++) {
        long ci = mine[i] + other[i + shift];
        long sel = ~(ci >> 63);
        long a = (ci >>> f) - unshift;
        out[i] = (lead & a) + c1 * (dep[i] - (sel & (dep[n + i] << kShift)));
      }
      for (int j = 2; j <= d; j++) {
        int pj = j * n;
        int gj = (d + j - 1) * n;
        long cj = coef[j];
        for (int i = b0; i < b1; i++) {
          long ci = mine[i] + other[i + shift];
          long sel = ~(ci >> 63);
          long a = (ci >>> f) - unshift;
          out[i] = out[i] * a + cj * (dep[pj + i] + (sel & dep[gj + i]));
        }
      }
    }
  }

  private static long[][] coefficients() {
    long[][] coef = new long[MAX_DEGREE + 1][];
    long[] row = {1}; // C(d, ·), grown row by row
    for (int d = 1; d <= MAX_DEGREE; d++) {
      long[] next = new long[d + 1];
      next[0] = 1;
      next[d] = 1;
      for (int j = 1; j < d; j++) {
        next[j] = row[j - 1] + row[j];
      }
      row = next;
      coef[d] = new long[d + 1];
      for (int j = 0; j <= d; j++) {
        coef[d][j] = (j & 1) == 0 ? row[j] : -row[j];
      }
    }
    return coef;
  }
}
