package org.polyshare.core.correlation;

import org.polyshare.core.fss.BitDcfKeys;
import org.polyshare.core.fss.DcfKeys;
import org.polyshare.core.kernel.BilinearMap;
import org.polyshare.core.prg.Prg;

/**
 * Party side of seed compression: turns one {@link DealerMessage} into the party's share of the
 * requested correlation. The order in which a seed's stream is consumed is part of the protocol
 * (the dealer replays it): for triples (any bilinear map) {@code a, b, c}; squares {@code r, r²};
 * truncation {@code r, r>>>f, msb}; fixed-mask triples {@code a, c}; weight masks {@code b}; OT
 * sender {@code m0, m1}, OT receiver the choice words; exact truncation {@code r}, the DCF roots,
 * {@code r>>>f, msb}; FSS ReLU {@code r}, the DCF roots, {@code r>>>bits, msb, r·(r>>>bits),
 * r·msb}; fused power {@code r} (exact: then the DCF roots), the {@code 2·degree} dependent blocks
 * of {@link FusedPowerTuples}. The last component(s) — everything after the first one or two listed
 * — come from the correction instead when the message carries one: {@code c}, {@code r²}, {@code
 * [r>>>f ‖ msb]}, or the OT receiver's {@code chosen} strings.
 */
public final class CorrelationExpander {
  private CorrelationExpander() {}

  public static Correlation expand(int partyId, CorrelationRequest request, DealerMessage msg) {
    checkParty(partyId);
    Prg prg = new Prg(msg.seed());
    long[] corr = msg.hasCorrection() ? msg.correction() : null;
    if (request instanceof CorrelationRequest.Triples t) {
      BilinearMap map = t.map();
      long[] a = prg.nextLongs(map.leftNumel());
      long[] b = prg.nextLongs(map.rightNumel());
      return new BeaverTriples(map, a, b, last(prg, corr, map.outputNumel(), request));
    }
    if (request instanceof CorrelationRequest.Squares s) {
      long[] r = prg.nextLongs(s.n());
      return new SquarePairs(r, last(prg, corr, s.n(), request));
    }
    if (request instanceof CorrelationRequest.Truncation t) {
      int n = t.n();
      long[] r = prg.nextLongs(n);
      long[] both = last(prg, corr, 2 * n, request);
      long[] shifted = new long[n];
      long[] msb = new long[n];
      System.arraycopy(both, 0, shifted, 0, n);
      System.arraycopy(both, n, msb, 0, n);
      return new TruncationTuples(t.fracBits(), r, shifted, msb);
    }
    if (request instanceof CorrelationRequest.ExactTruncation t) {
      return exactTruncation(partyId, t, prg, corr);
    }
    if (request instanceof CorrelationRequest.FssRelu r) {
      return fssRelu(partyId, r, prg, corr);
    }
    if (request instanceof CorrelationRequest.FusedPower fp) {
      return fusedPower(partyId, fp, prg, corr);
    }
    if (request instanceof CorrelationRequest.WeightMask w) {
      noCorrection(corr, request);
      return new WeightMaskShare(w.maskId(), prg.nextLongs(w.numel()));
    }
    if (request instanceof CorrelationRequest.FixedMask f) {
      // owner-held: A masks party 1's share alone, party 0's share of it is zero
      long[] a =
          f.ownerHeld() && partyId == 0
              ? new long[f.map().leftNumel()]
              : prg.nextLongs(f.map().leftNumel());
      return new FixedMaskTriple(f.maskId(), a, last(prg, corr, f.map().outputNumel(), request));
    }
    if (request instanceof CorrelationRequest.RandomOt o) {
      int n = o.n();
      if (partyId == 0) {
        noCorrection(corr, request);
        // m0 then m1 from the seed, expanded block by block as the garbler uses them
        return RandomOts.seededSender(n, msg.seed());
      }
      long[] choices = otChoices(prg, n);
      if (corr == null || corr.length != 2 * n) {
        throw new IllegalArgumentException(
            "random OT receiver needs "
                + 2 * n
                + " chosen longs from the dealer, got "
                + (corr == null ? 0 : corr.length));
      }
      return new RandomOts(n, null, null, choices, corr);
    }
    throw new AssertionError("unhandled correlation request " + request);
  }

  /**
   * Exact truncation: the seed gives {@code r}, then the party's DCF roots ({@link #exactOwn}); the
   * uncorrected party then draws {@code r>>>f, msb}. Both parties' corrections end with the DCF
   * correction words; the corrected party's starts with {@code [r>>>f ‖ msb]}.
   */
  private static ExactTruncationTuples exactTruncation(
      int partyId, CorrelationRequest.ExactTruncation t, Prg prg, long[] corr) {
    int n = t.n();
    int f = t.fracBits();
    long[][] own = exactOwn(prg, n);
    int keyWords = DcfKeys.correctionLength(f, n);
    long[] both = dependentBeforeKeys(prg, corr, 2 * n, keyWords, t, "tuple correction");
    long[] shifted = java.util.Arrays.copyOfRange(both, 0, n);
    long[] msb = java.util.Arrays.copyOfRange(both, n, 2 * n);
    int have = corr == null ? 0 : corr.length;
    DcfKeys keys = DcfKeys.fromCorrections(f, partyId, own[1], own[2], corr, have - keyWords);
    return new ExactTruncationTuples(f, own[0], shifted, msb, keys);
  }

  /** The seed-derived part of an exact-truncation share: {@code {r, rootLo, rootHi}}, in order. */
  static long[][] exactOwn(Prg prg, int n) {
    long[] r = prg.nextLongs(n);
    long[] rootLo = prg.nextLongs(n);
    long[] rootHi = prg.nextLongs(n);
    return new long[][] {r, rootLo, rootHi};
  }

  /**
   * The seed-derived part of an FSS ReLU share, in order: {@code r}, the sign keys' roots and
   * (shift > 0) the borrow keys' roots.
   */
  static long[][] fssReluOwn(Prg prg, CorrelationRequest.FssRelu t) {
    long[][] own = exactOwn(prg, t.n());
    if (t.shift() == 0) {
      return own;
    }
    return new long[][] {own[0], own[1], own[2], prg.nextLongs(t.n()), prg.nextLongs(t.n())};
  }

  /**
   * FSS ReLU: the seed gives {@link #fssReluOwn}; the uncorrected party then draws its dependent
   * values, the corrected party's correction carries them before the common key corrections.
   */
  private static FssReluKeys fssRelu(
      int partyId, CorrelationRequest.FssRelu t, Prg prg, long[] corr) {
    int n = t.n();
    int bits = t.bits();
    int f = t.shift();
    long[][] own = fssReluOwn(prg, t);
    int signWords = BitDcfKeys.correctionLength(bits, n);
    int keyWords = signWords + (f == 0 ? 0 : BitDcfKeys.correctionLength(f, n));
    int dep = FssReluKeys.dependentPerElement(f) * n;
    long[] dependent = dependentBeforeKeys(prg, corr, dep, keyWords, t, "mask correction");
    int at = corr.length - keyWords;
    BitDcfKeys sign = BitDcfKeys.fromCorrections(bits, partyId, own[1], own[2], corr, at);
    BitDcfKeys borrow =
        f == 0
            ? null
            : BitDcfKeys.fromCorrections(f, partyId, own[3], own[4], corr, at + signWords);
    return new FssReluKeys(bits, f, own[0], dependent, sign, borrow);
  }

  /**
   * Fused power: the seed gives {@code r} (exact: then the DCF roots, as {@link #exactOwn}); the
   * uncorrected party then draws the {@code 2·degree·n} dependent longs. The corrected party's
   * correction carries them before the DCF correction words (exact only; both parties get those).
   */
  private static FusedPowerTuples fusedPower(
      int partyId, CorrelationRequest.FusedPower t, Prg prg, long[] corr) {
    int n = t.n();
    int f = t.fracBits();
    long[][] own = t.exact() ? exactOwn(prg, n) : new long[][] {prg.nextLongs(n)};
    int dep = 2 * t.degree() * n;
    int keyWords = t.exact() ? DcfKeys.correctionLength(f, t.borrowWidth(), n) : 0;
    long[] dependent = dependentBeforeKeys(prg, corr, dep, keyWords, t, "dependent values");
    int have = corr == null ? 0 : corr.length;
    DcfKeys keys =
        t.exact()
            ? DcfKeys.fromCorrections(
                f, t.borrowWidth(), partyId, own[1], own[2], corr, have - keyWords)
            : null;
    return new FusedPowerTuples(f, t.degree(), own[0], dependent, keys);
  }

  /**
   * The {@code dep} dependent longs of a correlation whose correction may end with {@code keyWords}
   * DCF correction words (both parties get those): drawn from the seed when the correction holds
   * only the key words, else the correction's first {@code dep} longs (the corrected party).
   */
  private static long[] dependentBeforeKeys(
      Prg prg, long[] corr, int dep, int keyWords, CorrelationRequest request, String what) {
    int have = corr == null ? 0 : corr.length;
    if (have == keyWords) {
      return prg.nextLongs(dep);
    }
    if (have == keyWords + (long) dep) {
      return java.util.Arrays.copyOfRange(corr, 0, dep);
    }
    String keys = keyWords > 0 ? " (DCF keys)" : "";
    throw new IllegalArgumentException(
        "dealer message for "
            + request
            + " has "
            + have
            + " correction longs, expected "
            + keyWords
            + keys
            + " or "
            + (keyWords + (long) dep)
            + " ("
            + what
            + (keyWords > 0 ? " and DCF keys)" : ")"));
  }

  static long[] otChoices(Prg prg, int n) {
    long[] choices = prg.nextLongs((n + 63) >>> 6);
    if ((n & 63) != 0) {
      choices[choices.length - 1] &= (1L << (n & 63)) - 1;
    }
    return choices;
  }

  private static long[] last(Prg prg, long[] corr, int n, CorrelationRequest request) {
    if (corr == null) {
      return prg.nextLongs(n);
    }
    if (corr.length != n) {
      throw new IllegalArgumentException(
          "dealer correction for " + request + " has " + corr.length + " longs, expected " + n);
    }
    return corr;
  }

  private static void noCorrection(long[] corr, CorrelationRequest request) {
    if (corr != null) {
      throw new IllegalArgumentException("unexpected dealer correction for " + request);
    }
  }

  static void checkParty(int partyId) {
    if (partyId != 0 && partyId != 1) {
      throw new IllegalArgumentException("party id must be 0 or 1, got " + partyId);
    }
  }
}
