package org.polyshare.models.train;

import java.util.List;
import java.util.SplittableRandom;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Layer;

/**
 * Convolution as im2col + GEMM per sample: {@code Y = W · cols(X) + b}. Backward: {@code dW += dY ·
 * colsᵀ}, {@code db += Σ_p dY}, {@code dX = col2im(Wᵀ · dY)}; each worker accumulates into its own
 * {@code dW}, summed at the end.
 */
class TrainConv2d extends TrainLayer {
  final int inC, outC, k, stride, pad;
  final Param weight, bias;
  private int kDim, p;
  private ConvWindow window;
  private double[] cols = new double[0];

  /**
   * A conv whose window covers its whole unpadded input ({@code 1×1} output) is a fully connected
   * layer over the flattened sample (im2col is the identity then): trained as one GEMM over the
   * batch instead of per-sample GEMVs.
   */
  private boolean dense;

  private double[] x = new double[0];
  private double[][] dwWorker, dbWorker, dcolsWorker;

  TrainConv2d(String name, int inC, int outC, int k, int stride, int pad) {
    super(name);
    this.inC = inC;
    this.outC = outC;
    this.k = k;
    this.stride = stride;
    this.pad = pad;
    this.weight = new Param(name + ".weight", new double[outC * inC * k * k], true);
    this.bias = new Param(name + ".bias", new double[outC], false);
  }

  /** PyTorch's default: U(−1/√fanIn, 1/√fanIn) for weights and bias. */
  void init(SplittableRandom rng) {
    double bound = 1.0 / Math.sqrt(inC * k * k);
    weight.fillUniform(rng, bound);
    bias.fillUniform(rng, bound);
  }

  @Override
  int[] outShape(int[] in) {
    if (in.length != 3 || in[0] != inC) {
      throw new IllegalArgumentException(
          "layer '" + name + "' expects [" + inC + ", H, W], got " + java.util.Arrays.toString(in));
    }
    return new int[] {outC, (in[1] + 2 * pad - k) / stride + 1, (in[2] + 2 * pad - k) / stride + 1};
  }

  @Override
  void bind(int[] in, Parallel parallel) {
    super.bind(in, parallel);
    int h = in[1], w = in[2];
    window = new ConvWindow(inC, h, w, k, stride, pad, outShape[1], outShape[2]);
    kDim = inC * k * k;
    p = outShape[1] * outShape[2];
    int t = parallel.threads();
    dwWorker = new double[t][weight.value.length];
    dbWorker = new double[t][outC];
    dcolsWorker = new double[t][kDim * p];
    dense = p == 1 && pad == 0 && h == k && w == k;
  }

  @Override
  double[] forward(double[] x, int n, boolean training) {
    if (dense) {
      return denseForward(x, n, training);
    }
    double[] y = new double[n * outSize];
    if (training && cols.length < n * kDim * p) {
      cols = new double[n * kDim * p];
    }
    double[] wv = weight.value, bv = bias.value;
    par.forRange(
        n,
        (lo, hi, worker) -> {
          double[] scratch = training ? null : new double[kDim * p];
          for (int i = lo; i < hi; i++) {
            double[] c = training ? cols : scratch;
            int co = training ? i * kDim * p : 0;
            Kernels.im2col(x, i * inSize, window, c, co);
            Kernels.gemmForward(outC, kDim, p, wv, bv, c, co, y, i * outSize);
          }
        });
    return y;
  }

  private double[] denseForward(double[] xs, int n, boolean training) {
    if (training) {
      x = xs;
    }
    return Dense.forward(par, xs, n, kDim, outC, weight.value, bias.value);
  }

  private double[] denseBackward(double[] dy, int n) {
    return Dense.backward(par, dy, n, x, kDim, outC, weight, bias, needInputGrad);
  }

  @Override
  double[] backward(double[] dy, int n) {
    if (dense) {
      return denseBackward(dy, n);
    }
    double[] dx = needInputGrad ? new double[n * inSize] : null;
    double[] wv = weight.value;
    par.forRange(
        n,
        (lo, hi, worker) -> {
          double[] dw = dwWorker[worker], db = dbWorker[worker], dcols = dcolsWorker[worker];
          java.util.Arrays.fill(dw, 0);
          java.util.Arrays.fill(db, 0);
          for (int i = lo; i < hi; i++) {
            int yo = i * outSize, co = i * kDim * p;
            for (int m = 0; m < outC; m++) {
              int row = yo + m * p;
              double sum = 0;
              for (int q = 0; q < p; q++) {
                sum += dy[row + q];
              }
              db[m] += sum;
            }
            Kernels.gemmNT(
                outC,
                kDim,
                p,
                new MatView(dy, yo, p),
                new MatView(cols, co, p),
                new MatView(dw, 0, kDim));
            if (dx != null) {
              java.util.Arrays.fill(dcols, 0);
              Kernels.gemmTN(
                  kDim,
                  p,
                  outC,
                  new MatView(wv, 0, kDim),
                  new MatView(dy, yo, p),
                  new MatView(dcols, 0, p));
              Kernels.col2im(dcols, 0, window, dx, i * inSize);
            }
          }
        });
    int used = Math.min(par.threads(), n);
    for (int t = 0; t < used; t++) {
      Kernels.axpy(weight.grad.length, 1.0, dwWorker[t], 0, weight.grad, 0);
      Kernels.axpy(outC, 1.0, dbWorker[t], 0, bias.grad, 0);
    }
    return dx;
  }

  @Override
  List<Param> params() {
    return List.of(weight, bias);
  }

  Conv2d toConv(String input) {
    return new Conv2d(
        name, input, inC, outC, k, k, stride, pad, weight.value.clone(), bias.value.clone());
  }

  @Override
  Layer toGraph(String input) {
    return toConv(input);
  }
}
