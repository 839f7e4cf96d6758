package org.polyshare.models.secure;

import org.polyshare.models.graph.PoolWindow;

/**
 * Where each cell of each pooling window lies, for windows with padding, dilation and ceil mode
 * ({@link PoolWindow}); the same for every channel and sample. Cell {@code j} of output position
 * {@code o} is {@code cells[o·k² + j]}: an offset {@code y·w + x} into the input plane, {@link
 * #PAD} inside the padding, or {@link #OUTSIDE} past the padded end (a ceil-mode window's overhang,
 * which takes no part, as in the plaintext evaluator).
 */
final class PoolGeometry {
  static final int PAD = -1;
  static final int OUTSIDE = -2;

  final int channels;
  final int plane;
  final int outPlane;
  final int window;
  final int[] cells;

  /** Per output position: cells inside the input, and inside the padded input. */
  final int[] inside;

  final int[] padded;

  private PoolGeometry(
      int channels, int plane, int outPlane, int window, int[] cells, int[] inside, int[] padded) {
    this.channels = channels;
    this.plane = plane;
    this.outPlane = outPlane;
    this.window = window;
    this.cells = cells;
    this.inside = inside;
    this.padded = padded;
  }

  static PoolGeometry of(int[] chw, PoolWindow pw, String layer) {
    int h = chw[1];
    int w = chw[2];
    int oh = pw.outH(h, layer);
    int ow = pw.outW(w, layer);
    int k = pw.kernel();
    int d = pw.dilation();
    int[] pads = pw.pads();
    int padH = h + pads[2];
    int padW = w + pads[3];
    int window = k * k;
    int[] cells = new int[oh * ow * window];
    int[] inside = new int[oh * ow];
    int[] padded = new int[oh * ow];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int o = y * ow + x;
        for (int ky = 0; ky < k; ky++) {
          int iy = y * pw.stride() - pads[0] + ky * d;
          for (int kx = 0; kx < k; kx++) {
            int ix = x * pw.stride() - pads[1] + kx * d;
            int cell;
            if (iy >= padH || ix >= padW) {
              cell = OUTSIDE;
            } else if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
              cell = iy * w + ix;
              inside[o]++;
              padded[o]++;
            } else {
              cell = PAD;
              padded[o]++;
            }
            cells[o * window + ky * k + kx] = cell;
          }
        }
      }
    }
    return new PoolGeometry(chw[0], h * w, oh * ow, window, cells, inside, padded);
  }

  /** Window sums of a batch {@code [batch, C, H, W]} (padding cells are zeros). */
  long[] sums(long[] x, int batch) {
    long[] out = new long[batch * channels * outPlane];
    for (int bc = 0; bc < batch * channels; bc++) {
      int in = bc * plane;
      int base = bc * outPlane;
      for (int o = 0; o < outPlane; o++) {
        long acc = 0;
        for (int j = o * window, end = j + window; j < end; j++) {
          int c = cells[j];
          if (c >= 0) {
            acc += x[in + c];
          }
        }
        out[base + o] = acc;
      }
    }
    return out;
  }

  /**
   * The windows laid out one after another ({@code [batch·C·outPlane][k²]}), each cell its input
   * value or {@code filler} for a cell outside the input (the garbled max-pool's layout).
   */
  long[] gather(long[] x, int batch, long padFiller, long outsideFiller) {
    long[] out = new long[batch * channels * outPlane * window];
    int t = 0;
    for (int bc = 0; bc < batch * channels; bc++) {
      int in = bc * plane;
      for (int j = 0; j < cells.length; j++) {
        int c = cells[j];
        out[t++] = c >= 0 ? x[in + c] : c == PAD ? padFiller : outsideFiller;
      }
    }
    return out;
  }
}
