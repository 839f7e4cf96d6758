package org.polyshare.core.ring;

import java.util.Arrays;

/** Shape arithmetic shared by tensors and layers. */
public final class Shapes {
  private Shapes() {}

  /** Element count of a shape; rejects negative dimensions and counts that do not fit an array. */
  public static long numel(int... shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " has too many elements for one array");
      }
    }
    return n;
  }
}
