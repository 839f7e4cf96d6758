package org.polyshare.core.correlation;

import org.polyshare.core.fss.DcfKeys;

/**
 * One party's shares of {@code n} fused truncate-and-power tuples (request {@link
 * CorrelationRequest.FusedPower}): the mask {@code r} and, in {@code dependent}, {@code 2·d} blocks
 * of {@code n} longs (d the degree, {@code K = 2^(64−f)}): block 0 {@code u = r >>> f}, block 1
 * {@code m = msb r}, block {@code j} ({@code 2 ≤ j ≤ d}) {@code u^j}, block {@code d + j − 1}
 * ({@code 2 ≤ j ≤ d}) {@code g_j = m·((u − K)^j − u^j)}. {@code borrow} is null unless exact: then
 * this party's DCF keys, threshold {@code r mod 2^f}, payload {@code (1, u, …, u^(d−1), g_1, …,
 * g_(d−1))} with {@code g_1 = −K·m}.
 */
public record FusedPowerTuples(int fracBits, int degree, long[] r, long[] dependent, DcfKeys borrow)
    implements Correlation {
  public FusedPowerTuples {
    if (dependent.length != 2L * degree * r.length) {
      throw new IllegalArgumentException(
          "fused power: "
              + dependent.length
              + " dependent longs for "
              + r.length
              + " tuples of degree "
              + degree
              + ", expected "
              + 2L * degree * r.length);
    }
    if (borrow != null
        && (borrow.count() != r.length
            || borrow.bits() != fracBits
            || borrow.width() != 2 * degree - 1)) {
      throw new IllegalArgumentException(
          "fused power: "
              + borrow
              + " do not match "
              + r.length
              + " tuples of shift "
              + fracBits
              + " and degree "
              + degree);
    }
  }

  public int size() {
    return r.length;
  }

  /** Block of {@code u^j} in {@link #dependent}, {@code 1 ≤ j ≤ degree}. */
  public static int powerBlock(int j) {
    return j == 1 ? 0 : j;
  }

  /** Block of {@code g_j} in {@link #dependent}, {@code 2 ≤ j ≤ degree}. */
  public static int wrapBlock(int degree, int j) {
    return degree + j - 1;
  }
}
