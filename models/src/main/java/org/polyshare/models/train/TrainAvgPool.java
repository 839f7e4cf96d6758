package org.polyshare.models.train;

import org.polyshare.models.graph.AvgPool;
import org.polyshare.models.graph.Layer;

/** Average pooling, no padding; backward spreads {@code dy / k²} over each window. */
final class TrainAvgPool extends TrainLayer {
  final int k, stride;

  TrainAvgPool(String name, int k, int stride) {
    super(name);
    this.k = k;
    this.stride = stride;
  }

  @Override
  int[] outShape(int[] in) {
    if (in.length != 3 || in[1] < k || in[2] < k) {
      throw new IllegalArgumentException(
          "layer '"
              + name
              + "' expects [C, H, W] with H, W >= "
              + k
              + ", got "
              + java.util.Arrays.toString(in));
    }
    return new int[] {in[0], (in[1] - k) / stride + 1, (in[2] - k) / stride + 1};
  }

  @Override
  double[] forward(double[] x, int n, boolean training) {
    return pool(x, n, false);
  }

  @Override
  double[] backward(double[] dy, int n) {
    return pool(dy, n, true);
  }

  /**
   * Forward {@code y[o] = Σ_window x / k²}, or its adjoint {@code dx[window(o)] += dy[o] / k²}; one
   * walk over the windows serves both ({@code adjoint} is constant over the call).
   */
  private double[] pool(double[] in, int n, boolean adjoint) {
    int c = inShape[0], h = inShape[1], w = inShape[2], oh = outShape[1], ow = outShape[2];
    double norm = 1.0 / (k * k);
    double[] out = new double[n * (adjoint ? inSize : outSize)];
    par.forRange(
        n,
        (lo, hi, worker) -> {
          for (int i = lo; i < hi; i++) {
            for (int ch = 0; ch < c; ch++) {
              int xi = i * inSize + ch * h * w, yi = i * outSize + ch * oh * ow;
              for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                  int o = yi + oy * ow + ox;
                  double s = adjoint ? in[o] * norm : 0;
                  for (int a = 0; a < k; a++) {
                    int r = xi + (oy * stride + a) * w + ox * stride;
                    for (int b = 0; b < k; b++) {
                      if (adjoint) {
                        out[r + b] += s;
                      } else {
                        s += in[r + b];
                      }
                    }
                  }
                  if (!adjoint) {
                    out[o] = s * norm;
                  }
                }
              }
            }
          }
        });
    return out;
  }

  @Override
  Layer toGraph(String input) {
    return new AvgPool(name, input, k, stride);
  }
}
