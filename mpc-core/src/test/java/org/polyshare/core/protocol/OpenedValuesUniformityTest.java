package org.polyshare.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.RecordingLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.ring.FixedPoint;

/**
 * What a party receives during an op (masked openings) must be uniform whatever the secret, and a
 * fresh mask must hide each opening. For each op, each observer (party 0 and party 1) and two very
 * different secrets, the secret is the <em>other</em> party's input (the observer holds zeros, so
 * only masking stands between it and the secret), and the op runs twice on the same input in one
 * session. Checked, each with a chi-square test on one byte position (all 8, so the middle bits
 * too) of the received ring elements:
 *
 * <ul>
 *   <li>the values received in the first run are uniform (a zero or weak mask shows the secret);
 *   <li>the differences between the two runs' values are uniform (a reused mask cancels, leaving
 *       zeros).
 * </ul>
 *
 * <p>False-alarm rate: chi-square with 255 degrees of freedom exceeds {@value #CHI2_LIMIT} with
 * probability 5.1e-12 for uniform bytes. This class makes 5 ops × 2 observers × 2 secrets × 16
 * checks = 320 of them: a false alarm at most once in ~6·10^8 runs. {@link
 * #theChecksCatchZeroAndReusedMasks} shows they fail when the masking is broken.
 */
class OpenedValuesUniformityTest {
  private static final int N = 1 << 16;
  private static final double CHI2_LIMIT = 440;
  private static final long[] SECRETS = {0L, 0x3FFF_0123_4567_89ABL};

  /**
   * An op under test: set up once per party (may exchange messages), then applied to input shares.
   */
  private interface Op extends Function<Party, UnaryOperator<long[]>> {}

  /** What {@code observer} received in each of two runs of {@code op} on the same input. */
  private record Views(long[] first, long[] second) {}

  private static Views observe(int observer, long secret, Op op) {
    InProcessDealer dealer = new InProcessDealer();
    FixedPoint fp = FixedPoint.defaults();
    RecordingLink[] rec = new RecordingLink[1];
    long[][] views = new long[2][];
    Function<Integer, Function<PartyLink, long[]>> side =
        id ->
            link -> {
              PartyLink l = id == observer ? (rec[0] = new RecordingLink(link)) : link;
              Party p = new Party(id, l, dealer.source(id), fp);
              long[] x = new long[N];
              if (id != observer) {
                Arrays.fill(
                    x, secret); // the secret is the non-observer's input; the observer holds zeros
              }
              UnaryOperator<long[]> apply = op.apply(p);
              for (int run = 0; run < 2; run++) {
                int mark = id == observer ? rec[0].count() : 0;
                long[] unused = apply.apply(x.clone()); // only what the observer receives matters
                if (id == observer) {
                  views[run] = rec[0].since(mark);
                }
              }
              return null;
            };
    TwoParties.run(side.apply(0), side.apply(1));
    return new Views(views[0], views[1]);
  }

  static double chiSquare(long[] v, int shift) {
    long[] bins = new long[256];
    for (long x : v) {
      bins[(int) ((x >>> shift) & 0xFF)]++;
    }
    double expect = v.length / 256.0;
    double chi = 0;
    for (long b : bins) {
      chi += (b - expect) * (b - expect) / expect;
    }
    return chi;
  }

  /** The largest chi-square over the 8 byte positions of {@code v}. */
  static double worstByte(long[] v) {
    double worst = 0;
    for (int shift = 0; shift < 64; shift += 8) {
      worst = Math.max(worst, chiSquare(v, shift));
    }
    return worst;
  }

  /**
   * The worst chi-square of {@code op} over both checks for {@code observer} and {@code secret}.
   */
  private static double[] worst(int observer, long secret, Op op) {
    Views v = observe(observer, secret, op);
    assertTrue(
        v.first().length >= N,
        "observer " + observer + " received only " + v.first().length + " values");
    assertEquals(v.first().length, v.second().length, "both runs open as many values");
    long[] diff = new long[v.first().length];
    for (int i = 0; i < diff.length; i++) {
      diff[i] = v.second()[i] - v.first()[i];
    }
    return new double[] {worstByte(v.first()), worstByte(diff)};
  }

  private static void assertUniform(String name, Op op) {
    for (int observer = 0; observer < 2; observer++) {
      for (long secret : SECRETS) {
        double[] w = worst(observer, secret, op);
        assertTrue(
            w[0] < CHI2_LIMIT,
            name
                + ", observer party "
                + observer
                + ", secret "
                + Long.toHexString(secret)
                + ": received values are not uniform (worst byte chi2 "
                + w[0]
                + ")");
        assertTrue(
            w[1] < CHI2_LIMIT,
            name
                + ", observer party "
                + observer
                + ", secret "
                + Long.toHexString(secret)
                + ": two openings of the same secret differ non-uniformly: a mask is reused (worst byte chi2 "
                + w[1]
                + ")");
      }
    }
  }

  @Test
  void truncationOpeningsAreUniform() {
    assertUniform("dealer truncation", p -> x -> Truncation.dealer(p, x, 16));
  }

  @Test
  void fixedWeightOpeningsAreUniformToBothParties() {
    // A 1x1 conv over N pixels: the opened E = X − A (both parties), or X_1 − A_1 (owner-held).
    Conv2dShape s = new Conv2dShape(1, 1, N / 256, 256, 1, 1, 1, 1, 0);
    assertUniform(
        "fixed-weight conv",
        p -> {
          FixedWeightLinear layer =
              FixedWeightLinear.conv(p, 0, new long[] {p.id() == 0 ? 3 : 0}, s);
          return x -> layer.apply(p, x);
        });
    assertUniform(
        "owner-held conv",
        p -> {
          FixedWeightLinear layer =
              FixedWeightLinear.ownedConv(p, 0, p.id() == 0 ? new long[] {3} : null, s);
          return x -> layer.apply(p, x);
        });
  }

  @Test
  void beaverAndSquareOpeningsAreUniform() {
    assertUniform("beaver mul", p -> x -> Beaver.mulRaw(p, x, x));
    assertUniform("square", p -> x -> Beaver.squareRaw(p, x));
  }

  /** A hand-made opening of x + r: each party sends its share plus its mask share. */
  private static Op opening(boolean freshMask, boolean zeroMask) {
    return p -> {
      SplittableRandom rnd = new SplittableRandom(p.id() * 7919L + 1);
      long[] fixed = rnd.longs(N).toArray();
      return x -> {
        long[] r = zeroMask ? new long[N] : freshMask ? rnd.longs(N).toArray() : fixed;
        long[] mine = new long[N];
        for (int i = 0; i < N; i++) {
          mine[i] = x[i] + r[i];
        }
        p.link().send(77, mine);
        return p.link().receiveLongs(77);
      };
    };
  }

  @Test
  void theChecksCatchZeroAndReusedMasks() {
    long secret = SECRETS[1];
    double[] good = worst(0, secret, opening(true, false));
    assertTrue(
        good[0] < CHI2_LIMIT && good[1] < CHI2_LIMIT,
        "a fresh mask passes: " + Arrays.toString(good));
    assertTrue(
        worst(0, secret, opening(false, true))[0] > CHI2_LIMIT, "a zero mask must be caught");
    double[] reused = worst(1, secret, opening(false, false));
    assertTrue(
        reused[0] < CHI2_LIMIT,
        "a reused uniform mask looks uniform once: " + Arrays.toString(reused));
    assertTrue(
        reused[1] > CHI2_LIMIT,
        "a reused mask must be caught by the difference: " + Arrays.toString(reused));
  }
}
