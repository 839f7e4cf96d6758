package org.polyshare.core.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.link.ForwardingPartyLink;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.ring.FixedPoint;

/**
 * What a party receives during an op (masked openings) must be uniform whatever the secret:
 * a chi-square test over the top byte and the low byte of every received ring element, for two
 * very different secrets (all zeros and a large constant).
 */
class OpenedValuesUniformityTest {
  private static final int N = 1 << 16;

  /** A link that keeps a copy of every ring-element message it receives. */
  private static final class RecordingLink extends ForwardingPartyLink {
    final List<long[]> received = new ArrayList<>();

    RecordingLink(PartyLink inner) {
      super(inner);
    }

    @Override
    public long[] receiveLongs(int tag) {
      long[] l = delegate.receiveLongs(tag);
      received.add(l.clone());
      return l;
    }
  }

  /**
   * Party 1 holds the whole secret as its share (party 0 holds zeros); returns every ring element
   * party {@code observer} received.
   */
  private static long[] received(int observer, long secret, BiFunction<Party, long[], long[]> op) {
    InProcessDealer dealer = new InProcessDealer();
    FixedPoint fp = FixedPoint.defaults();
    RecordingLink[] rec = new RecordingLink[1];
    TwoParties.run(
        link -> {
          PartyLink l = observer == 0 ? (rec[0] = new RecordingLink(link)) : link;
          return op.apply(new Party(0, l, dealer.source(0), fp), new long[N]);
        },
        link -> {
          PartyLink l = observer == 1 ? (rec[0] = new RecordingLink(link)) : link;
          long[] x = new long[N];
          Arrays.fill(x, secret);
          return op.apply(new Party(1, l, dealer.source(1), fp), x);
        });
    return rec[0].received.stream().flatMapToLong(Arrays::stream).toArray();
  }

  private static double chiSquare(long[] v, int shift) {
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

  private static void assertUniform(String op, BiFunction<Party, long[], long[]> body) {
    assertUniform(op, 1, body);
  }

  private static void assertUniform(String op, int observer, BiFunction<Party, long[], long[]> body) {
    // chi-square with 255 degrees of freedom: P(chi2 > 440) = 5.1e-12, and this class makes 20
    // such checks (5 ops × 2 secrets × 2 bytes): a false alarm at most once in ~10^10 runs.
    for (long secret : new long[] {0L, 0x3FFF_0000_0000_0000L}) {
      long[] seen = received(observer, secret, body);
      double top = chiSquare(seen, 56);
      double low = chiSquare(seen, 0);
      System.out.printf("%s, secret %x: %d values received, chi2 top byte %.1f, low byte %.1f%n", op, secret, seen.length, top, low);
      assertTrue(top < 440 && low < 440, op + ": received values are not uniform (chi2 " + top + ", " + low + ")");
    }
  }

  @Test
  void truncationOpeningsAreUniform() {
    assertUniform("dealer truncation", (p, x) -> Truncation.dealer(p, x, 16));
  }

  @Test
  void fixedWeightOpeningsAreUniformToBothParties() {
    // A 1x1 conv over N pixels: the opened E = X − A (both parties), or X_1 − A_1 (party 0, owner-held).
    org.polyshare.core.kernel.Conv2dShape s = new org.polyshare.core.kernel.Conv2dShape(1, 1, N / 256, 256, 1, 1, 1, 1, 0);
    assertUniform("fixed-weight conv", 1, (p, x) -> FixedWeightLinear.conv(p, 0, new long[] {p.id() == 0 ? 3 : 0}, s).apply(p, x));
    assertUniform("owner-held conv (party 0 view)", 0,
        (p, x) -> FixedWeightLinear.ownedConv(p, 0, p.id() == 0 ? new long[] {3} : null, s).apply(p, x));
  }

  @Test
  void beaverAndSquareOpeningsAreUniform() {
    assertUniform("beaver mul", (p, x) -> Beaver.mulRaw(p, x, x));
    assertUniform("square", Beaver::squareRaw);
  }
}
