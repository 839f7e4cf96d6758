package org.polyshare.bench.ops;

import org.polyshare.core.kernel.Conv2dShape;

/**
 * A 2-D convolution (NCHW, square kernel, stride, zero padding) of party 1's input by party 0's
 * filters.
 */
final class Conv2dOp extends LinearOp {
  private final Conv2dShape s;

  Conv2dOp(Conv2dShape s, LinearMode mode, int fracBits) {
    super(
        mode,
        fracBits,
        s,
        "batch="
            + s.batch()
            + " in="
            + s.inC()
            + "x"
            + s.h()
            + "x"
            + s.w()
            + " out="
            + s.outC()
            + "x"
            + s.outH()
            + "x"
            + s.outW()
            + " kernel="
            + s.kH()
            + " stride="
            + s.stride()
            + " pad="
            + s.pad()
            + " ("
            + s.macs()
            + " MACs)");
    this.s = s;
  }

  /**
   * Direct convolution in double: every output accumulates {@code w[oc,c,ky,kx] · x[c, iy, ix]}.
   */
  @Override
  public double[] reference(double[] x, double[] w) {
    double[] o = new double[s.outputNumel()];
    int oh = s.outH();
    int ow = s.outW();
    for (int b = 0; b < s.batch(); b++) {
      for (int oc = 0; oc < s.outC(); oc++) {
        for (int c = 0; c < s.inC(); c++) {
          for (int ky = 0; ky < s.kH(); ky++) {
            for (int kx = 0; kx < s.kW(); kx++) {
              double wt = w[((oc * s.inC() + c) * s.kH() + ky) * s.kW() + kx];
              for (int oy = 0; oy < oh; oy++) {
                int iy = oy * s.stride() - s.pad() + ky;
                if (iy < 0 || iy >= s.h()) {
                  continue;
                }
                int outRow = ((b * s.outC() + oc) * oh + oy) * ow;
                int inRow = ((b * s.inC() + c) * s.h() + iy) * s.w();
                for (int ox = 0; ox < ow; ox++) {
                  int ix = ox * s.stride() - s.pad() + kx;
                  if (ix >= 0 && ix < s.w()) {
                    o[outRow + ox] += wt * x[inRow + ix];
                  }
                }
              }
            }
          }
        }
      }
    }
    return o;
  }
}
