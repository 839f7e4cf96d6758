package org.polyshare.core.correlation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.polyshare.core.fss.Dcf;
import org.polyshare.core.fss.FssReluDealing;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;

/**
 * Dealer side of seed compression, for one session. Per request it draws two fresh seeds, replays
 * both parties' expansions ({@link CorrelationExpander}), computes the dependent values (products,
 * shifts, top bits, OT choices) and emits the correction {@code target − share_other} for ONE
 * party; the other gets only its seed. The corrected party alternates between consecutive
 * arithmetic batches to balance traffic; for random OT it is always the receiver (party 1). The
 * DCF-carrying kinds (exact truncation, FSS ReLU) are the exception to "seed only": their keys'
 * correction words depend on both parties' roots and on the secret threshold, so both parties
 * receive them (the roots themselves come from each party's own seed).
 *
 * <p>Session state: the fixed weight masks {@code B} by mask id, needed to answer later fixed-mask
 * requests. The dealer never sees weights or inputs. Thread-safe (synchronized).
 */
public final class Dealer {
  private final Supplier<Seed> seeds;
  private final Map<Integer, long[]> masks = new HashMap<>();
  private long arithmeticBatches;

  /** The two messages of one request. */
  public record Dealt(DealerMessage toParty0, DealerMessage toParty1) {
    public DealerMessage to(int partyId) {
      CorrelationExpander.checkParty(partyId);
      return partyId == 0 ? toParty0 : toParty1;
    }
  }

  /** A dealer drawing every seed from {@link Seed#random()}. */
  public Dealer() {
    this(Seed::random);
  }

  /** A dealer with an explicit seed source (tests, reproducible benchmarks). */
  public Dealer(Supplier<Seed> seeds) {
    this.seeds = seeds;
  }

  public synchronized Dealt deal(CorrelationRequest request) {
    Seed s0 = seeds.get();
    Seed s1 = seeds.get();
    if (request instanceof CorrelationRequest.WeightMask w) {
      if (masks.containsKey(w.maskId())) {
        throw new IllegalArgumentException(
            "weight mask "
                + w.maskId()
                + " was already dealt in this session; mask ids must be unique");
      }
      long[] b0 = ((WeightMaskShare) raw(0, request, s0)).b();
      long[] b1 = ((WeightMaskShare) raw(1, request, s1)).b();
      masks.put(w.maskId(), add(b0, b1));
      return new Dealt(DealerMessage.seedOnly(s0), DealerMessage.seedOnly(s1));
    }
    if (request instanceof CorrelationRequest.RandomOt o) {
      return new Dealt(DealerMessage.seedOnly(s0), new DealerMessage(s1, chosenOts(o.n(), s0, s1)));
    }
    if (request instanceof CorrelationRequest.ExactTruncation t) {
      return exactTruncation(t, s0, s1);
    }
    if (request instanceof CorrelationRequest.FssRelu r) {
      return fssRelu(r, s0, s1);
    }
    if (request instanceof CorrelationRequest.FusedPower fp) {
      return fusedPower(fp, s0, s1);
    }
    int p = (int) (arithmeticBatches++ & 1);
    Seed[] s = {s0, s1};
    Correlation fromP = raw(p, request, s[p]);
    Correlation fromU = raw(1 - p, request, s[1 - p]);
    long[] correction = correction(request, fromP, fromU);
    return corrected(p, new DealerMessage(s[p], correction), DealerMessage.seedOnly(s[1 - p]));
  }

  /**
   * The receiver's chosen strings {@code m_c} of {@code n} random OTs: sender strings from {@code
   * s0}, choices from {@code s1}, read in blocks so the sender's 32 bytes per OT are never all
   * held.
   */
  private static long[] chosenOts(int n, Seed s0, Seed s1) {
    RandomOts sender = RandomOts.seededSender(n, s0);
    long[] choices = CorrelationExpander.otChoices(new Prg(s1), n);
    long[] chosen = new long[2 * n];
    final int block = 1 << 14;
    long[] m0 = new long[2 * Math.min(block, n)];
    long[] m1 = new long[m0.length];
    for (int first = 0; first < n; first += block) {
      int b = Math.min(block, n - first);
      sender.readSender(first, b, m0, m1);
      for (int j = 0; j < b; j++) {
        int i = first + j;
        long[] m = ((choices[i >>> 6] >>> (i & 63)) & 1L) == 0 ? m0 : m1;
        chosen[2 * i] = m[2 * j];
        chosen[2 * i + 1] = m[2 * j + 1];
      }
    }
    return chosen;
  }

  /**
   * A DCF-keyed batch: the corrected party {@code p} gets {@code head ‖ words}, the other party
   * {@code words} alone (the correction words are common to both keys).
   */
  private static Dealt withKeys(int p, Seed s0, Seed s1, long[] head, long[] words) {
    long[] both = Arrays.copyOf(head, head.length + words.length);
    System.arraycopy(words, 0, both, head.length, words.length);
    return corrected(
        p, new DealerMessage(p == 0 ? s0 : s1, both), new DealerMessage(p == 0 ? s1 : s0, words));
  }

  /** Party {@code p}'s message is {@code forP}, the other party's {@code forOther}. */
  private static Dealt corrected(int p, DealerMessage forP, DealerMessage forOther) {
    return p == 0 ? new Dealt(forP, forOther) : new Dealt(forOther, forP);
  }

  /**
   * Exact truncation: the tuple {@code (r, r>>>f, msb r)} seed-compressed as for {@link
   * CorrelationRequest.Truncation} (correction to one party, alternating), plus DCF keys for the
   * thresholds {@code r mod 2^f} whose roots both parties derive from their own seeds; the
   * correction words, common to both keys, go to both parties. They are the bulk of the traffic:
   * {@code 8·(3f + 1) + f/4} bytes per element and party.
   */
  private Dealt exactTruncation(CorrelationRequest.ExactTruncation t, Seed s0, Seed s1) {
    int n = t.n();
    int f = t.fracBits();
    int p = (int) (arithmeticBatches++ & 1);
    Prg prg0 = new Prg(s0);
    Prg prg1 = new Prg(s1);
    long[][] own0 = CorrelationExpander.exactOwn(prg0, n);
    long[][] own1 = CorrelationExpander.exactOwn(prg1, n);
    // The uncorrected party draws its r>>>f and msb shares after its roots.
    Prg uncorrected = p == 0 ? prg1 : prg0;
    long[] shiftedU = uncorrected.nextLongs(n);
    long[] msbU = uncorrected.nextLongs(n);
    long[] lowMask = new long[n];
    long mask = (1L << f) - 1;
    long[] head = new long[2 * n];
    for (int i = 0; i < n; i++) {
      long r = own0[0][i] + own1[0][i];
      lowMask[i] = r & mask;
      head[i] = (r >>> f) - shiftedU[i];
      head[n + i] = (r >>> 63) - msbU[i];
    }
    long[] words =
        Dcf.generate(f, 1, lowMask, null, own0[1], own0[2], own1[1], own1[2])[0].correctionWords();
    return withKeys(p, s0, s1, head, words);
  }

  /**
   * FSS ReLU: the mask {@code r} and the bit-DCF roots from each party's seed, the dependent values
   * seed-compressed (correction to one party, alternating), the keys' correction blocks ({@link
   * FssReluDealing}, which draws the secret mask bits and path blocks from a third, dealer-only
   * seed) to both.
   */
  private Dealt fssRelu(CorrelationRequest.FssRelu t, Seed s0, Seed s1) {
    int p = (int) (arithmeticBatches++ & 1);
    Prg prg0 = new Prg(s0);
    Prg prg1 = new Prg(s1);
    long[][] own0 = CorrelationExpander.fssReluOwn(prg0, t);
    long[][] own1 = CorrelationExpander.fssReluOwn(prg1, t);
    long[] head =
        (p == 0 ? prg1 : prg0).nextLongs(FssReluKeys.dependentPerElement(t.shift()) * t.n());
    FssReluDealing.Dealt d =
        FssReluDealing.deal(t.bits(), t.shift(), own0, own1, new Prg(seeds.get()));
    long[] target = d.dependent();
    for (int i = 0; i < head.length; i++) {
      head[i] = target[i] - head[i];
    }
    return withKeys(p, s0, s1, head, d.words());
  }

  /**
   * Fused power: {@code r} from each party's seed; the {@code 2·d} dependent values per element
   * ({@code u, m, u^j, g_j = m·((u − K)^j − u^j)}, j = 2..d, {@code K = 2^(64−f)}) go as a
   * correction to one party (alternating): {@code 16·d} bytes per element, to one party only. When
   * exact, the borrow DCF's correction words (roots from the seeds, width {@code 2d − 1} payload
   * {@code (1, u, …, u^(d−1), g_1, …, g_(d−1))}) go to both: {@code 8·(f·(2 + w) + w) + f/4} bytes
   * per element and party, w = 2d − 1.
   */
  private Dealt fusedPower(CorrelationRequest.FusedPower t, Seed s0, Seed s1) {
    int n = t.n();
    int f = t.fracBits();
    int d = t.degree();
    int p = (int) (arithmeticBatches++ & 1);
    Prg prg0 = new Prg(s0);
    Prg prg1 = new Prg(s1);
    long[][] own0 =
        t.exact() ? CorrelationExpander.exactOwn(prg0, n) : new long[][] {prg0.nextLongs(n)};
    long[][] own1 =
        t.exact() ? CorrelationExpander.exactOwn(prg1, n) : new long[][] {prg1.nextLongs(n)};
    long[] head = (p == 0 ? prg1 : prg0).nextLongs(2 * d * n);
    int w = t.borrowWidth();
    long[] alpha = t.exact() ? new long[n] : null;
    long[] payload = t.exact() ? new long[n * w] : null;
    long bigK = 1L << (64 - f);
    long lowMask = (1L << f) - 1;
    long[] uPow = new long[d + 1];
    long[] g = new long[d + 1];
    for (int i = 0; i < n; i++) {
      long r = own0[0][i] + own1[0][i];
      long u = r >>> f;
      long m = r >>> 63;
      long uj = 1;
      long vj = 1;
      for (int j = 1; j <= d; j++) {
        uj *= u;
        vj *= u - bigK;
        uPow[j] = uj;
        g[j] = m * (vj - uj);
      }
      head[i] = u - head[i];
      head[n + i] = m - head[n + i];
      for (int j = 2; j <= d; j++) {
        int pb = FusedPowerTuples.powerBlock(j) * n + i;
        int wb = FusedPowerTuples.wrapBlock(d, j) * n + i;
        head[pb] = uPow[j] - head[pb];
        head[wb] = g[j] - head[wb];
      }
      if (t.exact()) {
        alpha[i] = r & lowMask;
        payload[i * w] = 1;
        for (int l = 1; l < d; l++) {
          payload[i * w + l] = uPow[l];
          payload[i * w + d - 1 + l] = g[l];
        }
      }
    }
    if (!t.exact()) {
      return corrected(
          p, new DealerMessage(p == 0 ? s0 : s1, head), DealerMessage.seedOnly(p == 0 ? s1 : s0));
    }
    long[] words =
        Dcf.generate(f, w, alpha, payload, own0[1], own0[2], own1[1], own1[2])[0].correctionWords();
    return withKeys(p, s0, s1, head, words);
  }

  /** Number of fixed weight masks registered in this session. */
  public synchronized int maskCount() {
    return masks.size();
  }

  /**
   * The corrected party's share of the dependent part: {@code target − (uncorrected share)}, with
   * the target computed from the sum of both parties' independent shares. A triple's target is
   * {@code A ⊗ B} and a fixed-mask triple's {@code A ⊗ B_mask}, for any bilinear map.
   */
  private long[] correction(CorrelationRequest request, Correlation p, Correlation u) {
    if (request instanceof CorrelationRequest.Triples t) {
      BeaverTriples tp = (BeaverTriples) p;
      BeaverTriples tu = (BeaverTriples) u;
      return subInPlace(t.map().apply(add(tp.a(), tu.a()), add(tp.b(), tu.b())), tu.c());
    }
    if (request instanceof CorrelationRequest.FixedMask f) {
      long[] a = add(((FixedMaskTriple) p).a(), ((FixedMaskTriple) u).a());
      long[] b = mask(f.maskId(), f.map().rightNumel());
      return subInPlace(f.map().apply(a, b), ((FixedMaskTriple) u).c());
    }
    if (request instanceof CorrelationRequest.Squares) {
      SquarePairs sp = (SquarePairs) p;
      SquarePairs su = (SquarePairs) u;
      long[] c = new long[sp.size()];
      for (int i = 0; i < c.length; i++) {
        long r = sp.r()[i] + su.r()[i];
        c[i] = r * r - su.r2()[i];
      }
      return c;
    }
    if (request instanceof CorrelationRequest.Truncation) {
      TruncationTuples tp = (TruncationTuples) p;
      TruncationTuples tu = (TruncationTuples) u;
      int n = tp.size();
      int f = tp.fracBits();
      long[] c = new long[2 * n];
      for (int i = 0; i < n; i++) {
        long r = tp.r()[i] + tu.r()[i];
        c[i] = (r >>> f) - tu.rShifted()[i];
        c[n + i] = (r >>> 63) - tu.msb()[i];
      }
      return c;
    }
    throw new AssertionError("unhandled correlation request " + request);
  }

  private long[] mask(int maskId, int numel) {
    long[] b = masks.get(maskId);
    if (b == null) {
      throw new IllegalArgumentException(
          "fixed-mask request for weight mask "
              + maskId
              + ", which was never dealt in this session;"
              + " request WeightMask("
              + maskId
              + ", "
              + numel
              + ") first");
    }
    if (b.length != numel) {
      throw new IllegalArgumentException(
          "weight mask "
              + maskId
              + " has "
              + b.length
              + " elements but the layer's weights have "
              + numel);
    }
    return b;
  }

  private static Correlation raw(int party, CorrelationRequest request, Seed seed) {
    return CorrelationExpander.expand(party, request, DealerMessage.seedOnly(seed));
  }

  private static long[] add(long[] a, long[] b) {
    long[] out = new long[a.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = a[i] + b[i];
    }
    return out;
  }

  private static long[] subInPlace(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] -= b[i];
    }
    return a;
  }
}
