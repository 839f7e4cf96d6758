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
 * online, sends its masked share and evaluates each chunk as party 0's labels for it arrive ({@link
 * StreamedEvaluation}), or, for a caller that times the engine apart from the link, in two steps:
 * {@link #exchange} (the whole label message) then {@link #evaluate} (local work only).
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

  /** Longs of one instance's record in the store: tables, then s-labels, then u-labels. */
  static long recordLongs(GcFunction f) {
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

  /**
   * Online, both steps: sends {@code x1 − s}, then evaluates each chunk as its labels arrive
   * ({@link StreamedEvaluation}); this party's share {@code f(x) − r} per instance.
   */
  static long[] online(Party party, GcOffline offline, SharedGc.Tags family, long[] myShare) {
    try (GcOffline used = offline) {
      EvaluatorMaterial mat = sendMasked(party, used, family, myShare);
      if (used.n == 0) {
        return new long[0];
      }
      StreamedEvaluation run = new StreamedEvaluation(used, mat);
      party.link().receiveLongs(family.labels(), (int) run.expectedLongs(), run);
      return run.result();
    }
  }

  /**
   * Online, first step (timed apart from the engine): sends {@code x1 − s}, receives party 0's
   * active labels of {@code a} whole. Consumes {@code offline}.
   */
  public static long[] exchange(Party party, GcOffline offline, long[] myShare) {
    EvaluatorMaterial mat = sendMasked(party, offline, offline.function.tags, myShare);
    if (offline.n == 0) {
      return new long[0];
    }
    long[] aActive = new long[2 * SharedGc.BITS * mat.s().length];
    party
        .link()
        .receiveLongs(
            offline.function.tags.labels(),
            aActive.length,
            (piece, at) -> System.arraycopy(piece, 0, aActive, at, piece.length));
    return aActive;
  }

  /** Consumes {@code offline} and sends {@code x1 − s}; returns the role's material. */
  private static EvaluatorMaterial sendMasked(
      Party party, GcOffline offline, SharedGc.Tags family, long[] myShare) {
    EvaluatorMaterial mat = offline.consume(party, family, myShare, EvaluatorMaterial.class);
    if (offline.n == 0) {
      return mat;
    }
    long[] s = mat.s();
    long[] d = new long[s.length];
    for (int w = 0; w < d.length; w++) {
      d[w] = myShare[w] - s[w];
    }
    party.link().send(family.masked(), d);
    return mat;
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
      StreamedEvaluation run = new StreamedEvaluation(used, mat);
      Preconditions.checkArgument(
          aActive.length == run.expectedLongs(),
          "%s label longs given, %s expected",
          aActive.length,
          run.expectedLongs());
      if (aActive.length > 0) {
        run.piece(aActive, 0);
      }
      return run.result();
    }
  }
}
