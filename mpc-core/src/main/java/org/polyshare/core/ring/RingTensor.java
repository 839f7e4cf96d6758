package org.polyshare.core.ring;

import com.google.common.base.Preconditions;
import java.util.Arrays;

/**
 * A dense tensor over the ring Z_2^64: a shape (row-major, NCHW for images) and a {@code long[]}
 * whose arithmetic wraps, which is exactly reduction mod 2^64.
 *
 * <p>The data array is exposed on purpose: kernels and protocols work on it directly. Methods that
 * end in {@code InPlace} mutate this tensor; the others return a new one.
 */
public final class RingTensor {
  private final int[] shape;
  private final long[] data;

  private RingTensor(int[] shape, long[] data) {
    this.shape = shape;
    this.data = data;
  }

  /** Wraps {@code data} (not copied) with the given shape. */
  public static RingTensor of(long[] data, int... shape) {
    int[] s = shape.clone();
    long n = Shapes.numel(s);
    Preconditions.checkArgument(
        n == data.length,
        "shape %s holds %s elements but the data has %s",
        Arrays.toString(s),
        n,
        data.length);
    return new RingTensor(s, data);
  }

  public static RingTensor zeros(int... shape) {
    return new RingTensor(shape.clone(), new long[Math.toIntExact(Shapes.numel(shape))]);
  }

  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int axis) {
    return shape[axis];
  }

  public int numel() {
    return data.length;
  }

  /** The backing array, row-major. */
  public long[] data() {
    return data;
  }

  public RingTensor copy() {
    return new RingTensor(shape.clone(), data.clone());
  }

  /** Same data, new shape with the same element count. */
  public RingTensor reshape(int... newShape) {
    return of(data, newShape);
  }

  public boolean sameShape(RingTensor other) {
    return Arrays.equals(shape, other.shape);
  }

  private void checkSameShape(RingTensor other) {
    if (!sameShape(other)) {
      throw new IllegalArgumentException(
          "shape mismatch: " + Arrays.toString(shape) + " vs " + Arrays.toString(other.shape));
    }
  }

  public RingTensor add(RingTensor other) {
    return copy().addInPlace(other);
  }

  public RingTensor sub(RingTensor other) {
    return copy().subInPlace(other);
  }

  public RingTensor addInPlace(RingTensor other) {
    checkSameShape(other);
    RingOps.addInto(data, other.data, data);
    return this;
  }

  public RingTensor subInPlace(RingTensor other) {
    checkSameShape(other);
    RingOps.subInto(data, other.data, data);
    return this;
  }

  public RingTensor negInPlace() {
    for (int i = 0; i < data.length; i++) {
      data[i] = -data[i];
    }
    return this;
  }

  /** Multiplies every element by a public ring element (no truncation). */
  public RingTensor mulScalarInPlace(long k) {
    for (int i = 0; i < data.length; i++) {
      data[i] *= k;
    }
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RingTensor t
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "RingTensor" + Arrays.toString(shape);
  }
}
