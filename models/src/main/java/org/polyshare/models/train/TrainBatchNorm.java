package org.polyshare.models.train;

import java.util.List;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Layer;

/**
 * Batch normalization over the channel axis of {@code [C, H, W]} or {@code [C]} samples. Training
 * normalises with the minibatch statistics over {@code n·H·W} values per channel and keeps running
 * averages (momentum 0.1, unbiased variance, as PyTorch); inference and export use the running
 * statistics. Backward: {@code dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂))}.
 */
final class TrainBatchNorm extends TrainLayer {
  static final double MOMENTUM = 0.1;
  final int channels;
  final double eps;
  final Param gamma, beta;
  final double[] runMean, runVar;
  private double[] xhat = new double[0];
  private final double[] invStd;

  TrainBatchNorm(String name, int channels, double eps) {
    super(name);
    this.channels = channels;
    this.eps = eps;
    this.gamma = new Param(name + ".gamma", filled(channels, 1), false);
    this.beta = new Param(name + ".beta", new double[channels], false);
    this.runMean = new double[channels];
    this.runVar = filled(channels, 1);
    this.invStd = new double[channels];
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  @Override
  int[] outShape(int[] in) {
    if (in[0] != channels) {
      throw new IllegalArgumentException(
          "layer '"
              + name
              + "' expects "
              + channels
              + " channels, got "
              + java.util.Arrays.toString(in));
    }
    return in.clone();
  }

  @Override
  double[] forward(double[] x, int n, boolean training) {
    int plane = inSize / channels;
    double[] y = new double[n * inSize];
    if (training && xhat.length < n * inSize) {
      xhat = new double[n * inSize];
    }
    par.forRange(
        channels,
        (lo, hi, worker) -> {
          for (int c = lo; c < hi; c++) {
            double mean, inv;
            if (training) {
              double s = 0;
              for (int i = 0; i < n; i++) {
                int o = i * inSize + c * plane;
                for (int q = o; q < o + plane; q++) {
                  s += x[q];
                }
              }
              int m = n * plane;
              mean = s / m;
              double v = 0;
              for (int i = 0; i < n; i++) {
                int o = i * inSize + c * plane;
                for (int q = o; q < o + plane; q++) {
                  double d = x[q] - mean;
                  v += d * d;
                }
              }
              double var = v / m;
              inv = 1.0 / Math.sqrt(var + eps);
              invStd[c] = inv;
              runMean[c] = (1 - MOMENTUM) * runMean[c] + MOMENTUM * mean;
              runVar[c] = (1 - MOMENTUM) * runVar[c] + MOMENTUM * (m > 1 ? v / (m - 1) : var);
            } else {
              mean = runMean[c];
              inv = 1.0 / Math.sqrt(runVar[c] + eps);
            }
            double g = gamma.value[c], b = beta.value[c];
            for (int i = 0; i < n; i++) {
              int o = i * inSize + c * plane;
              for (int q = o; q < o + plane; q++) {
                double xh = (x[q] - mean) * inv;
                if (training) {
                  xhat[q] = xh;
                }
                y[q] = g * xh + b;
              }
            }
          }
        });
    return y;
  }

  @Override
  double[] backward(double[] dy, int n) {
    int plane = inSize / channels;
    double[] dx = new double[n * inSize];
    par.forRange(
        channels,
        (lo, hi, worker) -> {
          for (int c = lo; c < hi; c++) {
            double sdy = 0, sdyx = 0;
            for (int i = 0; i < n; i++) {
              int o = i * inSize + c * plane;
              for (int q = o; q < o + plane; q++) {
                sdy += dy[q];
                sdyx += dy[q] * xhat[q];
              }
            }
            gamma.grad[c] += sdyx;
            beta.grad[c] += sdy;
            int m = n * plane;
            double k = gamma.value[c] * invStd[c];
            double mdy = sdy / m, mdyx = sdyx / m;
            for (int i = 0; i < n; i++) {
              int o = i * inSize + c * plane;
              for (int q = o; q < o + plane; q++) {
                dx[q] = k * (dy[q] - mdy - xhat[q] * mdyx);
              }
            }
          }
        });
    return dx;
  }

  @Override
  List<Param> params() {
    return List.of(gamma, beta);
  }

  @Override
  Layer toGraph(String input) {
    return new BatchNorm(
        name,
        input,
        channels,
        gamma.value.clone(),
        beta.value.clone(),
        runMean.clone(),
        runVar.clone(),
        eps);
  }
}
