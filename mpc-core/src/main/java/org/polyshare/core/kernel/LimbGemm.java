package org.polyshare.core.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C += A · B} over Z_2^64 when every entry of A is narrow ({@code |a| < 2^α}, α ≤ {@value
 * #MAX_ALPHA}) and B is arbitrary, by three exact double-precision products. That is the shape of
 * the owner's online product ({@code E ⊗ W}: fixed-point weights on the left of a convolution's
 * GEMM, the uniform masked input on the right) and of the plaintext forward. Where the long lanes
 * are 4 wide (AVX2) the JIT emulates the 64-bit lane multiply with three 32-bit ones; four doubles
 * per FMA instead do a limb multiply-add in one instruction. {@link RingKernels} decides where this
 * path runs; results are bit-identical to {@link RingGemm#serial}.
 *
 * <p><b>The split.</b> Each {@code b} is cut into limbs {@code b = L0 + 2^22·L1 + 2^43·L2} with
 * {@code L0 < 2^22}, {@code L1, L2 < 2^21}, so {@code Σ_p a_p·b_p ≡ Σ_l 2^{s_l}·(Σ_p a_p·L_{l,p})
 * (mod 2^64)}, A read as signed. Each inner sum runs in doubles over chunks of {@code kc} reduction
 * steps, starting from {@code M = 1.5·2^52}. With {@code kc ≤ 2^(29−α)} every partial sum {@code Σ}
 * satisfies {@code |Σ| < kc·2^α·2^22 ≤ 2^51}, so {@code M + Σ} is an integer in {@code [2^52,
 * 2^53)}, where doubles are exactly the integers: every FMA is exact (its true result is
 * representable) and the bits of {@code M + Σ} minus the bits of M are Σ itself, as a long, with no
 * conversion instruction (AVX2 has no packed double→int64). Limbs enter the same way: {@code L |
 * bits(2^52)} read as a double is {@code 2^52 + L}.
 *
 * <p><b>Blocking</b> (GotoBLAS-style packing): a panel of B, {@code kc × }{@value #NB} columns, is
 * cut into limbs once and stored tile by tile ({@code [limb][tile][p][8]}, 3·128·128·8 bytes = 384
 * KiB, in L2), and each quad of A rows is packed as {@code [p][4]}, so the micro-kernel streams
 * both. The micro-kernel holds a 4×8 tile of one limb in eight accumulators: per step 2 loads, 4
 * broadcasts, 8 FMAs. Rows beyond the last quad and columns beyond the last 8-column tile take the
 * long lanes.
 */
final class LimbGemm {
  /** Widest A for which the double sums stay exact with a chunk of at least {@value #MIN_KC}. */
  static final int MAX_ALPHA = 26;

  static final int MIN_KC = 8;
  static final int KC = 128;
  static final int NB = 128;

  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
  private static final VectorSpecies<Long> L = LongVector.SPECIES_256;

  /** {@code 1.5·2^52}: the accumulators' start; integers up to ±2^51 around it are exact. */
  private static final double MAGIC = 0x1.8p52;

  private static final long MAGIC_BITS = Double.doubleToRawLongBits(MAGIC);

  /** {@code 2^52}: {@code L | bits(2^52)} read as a double is {@code 2^52 + L} for L < 2^52. */
  private static final double TWO52 = 0x1p52;

  private static final long TWO52_BITS = Double.doubleToRawLongBits(TWO52);
  static final int SHIFT1 = 22;
  static final int SHIFT2 = 43;
  static final long MASK0 = (1L << SHIFT1) - 1;
  static final long MASK1 = (1L << (SHIFT2 - SHIFT1)) - 1;
  private static final int[] LIMB_SHIFTS = {0, SHIFT1, SHIFT2};

  /** Each thread's packed panels (a product runs within one call on one thread). */
  private static final ThreadLocal<Panels> PANELS = ThreadLocal.withInitial(Panels::new);

  private static final class Panels {
    final double[] b = new double[3 * KC * NB];
    final double[] a = new double[4 * KC];
  }

  private LimbGemm() {}

  /** Whether this CPU's vectors hold the 256-bit species the kernel is written for. */
  static boolean fits() {
    return LongVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
  }

  /**
   * The least α with {@code |a| < 2^α} over the {@code m×k} block of A at {@code aOff} (row stride
   * {@code lda}), or 64 as soon as an entry is at least {@code 2^}{@value #MAX_ALPHA} in magnitude
   * (the scan stops there: a uniform operand costs a few reads).
   */
  static int alpha(long[] a, int aOff, int lda, int m, int k) {
    long limit = 1L << MAX_ALPHA;
    long or = 0;
    for (int i = 0; i < m; i++) {
      int row = aOff + i * lda;
      for (int p = 0; p < k; p++) {
        long v = a[row + p];
        long mag = v < 0 ? -v : v; // Long.MIN_VALUE stays negative and fails the test below
        if (mag >= limit || mag < 0) {
          return 64;
        }
        or |= mag;
      }
    }
    return 64 - Long.numberOfLeadingZeros(or);
  }

  /** The reduction chunk for entries below {@code 2^alpha}: {@code min(KC, 2^(29−α))}. */
  static int chunk(int alpha) {
    return alpha > 29 ? 0 : Math.min(KC, 1 << (29 - alpha));
  }

  /**
   * {@link RingGemm#serial}'s product for an A whose entries are below {@code 2^alpha} (from {@link
   * #alpha}, at most {@value #MAX_ALPHA}); same operands and strides.
   */
  static void serial(
      LongLanes lanes,
      int alpha,
      long[] a,
      int aOff,
      int lda,
      long[] b,
      int bOff,
      int ldb,
      long[] c,
      int cOff,
      int ldc,
      int m,
      int k,
      int n) {
    int kc = chunk(alpha);
    if (kc < MIN_KC) {
      throw new IllegalArgumentException(
          "A entries below 2^" + alpha + " are too wide for the limb product");
    }
    int m4 = m & ~3;
    int n8 = n & ~7;
    Panels panels = PANELS.get();
    for (int jj = 0; jj < n8; jj += NB) {
      int w = Math.min(NB, n8 - jj);
      for (int pp = 0; pp < k; pp += kc) {
        int kl = Math.min(kc, k - pp);
        packB(b, bOff + pp * ldb + jj, ldb, kl, w, kc, panels.b);
        for (int i = 0; i < m4; i += 4) {
          packA(a, aOff + i * lda + pp, lda, kl, panels.a);
          int cRow = cOff + i * ldc + jj;
          for (int t = 0; t < w / 8; t++) {
            for (int limb = 0; limb < 3; limb++) {
              tile(
                  panels.a,
                  0,
                  panels.b,
                  (limb * NB / 8 + t) * kc * 8,
                  kl,
                  c,
                  cRow + 8 * t,
                  ldc,
                  LIMB_SHIFTS[limb]);
            }
          }
        }
      }
    }
    if (m4 < m) {
      RingGemm.serial(
          lanes, a, aOff + m4 * lda, lda, b, bOff, ldb, c, cOff + m4 * ldc, ldc, m - m4, k, n);
    }
    if (n8 < n && m4 > 0) {
      RingGemm.serial(lanes, a, aOff, lda, b, bOff + n8, ldb, c, cOff + n8, ldc, m4, k, n - n8);
    }
  }

  /**
   * Limbs of the {@code kl × w} panel of B at {@code b0} (row stride {@code ldb}; w a multiple of
   * 8) into {@code out[limb][tile][p][8]}, each tile {@code kc·8} doubles.
   */
  private static void packB(long[] b, int b0, int ldb, int kl, int w, int kc, double[] out) {
    LongVector exp = LongVector.broadcast(L, TWO52_BITS);
    int limbStride = NB / 8 * kc * 8;
    for (int p = 0; p < kl; p++) {
      int src = b0 + p * ldb;
      for (int t = 0; t < w / 8; t++) {
        int dst = t * kc * 8 + p * 8;
        for (int h = 0; h < 8; h += 4) {
          LongVector v = LongVector.fromArray(L, b, src + 8 * t + h);
          asDouble(v.and(MASK0), exp).intoArray(out, dst + h);
          asDouble(v.lanewise(VectorOperators.LSHR, SHIFT1).and(MASK1), exp)
              .intoArray(out, limbStride + dst + h);
          asDouble(v.lanewise(VectorOperators.LSHR, SHIFT2), exp)
              .intoArray(out, 2 * limbStride + dst + h);
        }
      }
    }
  }

  /** The exact double of each lane {@code 0 ≤ x < 2^52}: {@code (x | bits(2^52)) − 2^52}. */
  private static DoubleVector asDouble(LongVector x, LongVector exp) {
    return x.or(exp).reinterpretAsDoubles().sub(TWO52);
  }

  /** Rows {@code [0, 4)} of A at {@code a0} (stride {@code lda}), {@code kl} columns, as [p][4]. */
  private static void packA(long[] a, int a0, int lda, int kl, double[] out) {
    for (int r = 0; r < 4; r++) {
      int row = a0 + r * lda;
      for (int p = 0; p < kl; p++) {
        out[4 * p + r] = a[row + p];
      }
    }
  }

  /**
   * {@code C[4×8 at c0] += 2^shift · (A quad at ao · B tile at bo)} over {@code kl} steps: A packed
   * {@code [p][4]}, B {@code [p][8]}, both exact integers whose partial sums stay below 2^51 in
   * magnitude (the caller's chunk); also the micro-kernel of {@link WinogradConv}.
   */
  static void tile(
      double[] ap, int ao, double[] bp, int bo, int kl, long[] c, int c0, int ldc, int shift) {
    DoubleVector c00 = DoubleVector.broadcast(D, MAGIC);
    DoubleVector c01 = c00;
    DoubleVector c10 = c00;
    DoubleVector c11 = c00;
    DoubleVector c20 = c00;
    DoubleVector c21 = c00;
    DoubleVector c30 = c00;
    DoubleVector c31 = c00;
    for (int p = 0; p < kl; p++) {
      int x = bo + 8 * p;
      int y = ao + 4 * p;
      DoubleVector x0 = DoubleVector.fromArray(D, bp, x);
      DoubleVector x1 = DoubleVector.fromArray(D, bp, x + 4);
      DoubleVector w0 = DoubleVector.broadcast(D, ap[y]);
      c00 = x0.fma(w0, c00);
      c01 = x1.fma(w0, c01);
      DoubleVector w1 = DoubleVector.broadcast(D, ap[y + 1]);
      c10 = x0.fma(w1, c10);
      c11 = x1.fma(w1, c11);
      DoubleVector w2 = DoubleVector.broadcast(D, ap[y + 2]);
      c20 = x0.fma(w2, c20);
      c21 = x1.fma(w2, c21);
      DoubleVector w3 = DoubleVector.broadcast(D, ap[y + 3]);
      c30 = x0.fma(w3, c30);
      c31 = x1.fma(w3, c31);
    }
    flush(c, c0, c00, shift);
    flush(c, c0 + 4, c01, shift);
    flush(c, c0 + ldc, c10, shift);
    flush(c, c0 + ldc + 4, c11, shift);
    flush(c, c0 + 2 * ldc, c20, shift);
    flush(c, c0 + 2 * ldc + 4, c21, shift);
    flush(c, c0 + 3 * ldc, c30, shift);
    flush(c, c0 + 3 * ldc + 4, c31, shift);
  }

  /** {@code C[at..at+4) += (bits(acc) − bits(M)) << shift}: the exact sum, at its limb's place. */
  private static void flush(long[] c, int at, DoubleVector acc, int shift) {
    LongVector sum = acc.reinterpretAsLongs().sub(MAGIC_BITS).lanewise(VectorOperators.LSHL, shift);
    LongVector.fromArray(L, c, at).add(sum).intoArray(c, at);
  }
}
