package org.polyshare.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.CorrelationSource;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.kernel.BilinearMap;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.PieceSizedLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.prg.Seed;
import org.polyshare.core.ring.FixedPoint;

/**
 * The online loops that overlap the wire ({@link FixedWeightLinear} owner-held, {@link FusedPower})
 * give each party the same shares, bit for bit, whether the opening arrives in one piece or in many
 * (pieces that split channels, rows and elements unevenly), with the same dealer material, and with
 * the same bytes, messages and rounds.
 */
class OverlapTest {
  private static final FixedPoint FP = new FixedPoint(16);
  private static final int OFF = Integer.MAX_VALUE;

  /**
   * Sources of a dealer whose seeds are a fixed sequence, so two such dealers deal the same
   * material for the same requests. (Each run draws its own: a protocol may overwrite what it drew,
   * as party 0's mask A_0 becomes the opened E.)
   */
  private static CorrelationSource[] sameDealerSources() {
    AtomicInteger next = new AtomicInteger();
    InProcessDealer dealer =
        new InProcessDealer(
            () -> {
              byte[] seed = new byte[Seed.BYTES];
              ByteBuffer.wrap(seed).putInt(next.getAndIncrement());
              return Seed.of(seed);
            });
    return new CorrelationSource[] {dealer.source(0), dealer.source(1)};
  }

  private record Run(long[] out0, long[] out1, LinkStats.Snapshot s0, LinkStats.Snapshot s1) {}

  private static Run run(
      CorrelationSource[] src,
      TruncationMode mode,
      int chunk,
      int[] pieces,
      Function<Party, long[]> body) {
    TwoParties.Result<long[]> r =
        TwoParties.run(
            link -> side(0, link, src, mode, chunk, pieces, body),
            link -> side(1, link, src, mode, chunk, pieces, body));
    return new Run(r.party0(), r.party1(), r.stats0(), r.stats1());
  }

  private static long[] side(
      int id,
      PartyLink link,
      CorrelationSource[] src,
      TruncationMode mode,
      int chunk,
      int[] pieces,
      Function<Party, long[]> body) {
    PieceSizedLink l = new PieceSizedLink(link, chunk);
    long[] out = body.apply(new Party(id, l, src[id], FP, mode));
    pieces[id] = l.piecesReceived();
    return out;
  }

  /**
   * Runs {@code body} unchunked, then with pieces of {@code chunk} on the same dealer material, and
   * checks shares and traffic agree; returns the unchunked run and the pieces party 0 received.
   */
  private static Run compare(TruncationMode mode, int chunk, Function<Party, long[]> body) {
    int[] wholePieces = new int[2];
    Run whole = run(sameDealerSources(), mode, OFF, wholePieces, body);
    int[] pieces = new int[2];
    Run chunked = run(sameDealerSources(), mode, chunk, pieces, body);
    assertArrayEquals(whole.out0(), chunked.out0(), "party 0's shares");
    assertArrayEquals(whole.out1(), chunked.out1(), "party 1's shares");
    assertEquals(whole.s0(), chunked.s0(), "party 0's bytes, messages and rounds");
    assertEquals(whole.s1(), chunked.s1(), "party 1's bytes, messages and rounds");
    assertTrue(
        pieces[0] > wholePieces[0] + 2,
        "the opening arrived in pieces: " + pieces[0] + " against " + wholePieces[0]);
    return whole;
  }

  private static long[] random(SplittableRandom rnd, int n, int bits) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextLong() >> (64 - bits);
    }
    return v;
  }

  /** The owner-held product of fixed shares of x; checks its sum against the plaintext ring map. */
  private static void ownedProduct(BilinearMap map, int chunk) {
    SplittableRandom rnd = new SplittableRandom(map.hashCode());
    long[] x = random(rnd, map.leftNumel(), 24);
    long[] w = random(rnd, map.rightNumel(), 18);
    long[] x1 = random(rnd, x.length, 64);
    long[] x0 = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      x0[i] = x[i] - x1[i];
    }
    Run r =
        compare(
            TruncationMode.DEALER,
            chunk,
            p -> {
              FixedWeightLinear layer = FixedWeightLinear.owned(p, 3, p.id() == 0 ? w : null, map);
              return layer.applyRaw(p, layer.prepare(p), p.id() == 0 ? x0 : x1);
            });
    long[] want = map.apply(x, w);
    long[] got = new long[want.length];
    for (int i = 0; i < got.length; i++) {
      got[i] = r.out0()[i] + r.out1()[i];
    }
    assertArrayEquals(want, got, "shares of X ⊗ W for " + map);
  }

  @Test
  void ownedConvSplitOverUnevenChannelBlocks() {
    // 3x3: blocks of 8 channels ([0,8), [8,16), [16,20)), pieces of 30 cut 25-element channels
    ownedProduct(new Conv2dShape(2, 20, 5, 5, 6, 3, 3, 1, 1), 30);
    ownedProduct(new Conv2dShape(1, 19, 7, 6, 5, 3, 3, 2, 1), 101);
  }

  @Test
  void ownedPointwiseConvSplitOverChannelBlocks() {
    // 1x1: blocks of 64 channels, then 22
    ownedProduct(new Conv2dShape(1, 150, 4, 4, 9, 1, 1, 1, 0), 700);
  }

  @Test
  void ownedMatMulSplitOverRowsAndOverKBlocks() {
    ownedProduct(new MatMulShape(12, 100, 7), 250); // blocks of 2 rows
    ownedProduct(new MatMulShape(2, 300, 9), 100); // k-blocks of 100 per row
  }

  private static void fusedPower(TruncationMode mode, int degree, int chunk) {
    SplittableRandom rnd = new SplittableRandom(degree);
    int n = 1009;
    long[] z1 = random(rnd, n, 64);
    long[] z0 = random(rnd, n, 40);
    for (int i = 0; i < n; i++) {
      z0[i] -= z1[i];
    }
    compare(mode, chunk, p -> FusedPower.power(p, p.id() == 0 ? z0 : z1, 16, degree));
  }

  @Test
  void fusedPowerPerPieceIsBitIdentical() {
    fusedPower(TruncationMode.DEALER, 2, 77);
    fusedPower(TruncationMode.DEALER, 3, 200);
    fusedPower(TruncationMode.DEALER, 8, 1);
    fusedPower(TruncationMode.EXACT, 2, 77);
  }
}
