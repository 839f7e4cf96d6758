package org.polyshare.core.correlation;

import org.polyshare.core.fss.BitDcfKeys;

/**
 * One party's material for {@code n} FSS ReLUs on inputs {@code |x| < 2^bits} with the truncation
 * by {@code shift} folded in (see {@code org.polyshare.core.fss.FssRelu}): its share of the input
 * mask {@code r}; its arithmetic shares of the dependent values, {@code dependent[j·n + i]} for
 * value j of element i,
 *
 * <ul>
 *   <li>shift 0: {@code ρ, ρ·r};
 *   <li>shift f > 0: {@code ρ, u = r >>> f, ρ·u, m = msb r, ρ·m, ρ', ρ·ρ'};
 * </ul>
 *
 * with {@code ρ, ρ'} the dealer's secret mask bits of the sign and of the borrow; and its bit-DCF
 * keys: {@code sign} on {@code bits}-bit inputs (threshold {@code r mod 2^bits}, flip {@code ρ ⊕
 * bit_bits(r)}), {@code borrow} on {@code shift}-bit inputs (threshold {@code r mod 2^f}, flip
 * {@code ρ'}; null at shift 0).
 */
public record FssReluKeys(
    int bits, int shift, long[] r, long[] dependent, BitDcfKeys sign, BitDcfKeys borrow)
    implements Correlation {
  /** Dependent values per element: 2 at shift 0, 7 with a folded truncation. */
  public static int dependentPerElement(int shift) {
    return shift == 0 ? 2 : 7;
  }

  public FssReluKeys {
    int n = r.length;
    if (sign.count() != n
        || sign.bits() != bits
        || dependent.length != (long) dependentPerElement(shift) * n
        || (shift == 0) != (borrow == null)
        || (borrow != null && (borrow.count() != n || borrow.bits() != shift))) {
      throw new IllegalArgumentException(
          "FSS ReLU: "
              + sign
              + (borrow == null ? "" : " and " + borrow)
              + " with "
              + dependent.length
              + " dependent values do not match "
              + n
              + " ReLUs of "
              + bits
              + "-bit inputs, shift "
              + shift);
    }
  }

  public int size() {
    return r.length;
  }

  /** Dealer bytes of the keys to this party (the mask correction, to one party, not included). */
  public long keyBytes() {
    return sign.wireBytes() + (borrow == null ? 0 : borrow.wireBytes());
  }
}
