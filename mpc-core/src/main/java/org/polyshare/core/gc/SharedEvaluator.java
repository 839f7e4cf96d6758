package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import java.util.Arrays;
import org.polyshare.core.correlation.RandomOts;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;
import org.polyshare.core.protocol.Party;

/**
 * Party 1 of the shared-input protocol ({@link SharedGc}): receives the garbled tables offline;
 * online, sends its masked share ({@link #exchange}) and evaluates ({@link #evaluate}, local work
 * only, so a caller can time the engine apart from the link).
 */
public final class SharedEvaluator {
  private SharedEvaluator() {}

  /** Offline: random OTs, masked choices, then every chunk's tables, D and decoding words. */
  public static GcOffline prepare(Party party, GcFunction f, int n) {
    Preconditions.checkArgument(
        party.id() == 1, "party %s cannot evaluate; party 1 does", party.id());
    SharedGc.checkBatch(n, f.k);
    final int k = f.k;
    final int kb = k * SharedGc.BITS;
    if (n == 0) {
      return new GcOffline(
          f,
          0,
          new EvaluatorMaterial(
              new long[0], new long[0], new long[0], new long[0], new long[0][], 0));
    }
    RandomOts ots = party.correlations().randomOts(kb * n);
    if (ots.count() != kb * n || ots.isSender()) {
      throw new IllegalStateException(
          "party 1 got "
              + ots.count()
              + " random OTs as "
              + (ots.isSender() ? "sender" : "receiver")
              + "; the garbled circuit needs "
              + kb * n
              + " with party 1 as receiver");
    }
    PartyLink link = party.link();
    long[] s = party.localPrg().nextLongs(n * k);
    link.send(f.tags.e(), LabelOt.maskedChoices(ots, s));
    Prg uPrg = new Prg(Seed.of(link.receiveBytes(f.tags.seed())));
    long nonce = Tweaks.freshNonce(uPrg);
    long[] uActive = new long[2 * SharedGc.BITS * n];
    long[] sActive = new long[2 * kb * n];
    long[] decode = new long[n];
    int cap = Math.min(SharedGc.CHUNK, n);
    long[][] tables = new long[(n + cap - 1) / cap][];
    for (int first = 0, chunk = 0; first < n; first += cap, chunk++) {
      int m = Math.min(cap, n - first);
      int andLongs = 4 * f.circuit.andCount() * m;
      long[] msg = link.receiveLongs(f.tags.tables());
      SharedGc.checkLength(msg, (long) andLongs + 2L * kb * m + m, "garbled tables");
      uPrg.fill(uActive, 2 * SharedGc.BITS * first, 2 * SharedGc.BITS * m);
      LabelOt.receiverLabels(ots, s, first * kb, m * kb, msg, andLongs, sActive, 2 * first * kb);
      System.arraycopy(msg, andLongs + 2 * kb * m, decode, first, m);
      // keep only the tables: D and the decoding words are consumed
      tables[chunk] = andLongs == msg.length ? msg : Arrays.copyOf(msg, andLongs);
    }
    return new GcOffline(f, n, new EvaluatorMaterial(s, sActive, uActive, decode, tables, nonce));
  }

  /** Online, both steps: this party's share {@code f(x) − r} per instance. */
  static long[] online(Party party, GcOffline offline, SharedGc.Tags family, long[] myShare) {
    return evaluate(offline, exchange(party, offline, family, myShare));
  }

  /**
   * Online, first step: sends {@code x1 − s}, receives party 0's active labels of {@code a}.
   * Consumes {@code offline}.
   */
  public static long[] exchange(Party party, GcOffline offline, long[] myShare) {
    return exchange(party, offline, offline.function.tags, myShare);
  }

  private static long[] exchange(
      Party party, GcOffline offline, SharedGc.Tags family, long[] myShare) {
    EvaluatorMaterial mat = offline.consume(party, family, myShare, EvaluatorMaterial.class);
    if (offline.n == 0) {
      return new long[0];
    }
    long[] s = mat.s();
    long[] d = new long[s.length];
    for (int w = 0; w < d.length; w++) {
      d[w] = myShare[w] - s[w];
    }
    PartyLink link = party.link();
    link.send(family.masked(), d);
    long[] aActive = link.receiveLongs(family.labels());
    SharedGc.checkLength(aActive, 2L * SharedGc.BITS * s.length, "input labels");
    return aActive;
  }

  /**
   * Online, second step: evaluates every instance on the active labels {@link #exchange} returned
   * and decodes; local work only.
   */
  public static long[] evaluate(GcOffline offline, long[] aActive) {
    if (!(offline.material instanceof EvaluatorMaterial mat)) {
      throw new IllegalArgumentException(
          "party 0's garbled-circuit material cannot be evaluated; party 1 evaluates");
    }
    Preconditions.checkState(offline.isUsed(), "call exchange before evaluate");
    final int n = offline.n;
    final int kb = offline.function.k * SharedGc.BITS;
    Preconditions.checkArgument(
        aActive.length == 2L * kb * n,
        "%s label longs given, %s expected",
        aActive.length,
        2L * kb * n);
    long[] y = new long[n];
    if (n == 0) {
      return y;
    }
    Evaluator ev =
        new Evaluator(offline.function.circuit, Math.min(SharedGc.CHUNK, n), mat.nonce());
    final long[] sActive = mat.sActive();
    final long[] uActive = mat.uActive();
    int chunk = 0;
    for (int first = 0; first < n; first += ev.capacity(), chunk++) {
      int m = Math.min(ev.capacity(), n - first);
      for (int t = 0; t < kb; t++) {
        long[] la = ev.inputLabels(t);
        long[] ls = ev.inputLabels(kb + SharedGc.BITS + t);
        for (int q = 0; q < m; q++) {
          int src = ((first + q) * kb + t) * 2;
          la[2 * q] = aActive[src];
          la[2 * q + 1] = aActive[src + 1];
          ls[2 * q] = sActive[src];
          ls[2 * q + 1] = sActive[src + 1];
        }
      }
      for (int j = 0; j < SharedGc.BITS; j++) {
        long[] lu = ev.inputLabels(kb + j);
        for (int q = 0; q < m; q++) {
          int src = ((first + q) * SharedGc.BITS + j) * 2;
          lu[2 * q] = uActive[src];
          lu[2 * q + 1] = uActive[src + 1];
        }
      }
      ev.evaluate(m, first, mat.tables()[chunk], 0);
      for (int q = 0; q < m; q++) {
        long w = 0;
        for (int j = 0; j < SharedGc.BITS; j++) {
          w |= ev.outputLsb(j, q) << j;
        }
        y[first + q] = w ^ mat.decode()[first + q];
      }
    }
    return y;
  }
}
