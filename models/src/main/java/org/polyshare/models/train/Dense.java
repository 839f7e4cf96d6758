package org.polyshare.models.train;

/**
 * The fully connected product {@code y = W x + b} over a batch of {@code n} samples and its
 * gradients, {@code W} being {@code [out][in]}: {@link TrainLinear}'s whole work, and {@link
 * TrainConv2d}'s when the kernel covers the entire unpadded input (one output position). Backward:
 * {@code dW = dYᵀ X} (split over output rows, so no reduction between workers) and {@code dX = dY
 * W} (split over samples).
 */
final class Dense {
  private Dense() {}

  static double[] forward(
      Parallel par, double[] xs, int n, int in, int out, double[] w, double[] b) {
    double[] y = new double[n * out];
    par.forRange(
        n,
        (lo, hi, worker) -> {
          for (int i = lo; i < hi; i++) {
            System.arraycopy(b, 0, y, i * out, out);
          }
          Kernels.gemmNT(
              hi - lo,
              out,
              in,
              new MatView(xs, lo * in, in),
              new MatView(w, 0, in),
              new MatView(y, lo * out, out));
        });
    return y;
  }

  /**
   * Accumulates into {@code weight.grad} and {@code bias.grad}; returns dX, or null without {@code
   * inputGrad}.
   */
  static double[] backward(
      Parallel par,
      double[] dy,
      int n,
      double[] x,
      int in,
      int out,
      Param weight,
      Param bias,
      boolean inputGrad) {
    double[] gw = weight.grad, gb = bias.grad, w = weight.value;
    par.forRange(
        out,
        (lo, hi, worker) -> {
          for (int o = lo; o < hi; o++) {
            for (int i = 0; i < n; i++) {
              gb[o] += dy[i * out + o];
            }
          }
          Kernels.gemmTN(
              hi - lo,
              in,
              n,
              new MatView(dy, lo, out),
              new MatView(x, 0, in),
              new MatView(gw, lo * in, in));
        });
    if (!inputGrad) {
      return null;
    }
    double[] dx = new double[n * in];
    par.forRange(
        n,
        (lo, hi, worker) ->
            Kernels.gemmNN(
                hi - lo,
                in,
                out,
                new MatView(dy, lo * out, out),
                new MatView(w, 0, in),
                new MatView(dx, lo * in, in)));
    return dx;
  }
}
