package org.polyshare.models.graph;

import java.util.Arrays;
import java.util.List;

/** Argument checks whose messages name the layer. */
final class Check {
  private Check() {}

  static void that(boolean ok, String layer, String fmt, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException("layer '" + layer + "': " + String.format(fmt, args));
    }
  }

  static void name(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a layer needs a non-empty name");
    }
  }

  static void length(double[] a, long n, String layer, String what) {
    that(a != null, layer, "%s is missing", what);
    that(a.length == n, layer, "%s has %d values, expected %d", what, a.length, n);
  }

  static void finite(double[] a, String layer, String what) {
    for (int i = 0; i < a.length; i++) {
      that(Double.isFinite(a[i]), layer, "%s[%d] is not finite", what, i);
    }
  }

  static int[] one(List<int[]> in, String layer) {
    that(in.size() == 1, layer, "expects 1 input, got %d", in.size());
    return in.get(0);
  }

  static int[] chw(List<int[]> in, String layer) {
    int[] s = one(in, layer);
    that(s.length == 3, layer, "expects a [C, H, W] input, got %s", Arrays.toString(s));
    return s;
  }

  /** Output size of a sliding window: floor((n + 2p − k) / s) + 1. */
  static int window(int n, int k, int s, int p, String layer) {
    int span = n + 2 * p - k;
    that(span >= 0, layer, "kernel %d does not fit input %d with padding %d", k, n, p);
    return span / s + 1;
  }
}
