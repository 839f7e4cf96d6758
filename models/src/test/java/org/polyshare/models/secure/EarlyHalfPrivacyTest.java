package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.link.ForwardingPartyLink;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.prg.Seed;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Tags;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;
import org.polyshare.models.zoo.ZooCache;

/**
 * What party 0 receives in the offline phase — party 1's early halves of the openings that read a
 * product ({@link CarryPlan.EarlyHalf}) — is independent of party 1's input: with the dealer's
 * seeds fixed, two different inputs give party 0 the same words bit for bit (they are a function of
 * dealer material and the opened weight masks), and under fresh seeds each word's 64 bits are
 * balanced, for either input. The offline steps run streamed, so the input is already in party 1's
 * hands while it sends them.
 */
class EarlyHalfPrivacyTest {
  private static final String MODEL = "lenet5-pkn";

  /** Party 0's link, keeping every early half it reads. */
  private static final class Recording extends ForwardingPartyLink {
    final List<long[]> early = new ArrayList<>();

    Recording(PartyLink delegate) {
      super(delegate);
    }

    @Override
    public long[] receiveLongs(int tag) {
      long[] v = super.receiveLongs(tag);
      if (tag == Tags.EARLY_HALF) {
        early.add(v.clone());
      }
      return v;
    }
  }

  private record Run(long[] early, double[] logits) {}

  /** One streamed inference of {@code input}, the dealer's seeds drawn from {@code dealerSeed}. */
  private static Run run(double[] input, long dealerSeed) {
    Model owner = ZooCache.get(MODEL);
    SecureOptions o = SecureOptions.defaults();
    SecureModel sm0 = SecureModel.compile(owner, 1, o);
    SecureModel sm1 = SecureModel.compile(Zoo.architecture(MODEL), 1, o);
    SplittableRandom seeds = new SplittableRandom(dealerSeed);
    InProcessDealer dealer =
        new InProcessDealer(
            () -> {
              byte[] b = new byte[Seed.BYTES];
              for (int i = 0; i < b.length; i++) {
                b[i] = (byte) seeds.nextInt();
              }
              return Seed.of(b);
            });
    Recording[] rec = new Recording[1];
    TwoParties.Result<SecureResult> r =
        TwoParties.run(
            Duration.ofSeconds(120),
            link -> {
              rec[0] = new Recording(link);
              Party p = new Party(0, rec[0], dealer.source(0), owner.fixedPoint(), o.truncation());
              return sm0.open(p).streamOffline(true).online(null);
            },
            link -> {
              Party p = new Party(1, link, dealer.source(1), owner.fixedPoint(), o.truncation());
              return sm1.open(p).streamOffline(true).online(new double[][] {input});
            });
    int total = 0;
    for (long[] w : rec[0].early) {
      total += w.length;
    }
    long[] all = new long[total];
    int at = 0;
    for (long[] w : rec[0].early) {
      System.arraycopy(w, 0, all, at, w.length);
      at += w.length;
    }
    return new Run(all, r.party1().logits()[0]);
  }

  private static double[][] twoInputs() {
    Model m = ZooCache.get(MODEL);
    double[][] xs = Zoo.sampleInputs(m, 2, 11);
    assertFalse(Arrays.equals(xs[0], xs[1]));
    return xs;
  }

  @Test
  void party0sOfflineWordsDoNotDependOnTheInput() {
    double[][] xs = twoInputs();
    Run a = run(xs[0], 5);
    Run b = run(xs[1], 5);
    long expected = 0;
    for (CarryPlan.EarlyHalf e :
        SecureModel.compile(ZooCache.get(MODEL), 1).carryPlan().earlyHalves()) {
      expected += e.elements();
    }
    assertEquals(expected, a.early().length, "every planned early half arrived");
    assertTrue(expected > 0);
    assertFalse(Arrays.equals(a.logits(), b.logits()), "the two inputs are told apart online");
    assertArrayEquals(a.early(), b.early(), "party 0's offline words changed with the input");
  }

  @Test
  void party0sOfflineWordsAreUniformForEitherInput() {
    double[][] xs = twoInputs();
    for (int k = 0; k < 2; k++) {
      long[] w = run(xs[k], 100 + k).early();
      double n = w.length;
      for (int bit = 0; bit < 64; bit++) {
        int ones = 0;
        for (long v : w) {
          ones += (int) (v >>> bit) & 1;
        }
        // 6 standard deviations of a fair coin: a fixed or structured bit fails by far
        assertEquals(n / 2, ones, 3 * Math.sqrt(n), "bit " + bit + " of input " + k);
      }
    }
  }
}
