package org.polyshare.core.correlation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.kernel.RingConv;
import org.polyshare.core.kernel.RingGemm;

class DealerTest {
  private static long[] sum(long[] a, long[] b) {
    long[] o = new long[a.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = a[i] + b[i];
    }
    return o;
  }

  @Test
  void sharesReconstructToTheRequestedCorrelations() {
    InProcessDealer d = new InProcessDealer();
    CorrelationSource s0 = d.source(0);
    CorrelationSource s1 = d.source(1);

    BeaverTriples t0 = s0.triples(1000);
    BeaverTriples t1 = s1.triples(1000);
    long[] a = sum(t0.a(), t1.a());
    long[] b = sum(t0.b(), t1.b());
    long[] c = sum(t0.c(), t1.c());
    for (int i = 0; i < 1000; i++) {
      assertEquals(a[i] * b[i], c[i]);
    }

    SquarePairs q1 = s1.squares(500);
    SquarePairs q0 = s0.squares(500);
    long[] r = sum(q0.r(), q1.r());
    long[] r2 = sum(q0.r2(), q1.r2());
    for (int i = 0; i < 500; i++) {
      assertEquals(r[i] * r[i], r2[i]);
    }

    TruncationTuples u0 = s0.truncation(777, 13);
    TruncationTuples u1 = s1.truncation(777, 13);
    long[] ur = sum(u0.r(), u1.r());
    long[] us = sum(u0.rShifted(), u1.rShifted());
    long[] um = sum(u0.msb(), u1.msb());
    for (int i = 0; i < 777; i++) {
      assertEquals(ur[i] >>> 13, us[i]);
      assertEquals(ur[i] >>> 63, um[i]);
    }

    MatMulShape ms = new MatMulShape(3, 17, 5);
    BeaverTriples m0 = s0.matmulTriple(ms);
    BeaverTriples m1 = s1.matmulTriple(ms);
    assertArrayEquals(
        RingGemm.multiply(sum(m0.a(), m1.a()), sum(m0.b(), m1.b()), ms), sum(m0.c(), m1.c()));

    Conv2dShape cs = new Conv2dShape(2, 3, 7, 6, 4, 3, 3, 2, 1);
    BeaverTriples c0 = s0.convTriple(cs);
    BeaverTriples c1 = s1.convTriple(cs);
    assertArrayEquals(
        RingConv.conv2d(sum(c0.a(), c1.a()), sum(c0.b(), c1.b()), cs), sum(c0.c(), c1.c()));

    WeightMaskShare w0 = s0.weightMask(7, cs.weightNumel());
    WeightMaskShare w1 = s1.weightMask(7, cs.weightNumel());
    long[] bMask = sum(w0.b(), w1.b());
    for (int rep = 0; rep < 2; rep++) {
      FixedMaskTriple f0 = s0.convFixedMask(7, cs);
      FixedMaskTriple f1 = s1.convFixedMask(7, cs);
      assertArrayEquals(RingConv.conv2d(sum(f0.a(), f1.a()), bMask, cs), sum(f0.c(), f1.c()));
    }
    // Owner-held: A is party 1's alone (party 0's share is zero) and C = A_1 ⊗ B.
    FixedMaskTriple h0 = s0.fixedMask(7, cs, true);
    FixedMaskTriple h1 = s1.fixedMask(7, cs, true);
    assertArrayEquals(new long[cs.inputNumel()], h0.a(), "party 0's share of an owner-held A");
    assertTrue(Arrays.stream(h1.a()).distinct().count() > h1.a().length / 2, "A_1 is drawn");
    assertArrayEquals(RingConv.conv2d(h1.a(), bMask, cs), sum(h0.c(), h1.c()));

    // A count that is not a multiple of 64 (the last choice word is partial) and large enough for
    // a sharp uniformity check of the receiver's choice bits.
    int n = (1 << 16) + 2;
    RandomOts o0 = s0.randomOts(n);
    RandomOts o1 = s1.randomOts(n);
    assertTrue(o0.isSender());
    assertFalse(o1.isSender());
    assertEquals(0L, o1.choices()[n >>> 6] >>> (n & 63), "bits beyond count are zero");
    int ones = 0;
    long[] sent0 = o0.m0(); // a seeded sender expands its strings on each call: once here
    long[] sent1 = o0.m1();
    for (int i = 0; i < n; i++) {
      long[] m = o1.choice(i) == 0 ? sent0 : sent1;
      assertEquals(m[2 * i], o1.chosen()[2 * i]);
      assertEquals(m[2 * i + 1], o1.chosen()[2 * i + 1]);
      ones += o1.choice(i);
    }
    // Uniform bits: ones ~ Binomial(n, 1/2). Hoeffding: P(|ones − n/2| ≥ t) ≤ 2·exp(−2t²/n); with
    // n = 65538 and t = 840 that is 2·exp(−21.53) ≤ 9.0e-10, the false-alarm rate of this check.
    // A bias |p − 1/2| ≥ 0.0128 (mean off by ≥ 840) fails it about half the time or more.
    assertTrue(Math.abs(ones - n / 2) < 840, "choice bits look uniform: " + ones + " ones of " + n);
  }

  @Test
  void seedCompressionSendsOnlyASeedToOnePartyPerBatchAlternating() {
    InProcessDealer d = new InProcessDealer();
    int n = 4096;
    int batches = 10;
    for (int i = 0; i < batches; i++) {
      d.source(0).triples(n);
      d.source(1).triples(n);
    }
    InProcessDealer.Traffic p0 = d.trafficTo(0);
    InProcessDealer.Traffic p1 = d.trafficTo(1);
    System.out.printf(
        "dealer traffic for %d batches of %d triples: party 0 %d B, party 1 %d B%n",
        batches, n, p0.bytes(), p1.bytes());
    // Each batch: 16-byte seed to both; n corrections (8n bytes) to exactly one, alternating.
    assertEquals(batches, p0.messages());
    assertEquals(batches / 2, p0.messagesWithCorrection());
    assertEquals(batches / 2, p1.messagesWithCorrection());
    assertEquals(16L * batches + 8L * n * batches / 2, p0.bytes());
    assertEquals(p0.bytes(), p1.bytes());
    // Total dealer traffic = size of c once, plus seeds: the compression target.
    assertEquals(8L * n * batches + 32L * batches, p0.bytes() + p1.bytes());
  }

  @Test
  void divergingPlansFailWithBothRequestsNamed() {
    InProcessDealer d = new InProcessDealer();
    d.source(0).triples(5);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> d.source(1).squares(5));
    assertTrue(
        e.getMessage().contains("Triples") && e.getMessage().contains("Squares"), e.getMessage());
  }

  @Test
  void fixedMaskRequestWithoutMaskIsRefused() {
    Dealer dealer = new Dealer();
    Conv2dShape cs = Conv2dShape.of(1, 2, 5, 2, 3, 1, 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> dealer.deal(new CorrelationRequest.FixedMask(3, cs)));
    assertTrue(e.getMessage().contains("never dealt"), e.getMessage());
  }

  @Test
  void planEncodingRoundTripsAndHashIsStable() {
    CorrelationPlan plan =
        new CorrelationPlan(
            List.of(
                new CorrelationRequest.WeightMask(0, 54),
                new CorrelationRequest.FixedMask(0, new Conv2dShape(1, 3, 8, 8, 2, 3, 3, 1, 1)),
                new CorrelationRequest.Truncation(128, 16),
                new CorrelationRequest.Squares(128),
                new CorrelationRequest.FixedMask(1, new MatMulShape(1, 128, 10)),
                new CorrelationRequest.FixedMask(2, new MatMulShape(1, 128, 10), true),
                new CorrelationRequest.Triples(new MatMulShape(2, 3, 4)),
                new CorrelationRequest.Triples(new Conv2dShape(1, 3, 8, 8, 2, 3, 3, 1, 1)),
                new CorrelationRequest.Triples(9),
                new CorrelationRequest.RandomOt(64)));
    CorrelationPlan back = CorrelationPlan.decode(plan.encode());
    assertEquals(plan, back);
    assertArrayEquals(plan.sha256(), back.sha256());
    assertEquals(64, plan.sha256Hex().length());
    CorrelationPlan other = CorrelationPlan.of(new CorrelationRequest.Squares(129));
    assertNotEquals(plan.sha256Hex(), other.sha256Hex());
    // Pinned: the hash must not change between JVMs or releases without a deliberate decision.
    assertEquals(
        CorrelationPlan.of(new CorrelationRequest.Triples(1)).sha256Hex(),
        com.google.common.hash.Hashing.sha256()
            .newHasher()
            .putLong(1)
            .putLong(3)
            .putLong(1)
            .putLong(1)
            .putLong(1)
            .hash()
            .toString());
  }

  @Test
  void prefetchedCorrelationsAreServedInPlanOrderAndCheckedAgainstIt() {
    InProcessDealer d = new InProcessDealer();
    PrefetchingCorrelationSource p0 = new PrefetchingCorrelationSource(d.source(0));
    CorrelationPlan plan =
        CorrelationPlan.of(new CorrelationRequest.Triples(4), new CorrelationRequest.Squares(3));
    p0.prefetch(plan);
    assertEquals(2, p0.buffered());
    assertEquals(2, d.trafficTo(0).messages(), "fetched offline");
    BeaverTriples t0 = p0.triples(4);
    BeaverTriples t1 = d.source(1).triples(4);
    for (int i = 0; i < 4; i++) {
      assertEquals((t0.a()[i] + t1.a()[i]) * (t0.b()[i] + t1.b()[i]), t0.c()[i] + t1.c()[i]);
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> p0.squares(4));
    assertTrue(e.getMessage().contains("prefetched plan"), e.getMessage());
    assertEquals(
        List.of(new CorrelationRequest.Triples(4), new CorrelationRequest.Squares(4)),
        p0.recorded().requests());
  }

  @Test
  void dealerMessageWireFormRoundTrips() {
    Dealer.Dealt dealt = new Dealer().deal(new CorrelationRequest.Triples(3));
    for (int p = 0; p < 2; p++) {
      DealerMessage m = dealt.to(p);
      DealerMessage back = DealerMessage.decode(m.encode());
      assertEquals(m.seed(), back.seed());
      assertArrayEquals(m.correction(), back.correction());
    }
  }
}
