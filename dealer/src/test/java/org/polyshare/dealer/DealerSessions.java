package org.polyshare.dealer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.polyshare.core.correlation.BeaverTriples;
import org.polyshare.core.correlation.Correlation;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.ExactTruncationTuples;
import org.polyshare.core.correlation.FixedMaskTriple;
import org.polyshare.core.correlation.FssReluKeys;
import org.polyshare.core.correlation.RandomOts;
import org.polyshare.core.correlation.SquarePairs;
import org.polyshare.core.correlation.TruncationTuples;
import org.polyshare.core.correlation.WeightMaskShare;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;

/** Plans and helpers shared by the dealer tests. */
final class DealerSessions {
  private DealerSessions() {}

  /** A plan touching every request type, including a fixed-mask layer. */
  static CorrelationPlan mixedPlan() {
    Conv2dShape conv = Conv2dShape.of(1, 2, 6, 3, 3, 1, 1);
    return CorrelationPlan.of(
        new CorrelationRequest.Triples(100),
        new CorrelationRequest.Squares(33),
        new CorrelationRequest.Truncation(50, 16),
        new CorrelationRequest.Triples(new MatMulShape(3, 4, 5)),
        new CorrelationRequest.Triples(conv),
        new CorrelationRequest.WeightMask(7, conv.weightNumel()),
        new CorrelationRequest.FixedMask(7, conv),
        new CorrelationRequest.FixedMask(7, conv, true),
        new CorrelationRequest.RandomOt(70),
        new CorrelationRequest.ExactTruncation(40, 16),
        new CorrelationRequest.FssRelu(30, 40));
  }

  /** Deterministic seeds, so a network dealer and an in-process one can be compared exactly. */
  static Supplier<Seed> seeds(long salt) {
    byte[] b = new byte[Seed.BYTES];
    b[0] = (byte) salt;
    b[1] = (byte) (salt >>> 8);
    Prg prg = new Prg(Seed.of(b));
    return () -> {
      long[] two = prg.nextLongs(2);
      byte[] s = new byte[Seed.BYTES];
      for (int i = 0; i < 8; i++) {
        s[i] = (byte) (two[0] >>> (8 * i));
        s[8 + i] = (byte) (two[1] >>> (8 * i));
      }
      return Seed.of(s);
    };
  }

  /** Every array of a correlation, in a fixed order, for exact comparison. */
  static List<long[]> arrays(Correlation c) {
    if (c instanceof BeaverTriples t) {
      return Arrays.asList(t.a(), t.b(), t.c());
    } else if (c instanceof SquarePairs s) {
      return Arrays.asList(s.r(), s.r2());
    } else if (c instanceof TruncationTuples t) {
      return Arrays.asList(t.r(), t.rShifted(), t.msb());
    } else if (c instanceof ExactTruncationTuples t) {
      return Arrays.asList(t.r(), t.rShifted(), t.msb(), t.borrow().encode());
    } else if (c instanceof FssReluKeys k) {
      return Arrays.asList(
          k.r(),
          k.dependent(),
          k.sign().correctionWords(),
          k.borrow() == null ? new long[0] : k.borrow().correctionWords());
    } else if (c instanceof WeightMaskShare w) {
      return Collections.singletonList(w.b());
    } else if (c instanceof FixedMaskTriple f) {
      return Arrays.asList(f.a(), f.c());
    } else if (c instanceof RandomOts o) {
      List<long[]> out = new ArrayList<>();
      for (long[] a : new long[][] {o.m0(), o.m1(), o.choices(), o.chosen()}) {
        out.add(a == null ? new long[0] : a);
      }
      return out;
    }
    return List.of();
  }
}
