package org.polyshare.core.gc;

import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;

/** Garbles and evaluates in one thread, as a check of the engines against plain evaluation. */
final class GcTestSupport {
  private GcTestSupport() {}

  /**
   * Garbles {@code values.length} instances (values[k][i] = input i of instance k, LSB-first
   * words), hands the evaluator the active input labels, evaluates and decodes; returns
   * outputs[k][o] in the same word form. Uses a small capacity so several chunks are exercised.
   */
  static long[][][] garbleAndEvaluate(Circuit c, long[][][] values, int capacity) {
    Prg prg = new Prg(Seed.random());
    long[] delta = Garbler.randomDelta(prg);
    long nonce = prg.nextLong();
    Garbler gb = new Garbler(c, capacity, delta[0], delta[1], nonce);
    Evaluator ev = new Evaluator(c, capacity, nonce);
    int n = values.length;
    long[][][] out = new long[n][c.outputCount()][];
    for (int first = 0; first < n; first += capacity) {
      int m = Math.min(capacity, n - first);
      for (int i = 0; i < c.inputCount(); i++) {
        for (int j = 0; j < c.inputWidth(i); j++) {
          int bit = c.inputOffset(i) + j;
          long[] gl = gb.inputLabels(bit);
          long[] el = ev.inputLabels(bit);
          for (int k = 0; k < m; k++) {
            long lo = prg.nextLong();
            long hi = prg.nextLong();
            gl[2 * k] = lo;
            gl[2 * k + 1] = hi;
            long v = -(long) Bits.get(values[first + k][i], j);
            el[2 * k] = lo ^ (v & delta[0]);
            el[2 * k + 1] = hi ^ (v & delta[1]);
          }
        }
      }
      long[] tables = new long[(int) gb.tableLongs(m)];
      gb.garble(m, first, tables, 0);
      ev.evaluate(m, first, tables, 0);
      for (int k = 0; k < m; k++) {
        for (int o = 0; o < c.outputCount(); o++) {
          long[] w = new long[(c.outputWidth(o) + 63) >>> 6];
          int base = c.outputOffset(o);
          for (int j = 0; j < c.outputWidth(o); j++) {
            long bit = ev.outputLsb(base + j, k) ^ gb.decodeBit(base + j, k);
            w[j >>> 6] |= bit << (j & 63);
          }
          out[first + k][o] = w;
        }
      }
    }
    return out;
  }
}
