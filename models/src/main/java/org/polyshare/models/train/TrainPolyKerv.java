package org.polyshare.models.train;

import java.util.ArrayList;
import java.util.List;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Params;
import org.polyshare.models.graph.PolyKerv;

/**
 * Polynomial kervolution {@code y = (u + cp)^dp} with {@code u = BN(conv(x))} (or {@code u =
 * conv(x)} without the optional BatchNorm), learnable {@code cp} (one value, or one per output
 * channel). {@code dy/du = dp·(u+cp)^(dp−1)}, {@code dL/dcp = Σ dL/du} over the positions that
 * share it.
 *
 * <p>The BatchNorm sits between the conv and the polynomial, so at inference it is an affine map
 * per output channel of the conv and folds exactly into the conv's weights and bias: the exported
 * layer is a plain {@link PolyKerv}. It keeps {@code u} normalised before squaring, which is what
 * stops the activations of a deep polynomial network from escaping.
 */
final class TrainPolyKerv extends TrainConv2d {
  final int dp;
  final Param cp;
  private final TrainBatchNorm bn;
  private double[] z = new double[0];

  TrainPolyKerv(
      String name,
      int inC,
      int outC,
      int k,
      int stride,
      int pad,
      double[] cp,
      int dp,
      boolean batchNorm) {
    super(name, inC, outC, k, stride, pad);
    this.bn = batchNorm ? new TrainBatchNorm(name + ".bn", outC, BatchNorm.DEFAULT_EPS) : null;
    if (dp < 1) {
      throw new IllegalArgumentException("layer '" + name + "': degree dp must be >= 1");
    }
    this.dp = dp;
    this.cp = new Param(name + ".cp", cp.clone(), false);
  }

  @Override
  void bind(int[] in, Parallel parallel) {
    super.bind(in, parallel);
    if (bn != null) {
      bn.bind(outShape, parallel);
    }
  }

  private double cpOf(int c) {
    return cp.value.length == 1 ? cp.value[0] : cp.value[c];
  }

  @Override
  double[] forward(double[] x, int n, boolean training) {
    double[] conv = super.forward(x, n, training);
    double[] zz = bn == null ? conv : bn.forward(conv, n, training);
    if (training) {
      z = zz.clone();
    }
    int plane = outSize / outC;
    par.forRange(
        n,
        (lo, hi, worker) -> {
          for (int i = lo; i < hi; i++) {
            for (int c = 0; c < outC; c++) {
              double b = cpOf(c);
              int o = i * outSize + c * plane;
              for (int q = o; q < o + plane; q++) {
                zz[q] = pow(zz[q] + b, dp);
              }
            }
          }
        });
    return zz;
  }

  static double pow(double u, int d) {
    double r = u;
    for (int e = 1; e < d; e++) {
      r *= u;
    }
    return r;
  }

  @Override
  double[] backward(double[] dy, int n) {
    int plane = outSize / outC;
    double[] dz = new double[n * outSize];
    double[] dcp = new double[outC];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < outC; c++) {
        double b = cpOf(c);
        int o = i * outSize + c * plane;
        double s = 0;
        for (int q = o; q < o + plane; q++) {
          double g = dy[q] * dp * pow(z[q] + b, dp - 1);
          dz[q] = g;
          s += g;
        }
        dcp[c] += s;
      }
    }
    for (int c = 0; c < outC; c++) {
      cp.grad[cp.value.length == 1 ? 0 : c] += dcp[c];
    }
    return super.backward(bn == null ? dz : bn.backward(dz, n), n);
  }

  @Override
  List<Param> params() {
    List<Param> ps = new ArrayList<>(super.params());
    if (bn != null) {
      ps.addAll(bn.params());
    }
    ps.add(cp);
    return ps;
  }

  @Override
  Layer toGraph(String input) {
    Conv2d conv = toConv(input);
    if (bn != null) {
      conv = Params.foldInto(conv, (BatchNorm) bn.toGraph(input));
    }
    return new PolyKerv(name, input, conv, cp.value.clone(), dp);
  }
}
