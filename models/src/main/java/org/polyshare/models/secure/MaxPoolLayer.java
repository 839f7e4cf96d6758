package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.gc.GcMaxPool;
import org.polyshare.core.gc.GcOffline;
import org.polyshare.core.protocol.Party;
import org.polyshare.models.graph.MaxPool;

/**
 * Max pooling, exact, by the arm of {@link ReluMode}. Online, each party lays its shares out window
 * by window ({@link PoolGeometry#gather}).
 *
 * <p><b>GC</b>: the garbled max-pool circuit ({@link GcMaxPool}, shift 0). A cell outside the input
 * is a public constant, so party 0 holds it and party 1 a zero share: the ring minimum {@code
 * −2^63} (never above a real value, so it never wins: ONNX's −∞ padding, and the overhang of a
 * ceil-mode window, which takes no part), or 0 for a zero {@code Pad} folded into the pool.
 *
 * <p><b>FSS</b>: {@code max(a, b) = b + ReLU(a − b)}, a tree over the window: each level pairs the
 * surviving cells of every window and runs ONE {@link FssReluStep} batch over all the pairs (two
 * online rounds: the masked differences, then their masked sign bits), an odd cell passing up
 * unchanged, so a window of w cells takes {@code 2·⌈log2 w⌉} rounds and {@code w − 1} DCF keys. No
 * truncation: the difference of two scale-f values is at scale f, and the FSS ReLU's output shares
 * are fresh (its own output mask). The −∞ cells cannot enter a difference (it would wrap), so each
 * is replaced by a copy of a real cell of its window (max is idempotent); a zero pad stays the
 * public 0. Input bound: the difference (at f bits) must lie in {@code [−2^k, 2^k)}, k = {@link
 * FssReluWidth#of}{@code (f)}, so inputs in {@code [−2^(k−1), 2^(k−1))}, checked by {@link
 * FssReluWidth#check}. All of its cost is activation.
 */
final class MaxPoolLayer extends ActivationLayer {
  /** The largest window the max circuit takes. */
  static final int MAX_WINDOW = 1024;

  private final PoolGeometry geometry;
  private final long padValue;
  private final int windows;
  private final ReluMode relu;

  /** FSS: for each window cell, the cell whose share it takes (itself unless it takes no part). */
  private final int[] source;

  MaxPoolLayer(Program.Step step, Lowering low) {
    this(step, low, ReluMode.GC);
  }

  MaxPoolLayer(Program.Step step, Lowering low, ReluMode relu) {
    this(step, low, relu, geometry(step));
  }

  private MaxPoolLayer(Program.Step step, Lowering low, ReluMode relu, PoolGeometry g) {
    super(step, low, requests(relu, g, low.batch() * step.outNumel(), low.f()));
    MaxPool mp = (MaxPool) step.layer();
    this.geometry = g;
    this.padValue = mp.zeroPads() ? 0 : Long.MIN_VALUE;
    this.windows = n();
    this.relu = relu;
    this.source = relu == ReluMode.FSS ? sources(g, mp) : null;
    if (carryIn != 0) {
      throw new IllegalStateException("a max-pool reads values at f bits, not a carried power");
    }
  }

  private static PoolGeometry geometry(Program.Step step) {
    MaxPool mp = (MaxPool) step.layer();
    PoolGeometry g = PoolGeometry.of(step.inShape(), mp.window(), mp.name());
    if (g.window > MAX_WINDOW) {
      throw new IllegalArgumentException(
          "layer '"
              + mp.name()
              + "': a "
              + mp.kernel()
              + "x"
              + mp.kernel()
              + " max-pool window has "
              + g.window
              + " cells; the secure max-pool takes at most "
              + MAX_WINDOW);
    }
    return g;
  }

  private static List<CorrelationRequest> requests(
      ReluMode relu, PoolGeometry g, int windows, int f) {
    if (relu == ReluMode.GC) {
      return List.of(new CorrelationRequest.RandomOt(64 * g.window * windows));
    }
    List<CorrelationRequest> out = new ArrayList<>();
    for (int cur = g.window; cur > 1; cur -= cur / 2) {
      out.addAll(FssReluStep.requests(windows * (cur / 2), f, 0));
    }
    return out;
  }

  /** FSS: each −∞ or overhang cell takes the first real cell of its window. */
  private static int[] sources(PoolGeometry g, MaxPool mp) {
    int w = g.window;
    int[] src = new int[g.cells.length];
    for (int o = 0; o < g.outPlane; o++) {
      int first = -1;
      for (int j = o * w; j < o * w + w && first < 0; j++) {
        first = g.cells[j] >= 0 ? j : -1;
      }
      if (first < 0) {
        throw new IllegalArgumentException(
            "layer '" + mp.name() + "': window " + o + " covers no input cell");
      }
      for (int j = o * w; j < o * w + w; j++) {
        int c = g.cells[j];
        boolean takesPart = c >= 0 || (c == PoolGeometry.PAD && mp.zeroPads());
        src[j] = takesPart ? j : first;
      }
    }
    return src;
  }

  @Override
  Session open(Party party) {
    return () ->
        new Inference() {
          private GcOffline max;

          @Override
          void offlineActivation(Party q) {
            if (relu == ReluMode.GC) {
              max = GcMaxPool.prepare(q, windows, geometry.window, 0);
            } // FSS: the keys are drawn online from the prefetched store
          }

          @Override
          long[] onlineLinear(Party q, long[][] in) {
            boolean owner = q.id() == 0;
            long[] cells =
                geometry.gather(in[0], batch, owner ? padValue : 0, owner ? Long.MIN_VALUE : 0);
            return relu == ReluMode.FSS ? repeatRealCells(cells) : cells;
          }

          @Override
          long[] onlineActivation(Party q, long[] cells) {
            return relu == ReluMode.FSS
                ? fssMax(q, cells, windows, geometry.window, f)
                : GcMaxPool.online(q, max, cells);
          }
        };
  }

  private long[] repeatRealCells(long[] cells) {
    int per = source.length;
    for (int base = 0; base < cells.length; base += per) {
      for (int j = 0; j < per; j++) {
        cells[base + j] = cells[base + source[j]];
      }
    }
    return cells;
  }

  /**
   * Shares of each window's maximum from shares of its {@code w} cells ({@code cells[g·w + j]}):
   * the tree of the class comment, one FSS ReLU batch per level (differences at {@code f} bits).
   */
  static long[] fssMax(Party q, long[] cells, int windows, int w, int f) {
    long[] v = cells;
    for (int cur = w; cur > 1; ) {
      int pairs = cur / 2;
      int next = cur - pairs;
      long[] diff = new long[windows * pairs];
      for (int g = 0, d = 0; g < windows; g++) {
        for (int i = 0, a = g * cur; i < pairs; i++, a += 2) {
          diff[d++] = v[a] - v[a + 1];
        }
      }
      long[] r = FssReluStep.online(q, diff, f, 0);
      long[] up = new long[windows * next];
      for (int g = 0; g < windows; g++) {
        int a = g * cur;
        int u = g * next;
        for (int i = 0; i < pairs; i++) {
          up[u + i] = v[a + 2 * i + 1] + r[g * pairs + i]; // b + ReLU(a − b)
        }
        if (next > pairs) {
          up[u + pairs] = v[a + cur - 1];
        }
      }
      v = up;
      cur = next;
    }
    return v;
  }

  @Override
  long[] ring(long[][] in) {
    long[] cells = geometry.gather(in[0], batch, padValue, Long.MIN_VALUE);
    int w = geometry.window;
    long[] out = new long[windows];
    for (int g = 0; g < windows; g++) {
      long m = cells[g * w];
      for (int j = g * w + 1, end = g * w + w; j < end; j++) {
        m = Math.max(m, cells[j]);
      }
      out[g] = m;
    }
    return out;
  }
}
