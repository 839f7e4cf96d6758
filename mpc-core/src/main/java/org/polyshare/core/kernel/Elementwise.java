package org.polyshare.core.kernel;

/** The elementwise product of two vectors of {@code n} elements. */
public record Elementwise(int n) implements BilinearMap {
  static final int CODE = 1;

  public Elementwise {
    if (n < 1) {
      throw new IllegalArgumentException("elementwise product needs n >= 1, got " + n);
    }
  }

  @Override
  public int leftNumel() {
    return n;
  }

  @Override
  public int rightNumel() {
    return n;
  }

  @Override
  public int outputNumel() {
    return n;
  }

  @Override
  public int[] outputShape() {
    return new int[] {n};
  }

  @Override
  public void applyAdd(long[] left, long[] right, long[] out) {
    if (left.length != n || right.length != n || out.length != n) {
      throw new IllegalArgumentException(
          "elementwise operands of "
              + left.length
              + ", "
              + right.length
              + " and "
              + out.length
              + " elements, the map needs "
              + n);
    }
    RingKernels.lanes().multiplyAdd(left, right, out, n);
  }

  /** An elementwise product has no batch axis of its own: refused. */
  @Override
  public BilinearMap withBatch(int batch) {
    throw new UnsupportedOperationException("an elementwise product has no batch axis: " + this);
  }

  @Override
  public long[] encode() {
    return new long[] {CODE, n};
  }
}
