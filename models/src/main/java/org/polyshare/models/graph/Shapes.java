package org.polyshare.models.graph;

import java.util.Arrays;

/** Shape helpers for per-sample activations. */
public final class Shapes {
  private Shapes() {}

  public static int size(int[] shape) {
    return Model.size(shape);
  }

  static void checkPositive(int[] shape, String what) {
    if (shape == null || shape.length == 0) {
      throw new IllegalArgumentException(what + " has no shape");
    }
    for (int d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            what + " has shape " + Arrays.toString(shape) + "; every dimension must be positive");
      }
    }
  }
}
