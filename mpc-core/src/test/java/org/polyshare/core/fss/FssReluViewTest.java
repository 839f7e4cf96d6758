package org.polyshare.core.fss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.core.link.ForwardingPartyLink;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.InProcessSession;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Tags;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.core.ring.FixedPoint;

/**
 * What each party learns from an {@link FssRelu} does not depend on the secret x. A party's view is
 * its own material (dealer-made, independent of x) and the peer's two messages; from its own sends
 * and those it reconstructs the opened values: round 1's {@code c = x + 2^k + r}, round 2's masked
 * sign bit {@code e = [x ≥ 0] ⊕ ρ} and masked borrow bit {@code e' = β' ⊕ ρ'}. Both parties
 * reconstruct the same values (checked), so testing them tests both views.
 *
 * <p>Party 0 holds a constant secret x in every element of a layer of {@value #N} and party 1
 * zeros, so nothing but the masks stands between the observer and x. Per secret (the range's two
 * edges {@code 2^k − 1} and {@code −2^k}, 0 and −1 around the sign change, {@code ±2^(k−1)} with
 * low bits all zero or all one) and width:
 *
 * <ul>
 *   <li>e and e' each have frequency 1/2: {@code (2·ones − N)²/N}, χ²(1);
 *   <li>the cell of {@code (e, c_k, c_0, e')} is uniform over its 16 values (8 without e'), χ²(15)
 *       or χ²(7): a mask tied to r would show as a correlation between the bits and c;
 *   <li>c is uniform: each of its 8 bytes and the byte around bit k over 256 bins, χ²(255);
 * </ul>
 *
 * and across secrets, the frequency of e on the non-negative secrets against the negative ones, and
 * of e' on the secrets with low bits zero against those with low bits one (where an unmasked β'
 * would be constant), two-sample χ²(1).
 *
 * <p>Each statistic is held to its χ²(m) quantile at 1 − 10^-9 (Wilson–Hilferty, z = 6.0; at m = 1
 * that is above the exact quantile, so the false alarm is lower still); 215 statistics over the
 * widths (k, f) = (40, 16), (62, 16) and (12, 0), a false alarm about once in 5·10^6 runs. Power: a
 * frequency off by δ gives {@code ≈ 4Nδ²}, over the limit (≈ 47 at m = 1) from δ ≈ 1.3 %; {@link
 * #theStatisticsCatchALeakOfAFewPercent} replaces e by the true sign in 6 % of the elements (a 3 %
 * bias) and is caught. Dropping the dealer's ρ makes e the sign itself and dropping ρ' makes e' the
 * borrow: both fail by orders of magnitude.
 */
class FssReluViewTest {
  private static final int N = 1 << 16;
  private static final double Z = 6.0;

  /** The opened values as one party reconstructs them, and the revealed output. */
  private record View(long[] c, long[] bits, long[] out) {}

  /** Keeps a copy of what its party sends and receives under the FSS ReLU's two tags. */
  private static final class ViewLink extends ForwardingPartyLink {
    private final Map<Integer, long[]> sent = new HashMap<>();
    private final Map<Integer, long[]> received = new HashMap<>();

    ViewLink(PartyLink inner) {
      super(inner);
    }

    @Override
    public void send(int tag, long[] data) {
      sent.put(tag, data.clone());
      super.send(tag, data);
    }

    @Override
    public long[] receiveLongs(int tag) {
      long[] l = super.receiveLongs(tag);
      received.put(tag, l.clone()); // the protocol reuses the received array
      return l;
    }

    /** {@code c} = own masked input + the peer's; the bits = own shares ⊕ the peer's. */
    View opened(long[] out) {
      long[] c = both(Tags.FSS_RELU)[0];
      long[] peer = both(Tags.FSS_RELU)[1];
      for (int i = 0; i < c.length; i++) {
        c[i] += peer[i];
      }
      long[][] b = both(Tags.FSS_RELU_BITS);
      for (int i = 0; i < b[0].length; i++) {
        b[0][i] ^= b[1][i];
      }
      return new View(c, b[0], out);
    }

    private long[][] both(int tag) {
      if (!sent.containsKey(tag) || !received.containsKey(tag)) {
        throw new AssertionError("no message under tag " + tag + " sent and received");
      }
      return new long[][] {sent.get(tag), received.get(tag)};
    }
  }

  /** Runs one layer of N FSS ReLUs on the constant secret x; both parties' views, checked equal. */
  private static View view(int bits, int shift, long x) {
    InProcessSession session = new InProcessSession(new FixedPoint(16), TruncationMode.EXACT);
    long[] secret = new long[N];
    Arrays.fill(secret, x);
    TwoParties.Result<View> r =
        session.run(
            p -> {
              ViewLink link = new ViewLink(p.link());
              Party q =
                  new Party(p.id(), link, p.correlations(), p.fixedPoint(), p.truncationMode());
              return link.opened(FssRelu.relu(q, p.id() == 0 ? secret : new long[N], bits, shift));
            });
    View v0 = r.party0();
    View v1 = r.party1();
    assertArrayEquals(v0.c(), v1.c(), "both parties open the same c");
    assertArrayEquals(v0.bits(), v1.bits(), "both parties open the same bits");
    long want = Math.max(x, 0) >> shift;
    for (int i = 0; i < N; i++) {
      if (v0.out()[i] + v1.out()[i] != want) {
        throw new AssertionError("x = " + x + ": element " + i + " is not ⌊ReLU(x)/2^f⌋");
      }
    }
    return v0;
  }

  /** The χ²(m) quantile at 1 − 10^-9, Wilson–Hilferty. */
  private static double limit(int m) {
    double a = 2.0 / (9.0 * m);
    return m * Math.pow(1 - a + Z * Math.sqrt(a), 3);
  }

  private static long bit(long[] words, int word0, int i) {
    return (words[word0 + (i >>> 6)] >>> (i & 63)) & 1L;
  }

  /** Ones among e (which 0) or e' (which 1). */
  private static long ones(View v, int which) {
    int word0 = which * FssRelu.words(N);
    long c = 0;
    for (int i = 0; i < N; i++) {
      c += bit(v.bits(), word0, i);
    }
    return c;
  }

  private static double frequency(long ones) {
    double d = 2.0 * ones - N;
    return d * d / N;
  }

  private static double twoSample(long onesA, long nA, long onesB, long nB) {
    double p = (onesA + onesB) / (double) (nA + nB);
    double d = onesA / (double) nA - onesB / (double) nB;
    return d * d / (p * (1 - p) * (1.0 / nA + 1.0 / nB));
  }

  private static double cells(long[] count, long total) {
    double expect = total / (double) count.length;
    double chi = 0;
    for (long c : count) {
      chi += (c - expect) * (c - expect) / expect;
    }
    return chi;
  }

  private static double byteOf(long[] c, int shift) {
    long[] bins = new long[256];
    for (long v : c) {
      bins[(int) ((v >>> shift) & 0xFF)]++;
    }
    return cells(bins, c.length);
  }

  /** The cells of {@code (e, c_k, c_0[, e'])}: 8, or 16 with a borrow bit. */
  private static double joint(View v, int bits, boolean borrow) {
    long[] count = new long[borrow ? 16 : 8];
    int w = FssRelu.words(N);
    for (int i = 0; i < N; i++) {
      long cell = bit(v.bits(), 0, i) | ((v.c()[i] >>> bits) & 1) << 1 | (v.c()[i] & 1) << 2;
      count[(int) (borrow ? cell | bit(v.bits(), w, i) << 3 : cell)]++;
    }
    return cells(count, N);
  }

  /** Collects statistics and their limits; {@link #worst} is the largest ratio. */
  private static final class Checks {
    private final List<String> failed = new ArrayList<>();
    private double worst;
    private int made;

    void check(String what, double stat, int dof) {
      double ratio = stat / limit(dof);
      worst = Math.max(worst, ratio);
      made++;
      if (ratio > 1) {
        failed.add(String.format("%s: χ²(%d) = %.1f > %.1f", what, dof, stat, limit(dof)));
      }
    }
  }

  /** Every statistic of the class comment for one secret's view. */
  private static void single(Checks ch, String what, View v, int bits, int shift) {
    ch.check(what + ", frequency of e", frequency(ones(v, 0)), 1);
    if (shift > 0) {
      ch.check(what + ", frequency of e'", frequency(ones(v, 1)), 1);
    }
    ch.check(what + ", cells of (e, c_k, c_0, e')", joint(v, bits, shift > 0), shift > 0 ? 15 : 7);
    for (int s = 0; s < 64; s += 8) {
      ch.check(what + ", byte " + s / 8 + " of c", byteOf(v.c(), s), 255);
    }
    int around = Math.min(56, Math.max(0, bits - 4));
    ch.check(what + ", the byte of c around bit k", byteOf(v.c(), around), 255);
  }

  @Test
  void openedValuesDoNotDependOnTheSecret() {
    Checks ch = new Checks();
    for (int[] bs : new int[][] {{40, 16}, {62, 16}, {12, 0}}) {
      int bits = bs[0];
      int shift = bs[1];
      long lim = 1L << bits;
      long half = lim >>> 1;
      long[] xs = {lim - 1, -lim, 0, -1, half, -half - 1};
      long[] eOnes = new long[2];
      long[] eNum = new long[2];
      long[] e2Ones = new long[2];
      long[] e2Num = new long[2];
      for (long x : xs) {
        String what = "k = " + bits + ", f = " + shift + ", x = " + x;
        View v = view(bits, shift, x);
        single(ch, what, v, bits, shift);
        int sign = x >= 0 ? 1 : 0;
        eOnes[sign] += ones(v, 0);
        eNum[sign] += N;
        if (shift > 0) {
          int low = (x & ((1L << shift) - 1)) == 0 ? 0 : 1;
          e2Ones[low] += ones(v, 1);
          e2Num[low] += N;
        }
      }
      String w = "k = " + bits + ", f = " + shift;
      ch.check(
          w + ", e on x ≥ 0 against x < 0", twoSample(eOnes[1], eNum[1], eOnes[0], eNum[0]), 1);
      if (shift > 0) {
        ch.check(
            w + ", e' on low bits 0 against low bits 1",
            twoSample(e2Ones[0], e2Num[0], e2Ones[1], e2Num[1]),
            1);
      }
    }
    System.out.printf(
        "FSS ReLU views: %d statistics, the largest at %.2f of its 1e-9 limit%n",
        ch.made, ch.worst);
    assertEquals(215, ch.made, "statistics made (the false-alarm count of the class comment)");
    assertTrue(ch.failed.isEmpty(), "the opened values depend on x: " + ch.failed);
  }

  /**
   * The same statistics on a view that shows the true sign in 6 % of the elements (e biased 3 %).
   */
  @Test
  void theStatisticsCatchALeakOfAFewPercent() {
    SplittableRandom rnd = new SplittableRandom(7);
    Checks ch = new Checks();
    for (long x : new long[] {(1L << 40) - 1, -(1L << 40)}) {
      View v = view(40, 16, x);
      long d = x >= 0 ? 1 : 0;
      for (int i = 0; i < N; i++) {
        if (rnd.nextInt(100) < 6) {
          long mask = 1L << (i & 63);
          v.bits()[i >>> 6] = (v.bits()[i >>> 6] & ~mask) | (d << (i & 63));
        }
      }
      ch.check("x = " + x + " with a 3 % leak, frequency of e", frequency(ones(v, 0)), 1);
    }
    assertEquals(2, ch.failed.size(), "a 3 % leak of the sign went unnoticed: " + ch.worst);
  }
}
