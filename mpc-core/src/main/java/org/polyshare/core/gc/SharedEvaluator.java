package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import org.polyshare.core.correlation.RandomOts;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.store.LongFile;

/**
 * Party 1 of the shared-input protocol ({@link SharedGc}): receives the garbled tables offline;
 * online, sends its masked share ({@link #exchange}) and evaluates ({@link #evaluate}, local work
 * only, so a caller can time the engine apart from the link).
 *
 * <p>Each chunk's tables are written to the party's material store as they arrive, so the Java heap
 * holds one chunk at a time, whatever the layer's size. The store keeps one record per chunk of
 * {@code m} instances, at {@code first·(4·ANDs + 2·64k + 128)} longs: the tables ({@code 4·ANDs·m}
 * longs, the layout of {@link Garbler}), the active labels of {@code s} ({@code 2·64k·m}, instance
 * {@code q}, word {@code i}, bit {@code j} at {@code ((q·k + i)·64 + j)·2}) and of {@code u}
 * ({@code 2·64·m}).
 */
public final class SharedEvaluator {
  private SharedEvaluator() {}

  /** Longs of stored labels read per block when loading them into the engine (64 KiB). */
  private static final int LABEL_BLOCK = 8192;

  /** Longs of one instance's record in the store: tables, then s-labels, then u-labels. */
  private static long recordLongs(GcFunction f) {
    return 4L * f.circuit.andCount() + 2L * f.k * SharedGc.BITS + 2L * SharedGc.BITS;
  }

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
              new long[0], new long[0], party.materialStore().create("gc-evaluator", 0), 0));
    }
    RandomOts ots = SharedGc.randomOts(party, kb * n);
    PartyLink link = party.link();
    long[] s = party.localPrg().nextLongs(n * k);
    link.send(f.tags.e(), LabelOt.maskedChoices(ots, s));
    Prg uPrg = new Prg(Seed.of(link.receiveBytes(f.tags.seed())));
    long nonce = Tweaks.freshNonce(uPrg);
    long[] decode = new long[n];
    int cap = Math.min(SharedGc.CHUNK, n);
    long[] uActive = new long[2 * SharedGc.BITS * cap];
    LongFile chunks = party.materialStore().create("gc-evaluator", recordLongs(f) * n);
    try {
      for (int first = 0; first < n; first += cap) {
        int m = Math.min(cap, n - first);
        int andLongs = 4 * f.circuit.andCount() * m;
        long[] msg = link.receiveLongs(f.tags.tables());
        SharedGc.checkLength(msg, (long) andLongs + 2L * kb * m + m, "garbled tables");
        // D becomes the active s-labels in place (element by element, LabelOt), then tables and
        // labels go to the store; the decoding words stay on the heap.
        LabelOt.receiverLabels(ots, s, first * kb, m * kb, msg, andLongs, msg, andLongs);
        System.arraycopy(msg, andLongs + 2 * kb * m, decode, first, m);
        long at = recordLongs(f) * first;
        chunks.put(at, msg, 0, andLongs + 2 * kb * m);
        uPrg.fill(uActive, 0, 2 * SharedGc.BITS * m);
        chunks.put(at + andLongs + 2L * kb * m, uActive, 0, 2 * SharedGc.BITS * m);
      }
    } catch (RuntimeException e) {
      chunks.close();
      throw e;
    }
    return new GcOffline(f, n, new EvaluatorMaterial(s, decode, chunks, nonce));
  }

  /** Online, both steps: this party's share {@code f(x) − r} per instance. */
  static long[] online(Party party, GcOffline offline, SharedGc.Tags family, long[] myShare) {
    try (GcOffline used = offline) {
      return evaluate(used, exchange(party, used, family, myShare));
    }
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
   * and decodes, reading the tables chunk by chunk from the store; local work only. Removes the
   * material's file.
   */
  public static long[] evaluate(GcOffline offline, long[] aActive) {
    if (!(offline.material instanceof EvaluatorMaterial mat)) {
      throw new IllegalArgumentException(
          "party 0's garbled-circuit material cannot be evaluated; party 1 evaluates");
    }
    Preconditions.checkState(offline.isUsed(), "call exchange before evaluate");
    try (GcOffline used = offline) {
      return evaluate(used, mat, aActive);
    }
  }

  private static long[] evaluate(GcOffline offline, EvaluatorMaterial mat, long[] aActive) {
    final int n = offline.n;
    final GcFunction f = offline.function;
    final int kb = f.k * SharedGc.BITS;
    Preconditions.checkArgument(
        aActive.length == 2L * kb * n,
        "%s label longs given, %s expected",
        aActive.length,
        2L * kb * n);
    long[] y = new long[n];
    if (n == 0) {
      return y;
    }
    Evaluator ev = new Evaluator(f.circuit, Math.min(SharedGc.CHUNK, n), mat.nonce());
    final long record = recordLongs(f);
    final long[] block = new long[Math.max(LABEL_BLOCK, 2 * kb)];
    for (int first = 0; first < n; first += ev.capacity()) {
      int m = Math.min(ev.capacity(), n - first);
      final long at = record * first;
      final long sAt = at + 4L * f.circuit.andCount() * m;
      final long uAt = sAt + 2L * kb * m;
      for (int t = 0; t < kb; t++) {
        long[] la = ev.inputLabels(t);
        for (int q = 0; q < m; q++) {
          int src = ((first + q) * kb + t) * 2;
          la[2 * q] = aActive[src];
          la[2 * q + 1] = aActive[src + 1];
        }
      }
      loadLabels(ev, mat.chunks(), sAt, m, kb, kb + SharedGc.BITS, block);
      loadLabels(ev, mat.chunks(), uAt, m, SharedGc.BITS, kb, block);
      ev.evaluate(m, first, mat.chunks(), at);
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

  /**
   * Loads {@code width} input bits per instance into the engine's inputs {@code firstBit ..}: the
   * labels of instance {@code q}, bit {@code t} are stored at {@code at + (q·width + t)·2}. Reads
   * whole instances in blocks that fit {@code block} (a small, reused buffer), so the transpose
   * into the engine's slot arrays runs over a cached primitive array.
   */
  private static void loadLabels(
      Evaluator ev, LongFile file, long at, int m, int width, int firstBit, long[] block) {
    final int per = 2 * width;
    final int step = block.length / per;
    for (int q0 = 0; q0 < m; q0 += step) {
      int b = Math.min(step, m - q0);
      file.get(at + (long) per * q0, block, 0, per * b);
      for (int t = 0; t < width; t++) {
        long[] l = ev.inputLabels(firstBit + t);
        for (int q = 0; q < b; q++) {
          l[2 * (q0 + q)] = block[q * per + 2 * t];
          l[2 * (q0 + q) + 1] = block[q * per + 2 * t + 1];
        }
      }
    }
  }
}
