package org.polyshare.core.gc;

import org.polyshare.core.link.ChunkListener;
import org.polyshare.core.store.LongFile;

/**
 * Party 1's online evaluation of one batch, fed with party 0's active labels of {@code a} as they
 * arrive ({@link ChunkListener}): the labels of each engine chunk of {@link SharedGc#CHUNK}
 * instances are gathered (256 KiB for a ReLU), that chunk is evaluated against its tables and
 * labels in the material store and decoded, and the buffer is reused for the next. So the heap
 * holds one chunk of labels, not the layer's 1 KiB per value, and evaluation overlaps the rest of
 * the stream. A piece that holds a whole chunk is evaluated in place, without the copy.
 *
 * <p>Pieces must come in order ({@code at} = elements received so far), as the link delivers them;
 * the store's record layout is that of {@link SharedEvaluator}.
 */
final class StreamedEvaluation implements ChunkListener {
  /** Longs of stored labels read per block when loading them into the engine (64 KiB). */
  private static final int LABEL_BLOCK = 8192;

  private final GcFunction f;
  private final int n;
  private final int kb;
  private final EvaluatorMaterial mat;
  private final Evaluator ev;
  private final long record;
  private final long[] block;
  private final long[] gathered;
  private final long[] y;
  private int filled;
  private int first;
  private long received;

  StreamedEvaluation(GcOffline offline, EvaluatorMaterial mat) {
    this.f = offline.function;
    this.n = offline.n;
    this.kb = f.k * SharedGc.BITS;
    this.mat = mat;
    int cap = Math.max(1, Math.min(SharedGc.CHUNK, n));
    this.ev = new Evaluator(f.circuit, cap, mat.nonce());
    this.record = SharedEvaluator.recordLongs(f);
    this.block = new long[Math.max(LABEL_BLOCK, 2 * kb)];
    this.gathered = new long[2 * kb * cap];
    this.y = new long[n];
  }

  /** Longs of input labels the whole batch needs: 2 per bit of every value. */
  long expectedLongs() {
    return 2L * kb * n;
  }

  @Override
  public void piece(long[] piece, int at) {
    if (at != received || received + piece.length > expectedLongs()) {
      throw new IllegalStateException(
          "garbled circuit protocol: input labels ["
              + at
              + ", "
              + ((long) at + piece.length)
              + ") after "
              + received
              + " of "
              + expectedLongs()
              + " (the parties disagree on the batch size or the circuit)");
    }
    int off = 0;
    while (off < piece.length) {
      int whole = chunkLabels();
      if (filled == 0 && piece.length - off >= whole) {
        evaluateChunk(piece, off);
        off += whole;
        continue;
      }
      int c = Math.min(whole - filled, piece.length - off);
      System.arraycopy(piece, off, gathered, filled, c);
      filled += c;
      off += c;
      if (filled == whole) {
        evaluateChunk(gathered, 0);
        filled = 0;
      }
    }
    received += piece.length;
  }

  /** Every instance's share {@code f(x) − r}, once all labels have arrived. */
  long[] result() {
    if (first != n) {
      throw new IllegalStateException(
          "garbled circuit protocol: labels for "
              + first
              + " of "
              + n
              + " instances arrived; the stream ended early");
    }
    return y;
  }

  /** Label longs of the next chunk. */
  private int chunkLabels() {
    return 2 * kb * Math.min(ev.capacity(), n - first);
  }

  /** Evaluates instances {@code first ..} with their {@code a}-labels at {@code labels[off ..]}. */
  private void evaluateChunk(long[] labels, int off) {
    final int m = Math.min(ev.capacity(), n - first);
    final long at = record * first;
    final long sAt = at + 4L * f.circuit.andCount() * m;
    final long uAt = sAt + 2L * kb * m;
    for (int t = 0; t < kb; t++) {
      long[] la = ev.inputLabels(t);
      for (int q = 0; q < m; q++) {
        int src = off + (q * kb + t) * 2;
        la[2 * q] = labels[src];
        la[2 * q + 1] = labels[src + 1];
      }
    }
    loadLabels(mat.chunks(), sAt, m, kb, kb + SharedGc.BITS);
    loadLabels(mat.chunks(), uAt, m, SharedGc.BITS, kb);
    ev.evaluate(m, first, mat.chunks(), at);
    final long[] decode = mat.decode();
    for (int q = 0; q < m; q++) {
      long w = 0;
      for (int j = 0; j < SharedGc.BITS; j++) {
        w |= ev.outputLsb(j, q) << j;
      }
      y[first + q] = w ^ decode[first + q];
    }
    first += m;
  }

  /**
   * Loads {@code width} input bits per instance into the engine's inputs {@code firstBit ..}: the
   * labels of instance {@code q}, bit {@code t} are stored at {@code at + (q·width + t)·2}. Reads
   * whole instances in blocks that fit {@link #block} (a small, reused buffer), so the transpose
   * into the engine's slot arrays runs over a cached primitive array.
   */
  private void loadLabels(LongFile file, long at, int m, int width, int firstBit) {
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
