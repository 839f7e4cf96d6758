package org.polyshare.core.protocol;

/**
 * Test inputs where a secure truncation by {@code 2^bits} is easiest to get wrong: zero and ±1, the
 * multiples of {@code 2^bits} and their neighbours (where the floor changes), and the ends of the
 * range {@code [−lim, lim)} (where a share wraps); then the test's own {@code more}.
 */
final class RingEdges {
  private RingEdges() {}

  static long[] around(int bits, long lim, long... more) {
    long step = 1L << bits;
    long[] edges = {
      0,
      1,
      -1,
      step,
      step - 1,
      step + 1,
      -step,
      -step - 1,
      -step + 1,
      lim - 1,
      lim - 2,
      -lim,
      -lim + 1,
      lim - step,
      lim - step - 1,
      -lim + step,
      -lim + step - 1
    };
    long[] out = java.util.Arrays.copyOf(edges, edges.length + more.length);
    System.arraycopy(more, 0, out, edges.length, more.length);
    return out;
  }
}
