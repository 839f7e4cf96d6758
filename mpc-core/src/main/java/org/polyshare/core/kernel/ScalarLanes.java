package org.polyshare.core.kernel;

/**
 * {@link LongLanes} in plain Java loops, left to HotSpot's superword pass: the fallback when the
 * Vector API is absent or slow, the tail of the vector loops, and the oracle of their tests.
 */
final class ScalarLanes implements LongLanes {
  static final ScalarLanes INSTANCE = new ScalarLanes();

  private ScalarLanes() {}

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
    long a00 = a[a0];
    long a01 = a[a0 + 1];
    long a02 = a[a0 + 2];
    long a03 = a[a0 + 3];
    int r1 = a0 + aStride;
    long a10 = a[r1];
    long a11 = a[r1 + 1];
    long a12 = a[r1 + 2];
    long a13 = a[r1 + 3];
    int r2 = r1 + aStride;
    long a20 = a[r2];
    long a21 = a[r2 + 1];
    long a22 = a[r2 + 2];
    long a23 = a[r2 + 3];
    int r3 = r2 + aStride;
    long a30 = a[r3];
    long a31 = a[r3 + 1];
    long a32 = a[r3 + 2];
    long a33 = a[r3 + 3];
    int b1 = b0 + bStride;
    int b2 = b1 + bStride;
    int b3 = b2 + bStride;
    int c1 = c0 + cStride;
    int c2 = c1 + cStride;
    int c3 = c2 + cStride;
    for (int j = 0; j < len; j++) {
      long x0 = b[b0 + j];
      long x1 = b[b1 + j];
      long x2 = b[b2 + j];
      long x3 = b[b3 + j];
      c[c0 + j] += a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3;
      c[c1 + j] += a10 * x0 + a11 * x1 + a12 * x2 + a13 * x3;
      c[c2 + j] += a20 * x0 + a21 * x1 + a22 * x2 + a23 * x3;
      c[c3 + j] += a30 * x0 + a31 * x1 + a32 * x2 + a33 * x3;
    }
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
    for (int j = 0; j < len; j++) {
      c[cOff + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
    }
  }

  @Override
  public void axpy1(long[] c, int cOff, long[] b, int b0, long a0, int len) {
    for (int j = 0; j < len; j++) {
      c[cOff + j] += a0 * b[b0 + j];
    }
  }

  @Override
  public void multiplyAdd(long[] left, long[] right, long[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] += left[i] * right[i];
    }
  }

  @Override
  public String describe() {
    return "scalar";
  }
}
