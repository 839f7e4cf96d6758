package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import org.polyshare.core.correlation.RandomOts;
import org.polyshare.core.link.ChunkSink;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.store.LongFile;

/**
 * Party 0 of the shared-input protocol ({@link SharedGc}): garbles offline, sends its input labels
 * online.
 *
 * <p>The offline phase is a stepper so a caller can time the engine apart from the link: {@link
 * #start} (random OTs, seed, the masked choices), then per chunk {@link #garbleChunk} (no link
 * traffic) and {@link #sendChunk}, then {@link #finish}. {@link #prepare} runs the steps. Chunks
 * are sent as they are garbled, so at most one chunk of tables is held.
 */
public final class SharedGarbler {
  private final Party party;
  private final GcFunction f;
  private final int n;
  private final int kb;
  private final RandomOts ots;
  private final long[] e;
  private final long dLo;
  private final long dHi;
  private final LongFile aZero;
  private final long[] mask;
  private final Prg prg;
  private final Prg uPrg;
  private final Garbler gb;
  private final long[] uLabels;
  private final long[] sZero;
  private final long[] aChunk;
  private int first;
  private long[] pending;

  private SharedGarbler(Party party, GcFunction f, int n) {
    Preconditions.checkArgument(
        party.id() == 0, "party %s cannot garble; party 0 does", party.id());
    SharedGc.checkBatch(n, f.k);
    this.party = party;
    this.f = f;
    this.n = n;
    this.kb = f.k * SharedGc.BITS;
    this.prg = party.localPrg();
    long[] delta = Garbler.randomDelta(prg);
    this.dLo = delta[0];
    this.dHi = delta[1];
    if (n == 0) {
      this.ots = null;
      this.e = null;
      this.aZero = party.materialStore().create("gc-garbler", 0);
      this.mask = new long[0];
      this.uPrg = null;
      this.gb = null;
      this.uLabels = null;
      this.sZero = null;
      this.aChunk = null;
      return;
    }
    this.ots = SharedGc.randomOts(party, kb * n);
    this.mask = prg.nextLongs(n);
    PartyLink link = party.link();
    Seed uSeed = Seed.random();
    link.send(f.tags.seed(), uSeed.bytes());
    this.uPrg = new Prg(uSeed);
    long nonce = Tweaks.freshNonce(uPrg); // first output: party 1 derives the same
    this.e = link.receiveLongs(f.tags.e());
    SharedGc.checkLength(e, (long) n * f.k, "masked OT choices");
    this.gb = new Garbler(f.circuit, Math.min(SharedGc.CHUNK, n), dLo, dHi, nonce);
    this.uLabels = new long[2 * SharedGc.BITS * gb.capacity()];
    this.sZero = new long[2 * kb * gb.capacity()];
    this.aChunk = new long[2 * kb * gb.capacity()];
    // zero-labels of a, drawn chunk by chunk as garbled; kept for the online phase
    this.aZero = party.materialStore().create("gc-garbler", 2L * kb * n);
  }

  /**
   * Offline, first step: draws the random OTs, sends the seed, receives party 1's masked choices.
   */
  public static SharedGarbler start(Party party, GcFunction f, int n) {
    return new SharedGarbler(party, f, n);
  }

  /** All offline steps. */
  static GcOffline prepare(Party party, GcFunction f, int n) {
    SharedGarbler g = start(party, f, n);
    try {
      while (g.hasNextChunk()) {
        g.garbleChunk();
        g.sendChunk();
      }
      return g.finish();
    } catch (RuntimeException e) {
      g.abandon();
      throw e;
    }
  }

  /** Removes the zero-labels' file of a garbling that will not finish (a failed link). */
  public void abandon() {
    aZero.close();
  }

  public boolean hasNextChunk() {
    return first < n;
  }

  /**
   * Garbles the next chunk into its message: tables ‖ D (2 longs per {@code s}-bit, instance-major)
   * ‖ decoding words. Local work only: the engine plus label set-up.
   */
  public void garbleChunk() {
    Preconditions.checkState(pending == null, "send the garbled chunk before garbling the next");
    Preconditions.checkState(hasNextChunk(), "all %s instances are garbled", n);
    final int m = Math.min(gb.capacity(), n - first);
    final int andLongs = (int) gb.tableLongs(m);
    long[] msg = new long[andLongs + 2 * kb * m + m];
    // s-wires: zero-label m_e, D to the message (LabelOt)
    LabelOt.senderLabels(ots, e, dLo, dHi, first * kb, m * kb, sZero, 0, msg, andLongs);
    prg.fill(aChunk, 0, 2 * kb * m);
    aZero.put(2L * kb * first, aChunk, 0, 2 * kb * m);
    for (int t = 0; t < kb; t++) {
      long[] la = gb.inputLabels(t);
      long[] ls = gb.inputLabels(kb + SharedGc.BITS + t);
      for (int q = 0; q < m; q++) {
        int src = (q * kb + t) * 2;
        la[2 * q] = aChunk[src];
        la[2 * q + 1] = aChunk[src + 1];
        ls[2 * q] = sZero[src];
        ls[2 * q + 1] = sZero[src + 1];
      }
    }
    uPrg.fill(uLabels, 0, 2 * SharedGc.BITS * m);
    for (int j = 0; j < SharedGc.BITS; j++) {
      long[] lu = gb.inputLabels(kb + j);
      for (int q = 0; q < m; q++) {
        // u = −r: party 1 holds P (from the seed); zero-label P ⊕ u·Δ
        long ub = -((-mask[first + q] >>> j) & 1L);
        int pu = (q * SharedGc.BITS + j) * 2;
        lu[2 * q] = uLabels[pu] ^ (ub & dLo);
        lu[2 * q + 1] = uLabels[pu + 1] ^ (ub & dHi);
      }
    }
    gb.garble(m, first, msg, 0);
    int dec = andLongs + 2 * kb * m;
    for (int q = 0; q < m; q++) {
      long w = 0;
      for (int j = 0; j < SharedGc.BITS; j++) {
        w |= gb.decodeBit(j, q) << j;
      }
      msg[dec + q] = w;
    }
    pending = msg;
  }

  /** Sends the chunk {@link #garbleChunk} made. */
  public void sendChunk() {
    Preconditions.checkState(pending != null, "no garbled chunk to send");
    party.link().send(f.tags.tables(), pending);
    first += Math.min(gb.capacity(), n - first);
    pending = null;
  }

  /** Offline, last step: this party's material, once every chunk is sent. */
  public GcOffline finish() {
    Preconditions.checkState(
        !hasNextChunk() && pending == null, "%s of %s instances not sent", n - first, n);
    return new GcOffline(f, n, new GarblerMaterial(dLo, dHi, aZero, mask));
  }

  /**
   * Online: receives {@code x1 − s}, forms {@code a = x0 + x1 − s} and sends its active labels
   * {@code A0 ⊕ a·Δ}; returns this party's share {@code r}. Consumes {@code offline} and removes
   * its file.
   */
  public static long[] online(Party party, GcOffline offline, long[] myShare) {
    return online(party, offline, offline.function.tags, myShare);
  }

  static long[] online(Party party, GcOffline offline, SharedGc.Tags family, long[] myShare) {
    try (GcOffline used = offline) {
      GarblerMaterial mat = used.consume(party, family, myShare, GarblerMaterial.class);
      final int n = used.n;
      if (n == 0) {
        return new long[0];
      }
      final int words = n * used.function.k;
      PartyLink link = party.link();
      long[] d = link.receiveLongs(family.masked());
      SharedGc.checkLength(d, words, "masked shares");
      sendActiveLabels(
          link.openChunked(family.labels(), 2 * SharedGc.BITS * words), mat, myShare, d);
      return mat.mask();
    }
  }

  /**
   * {@code A0 ⊕ a·Δ} per bit of {@code a = x0 + d}, one block of {@link SharedGc#CHUNK} words at a
   * time: the zero-labels are read from the store into one reused buffer, turned into active labels
   * in place and sent as one piece of a chunked message, so the heap holds 256 KiB of labels
   * whatever the layer's width (1 KiB per word in all) and party 1 evaluates block k while block
   * k+1 is on the wire.
   */
  private static void sendActiveLabels(ChunkSink out, GarblerMaterial mat, long[] x0, long[] d) {
    final int per = 2 * SharedGc.BITS;
    final int words = d.length;
    long[] z = new long[per * Math.min(words, SharedGc.CHUNK)];
    final long lo = mat.deltaLo();
    final long hi = mat.deltaHi();
    for (int w0 = 0; w0 < words; w0 += SharedGc.CHUNK) {
      int m = Math.min(SharedGc.CHUNK, words - w0);
      mat.aZero().get((long) per * w0, z, 0, per * m);
      for (int w = 0; w < m; w++) {
        long a = x0[w0 + w] + d[w0 + w];
        for (int j = 0; j < SharedGc.BITS; j++) {
          int zi = (w * SharedGc.BITS + j) * 2;
          long bit = -((a >>> j) & 1L);
          z[zi] ^= bit & lo;
          z[zi + 1] ^= bit & hi;
        }
      }
      out.put(z, 0, per * m);
    }
  }
}
