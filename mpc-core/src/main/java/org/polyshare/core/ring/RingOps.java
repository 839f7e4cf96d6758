package org.polyshare.core.ring;

/**
 * Elementwise kernels over Z_2^64 on raw arrays; Java's wrapping {@code long} arithmetic is the
 * ring.
 */
public final class RingOps {
  private RingOps() {}

  public static void addInto(long[] a, long[] b, long[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = a[i] + b[i];
    }
  }

  public static void subInto(long[] a, long[] b, long[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = a[i] - b[i];
    }
  }

  public static void mulInto(long[] a, long[] b, long[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = a[i] * b[i];
    }
  }

  public static long[] add(long[] a, long[] b) {
    long[] out = new long[a.length];
    addInto(a, b, out);
    return out;
  }

  public static long[] sub(long[] a, long[] b) {
    long[] out = new long[a.length];
    subInto(a, b, out);
    return out;
  }
}
