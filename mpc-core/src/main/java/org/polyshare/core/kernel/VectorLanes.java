package org.polyshare.core.kernel;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LongLanes} on the JDK Vector API ({@code jdk.incubator.vector}): the column loops run
 * {@link #lanes()} columns per step (8 on AVX-512: {@code vpmullq}/{@code vpaddq} on zmm
 * registers), the last {@code len % lanes} columns through {@link ScalarLanes}. The 4×4 kernel
 * keeps its 16 A values broadcast in registers, so one step is 4 B loads, 4 C load/stores and 16
 * vector multiply-adds (24 of the 32 zmm registers). Only {@link RingKernels} loads this class, and
 * only after probing that the module is present.
 */
final class VectorLanes implements LongLanes {
  private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;

  static final VectorLanes INSTANCE = new VectorLanes();

  private VectorLanes() {}

  /** Long lanes in the preferred species on this machine. */
  static int lanes() {
    return S.length();
  }

  @Override
  public void kernel4x4(
      long[] c,
      int c0,
      int cStride,
      long[] b,
      int b0,
      int bStride,
      long[] a,
      int a0,
      int aStride,
      int len) {
    int r1 = a0 + aStride;
    int r2 = r1 + aStride;
    int r3 = r2 + aStride;
    LongVector a00 = LongVector.broadcast(S, a[a0]);
    LongVector a01 = LongVector.broadcast(S, a[a0 + 1]);
    LongVector a02 = LongVector.broadcast(S, a[a0 + 2]);
    LongVector a03 = LongVector.broadcast(S, a[a0 + 3]);
    LongVector a10 = LongVector.broadcast(S, a[r1]);
    LongVector a11 = LongVector.broadcast(S, a[r1 + 1]);
    LongVector a12 = LongVector.broadcast(S, a[r1 + 2]);
    LongVector a13 = LongVector.broadcast(S, a[r1 + 3]);
    LongVector a20 = LongVector.broadcast(S, a[r2]);
    LongVector a21 = LongVector.broadcast(S, a[r2 + 1]);
    LongVector a22 = LongVector.broadcast(S, a[r2 + 2]);
    LongVector a23 = LongVector.broadcast(S, a[r2 + 3]);
    LongVector a30 = LongVector.broadcast(S, a[r3]);
    LongVector a31 = LongVector.broadcast(S, a[r3 + 1]);
    LongVector a32 = LongVector.broadcast(S, a[r3 + 2]);
    LongVector a33 = LongVector.broadcast(S, a[r3 + 3]);
    int b1 = b0 + bStride;
    int b2 = b1 + bStride;
    int b3 = b2 + bStride;
    int c1 = c0 + cStride;
    int c2 = c1 + cStride;
    int c3 = c2 + cStride;
    int bound = S.loopBound(len);
    int j = 0;
    for (; j < bound; j += S.length()) {
      LongVector x0 = LongVector.fromArray(S, b, b0 + j);
      LongVector x1 = LongVector.fromArray(S, b, b1 + j);
      LongVector x2 = LongVector.fromArray(S, b, b2 + j);
      LongVector x3 = LongVector.fromArray(S, b, b3 + j);
      row(c, c0 + j, x0, x1, x2, x3, a00, a01, a02, a03);
      row(c, c1 + j, x0, x1, x2, x3, a10, a11, a12, a13);
      row(c, c2 + j, x0, x1, x2, x3, a20, a21, a22, a23);
      row(c, c3 + j, x0, x1, x2, x3, a30, a31, a32, a33);
    }
    if (j < len) {
      ScalarLanes.INSTANCE.kernel4x4(
          c, c0 + j, cStride, b, b0 + j, bStride, a, a0, aStride, len - j);
    }
  }

  /** {@code C[at..] += x0·w0 + x1·w1 + x2·w2 + x3·w3}, one vector of one C row. */
  private static void row(
      long[] c,
      int at,
      LongVector x0,
      LongVector x1,
      LongVector x2,
      LongVector x3,
      LongVector w0,
      LongVector w1,
      LongVector w2,
      LongVector w3) {
    LongVector.fromArray(S, c, at)
        .add(x0.mul(w0))
        .add(x1.mul(w1))
        .add(x2.mul(w2))
        .add(x3.mul(w3))
        .intoArray(c, at);
  }

  @Override
  public void axpy4(
      long[] c,
      int cOff,
      long[] b,
      int b0,
      int b1,
      int b2,
      int b3,
      long a0,
      long a1,
      long a2,
      long a3,
      int len) {
    LongVector w0 = LongVector.broadcast(S, a0);
    LongVector w1 = LongVector.broadcast(S, a1);
    LongVector w2 = LongVector.broadcast(S, a2);
    LongVector w3 = LongVector.broadcast(S, a3);
    int bound = S.loopBound(len);
    int j = 0;
    for (; j < bound; j += S.length()) {
      row(
          c,
          cOff + j,
          LongVector.fromArray(S, b, b0 + j),
          LongVector.fromArray(S, b, b1 + j),
          LongVector.fromArray(S, b, b2 + j),
          LongVector.fromArray(S, b, b3 + j),
          w0,
          w1,
          w2,
          w3);
    }
    if (j < len) {
      ScalarLanes.INSTANCE.axpy4(
          c, cOff + j, b, b0 + j, b1 + j, b2 + j, b3 + j, a0, a1, a2, a3, len - j);
    }
  }

  @Override
  public void axpy1(long[] c, int cOff, long[] b, int b0, long a0, int len) {
    LongVector w = LongVector.broadcast(S, a0);
    int bound = S.loopBound(len);
    int j = 0;
    for (; j < bound; j += S.length()) {
      LongVector.fromArray(S, c, cOff + j)
          .add(LongVector.fromArray(S, b, b0 + j).mul(w))
          .intoArray(c, cOff + j);
    }
    if (j < len) {
      ScalarLanes.INSTANCE.axpy1(c, cOff + j, b, b0 + j, a0, len - j);
    }
  }

  @Override
  public void multiplyAdd(long[] left, long[] right, long[] out, int n) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += S.length()) {
      LongVector.fromArray(S, out, i)
          .add(LongVector.fromArray(S, left, i).mul(LongVector.fromArray(S, right, i)))
          .intoArray(out, i);
    }
    for (; i < n; i++) {
      out[i] += left[i] * right[i];
    }
  }

  @Override
  public String describe() {
    return "vector (" + lanes() + " long lanes)";
  }
}
