package org.polyshare.core.fss;

import org.polyshare.core.prg.Prg;

/**
 * The dealer's side of {@link FssRelu}: from both parties' seed-derived material (mask shares and
 * key roots) it computes the dependent values to share and the bit-DCF correction blocks. The
 * secret bits (the sign mask ρ, the borrow mask ρ') come from {@code secret}, the dealer's own
 * randomness, which no party can replay.
 */
public final class FssReluDealing {
  /**
   * The dependent values in the layout of {@code FssReluKeys.dependent} (reconstructed targets, not
   * yet shared), and the sign keys' then the borrow keys' correction blocks.
   */
  public record Dealt(long[] dependent, long[] words) {}

  private FssReluDealing() {}

  /**
   * For {@code n} ReLUs: party b's material {@code own_b = {r, sign roots lo, hi[, borrow roots lo,
   * hi]}} (the roots' low bits are cleared in place).
   */
  public static Dealt deal(int bits, int shift, long[][] own0, long[][] own1, Prg secret) {
    int n = own0[0].length;
    long[] coins = secret.nextLongs(n);
    long[] signAlpha = new long[n];
    long[] signFlip = new long[n];
    long[] borrowAlpha = shift == 0 ? null : new long[n];
    long[] borrowFlip = shift == 0 ? null : new long[n];
    long[] dep = new long[(shift == 0 ? 2 : 7) * n];
    long signMask = (1L << bits) - 1;
    long borrowMask = (1L << shift) - 1;
    for (int i = 0; i < n; i++) {
      long r = own0[0][i] + own1[0][i];
      long rho = coins[i] & 1L;
      signAlpha[i] = r & signMask;
      signFlip[i] = rho ^ ((r >>> bits) & 1L);
      dep[i] = rho;
      if (shift == 0) {
        dep[n + i] = rho * r;
        continue;
      }
      long u = r >>> shift;
      long m = r >>> 63;
      long rho2 = (coins[i] >>> 1) & 1L;
      borrowAlpha[i] = r & borrowMask;
      borrowFlip[i] = rho2;
      dep[n + i] = u;
      dep[2 * n + i] = rho * u;
      dep[3 * n + i] = m;
      dep[4 * n + i] = rho * m;
      dep[5 * n + i] = rho2;
      dep[6 * n + i] = rho * rho2;
    }
    long[] sign =
        BitDcf.generate(bits, signAlpha, signFlip, own0[1], own0[2], own1[1], own1[2])[0].cw;
    if (shift == 0) {
      return new Dealt(dep, sign);
    }
    long[] borrow =
        BitDcf.generate(shift, borrowAlpha, borrowFlip, own0[3], own0[4], own1[3], own1[4])[0].cw;
    long[] words = java.util.Arrays.copyOf(sign, sign.length + borrow.length);
    System.arraycopy(borrow, 0, words, sign.length, borrow.length);
    return new Dealt(dep, words);
  }
}
