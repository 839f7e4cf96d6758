package org.polyshare.models.calib;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.polyshare.models.eval.DoubleKernels;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;

/**
 * Calibrates random (benchmark) weights so that activations stay bounded through depth. One batched
 * pass over sample inputs, layer by layer; after computing a layer on all samples it is adjusted
 * and its outputs are corrected in place (the adjustments are affine, so no recomputation is
 * needed):
 *
 * <ul>
 *   <li>{@link BatchNorm}: mean and variance become the batch statistics of its input;
 *   <li>{@link PolyKerv}: the conv is rescaled per output channel so its output has mean 0 and
 *       variance 1 on the samples (a batch norm folded into the conv, exact), then {@code
 *       (·+cp)^dp};
 *   <li>{@link Conv2d} / {@link Linear} whose only reader is not a BatchNorm: weights scaled so the
 *       output has unit standard deviation.
 * </ul>
 */
public final class Calibrator {
  private Calibrator() {}

  public static Model calibrate(Model model, double[][] samples) {
    if (samples.length < 2) {
      throw new IllegalArgumentException("calibration needs at least 2 samples");
    }
    int n = samples.length;
    List<Map<String, double[]>> acts = new ArrayList<>();
    for (double[] s : samples) {
      Map<String, double[]> m = new HashMap<>();
      m.put(Model.INPUT, s);
      acts.add(m);
    }
    Model current = model;
    for (Layer original : model.layers()) {
      Layer l = current.layer(original.name());
      double[][] outs = new double[n][];
      double[][] convs = new double[n][];
      if (l instanceof BatchNorm bn) {
        double[][] xs = new double[n][];
        for (int i = 0; i < n; i++) {
          xs[i] = acts.get(i).get(bn.input());
        }
        double[][] mv = channelStats(xs, bn.channels());
        double[] var = floored(mv[1]);
        l =
            new BatchNorm(
                bn.name(), bn.input(), bn.channels(), bn.gamma(), bn.beta(), mv[0], var, bn.eps());
        current = current.replace(l);
      }
      for (int i = 0; i < n; i++) {
        double[][] r = PlainEvaluator.evalLayer(current, l, acts.get(i));
        outs[i] = r[0];
        convs[i] = r[1];
      }
      if (l instanceof PolyKerv p) {
        int co = p.conv().outChannels();
        double[][] mv = channelStats(convs, co);
        Conv2d c = p.conv();
        double[] w = c.weight().clone();
        double[] b = c.bias().clone();
        int per = w.length / co;
        double[] a = new double[co];
        double[] var = floored(mv[1]);
        for (int o = 0; o < co; o++) {
          a[o] = 1 / Math.sqrt(var[o]);
          for (int j = 0; j < per; j++) {
            w[o * per + j] *= a[o];
          }
          b[o] = (b[o] - mv[0][o]) * a[o];
        }
        l = p.withConv(c.withParams(w, b));
        current = current.replace(l);
        int spatial = convs[0].length / co;
        for (int i = 0; i < n; i++) {
          double[] z = convs[i];
          for (int k = 0; k < z.length; k++) {
            int o = k / spatial;
            z[k] = (z[k] - mv[0][o]) * a[o];
          }
          outs[i] = DoubleKernels.poly(z, p.cp(), p.dp(), spatial);
        }
      } else if ((l instanceof Conv2d || l instanceof Linear) && !feedsBatchNorm(current, l)) {
        double sd = Math.sqrt(globalVar(outs));
        double a = sd > 1e-9 ? 1 / sd : 1;
        if (l instanceof Conv2d c) {
          l = c.withParams(scaled(c.weight(), a), scaled(c.bias(), a));
        } else {
          Linear lin = (Linear) l;
          l = lin.withParams(scaled(lin.weight(), a), scaled(lin.bias(), a));
        }
        current = current.replace(l);
        for (double[] o : outs) {
          for (int k = 0; k < o.length; k++) {
            o[k] *= a;
          }
        }
      }
      for (int i = 0; i < n; i++) {
        acts.get(i).put(l.name(), outs[i]);
      }
    }
    return current;
  }

  /**
   * Per-channel variances floored at half the layer's mean variance: in deep layers a channel has
   * few values per sample (a 1×1 map gives one), so a small estimate is more likely noise than a
   * quiet channel, and dividing by it would blow that channel up on other inputs.
   */
  static double[] floored(double[] var) {
    double mean = 0;
    for (double v : var) {
      mean += v;
    }
    mean /= var.length;
    double[] out = new double[var.length];
    for (int c = 0; c < var.length; c++) {
      out[c] = Math.max(Math.max(var[c], 0.5 * mean), 1e-6);
    }
    return out;
  }

  private static boolean feedsBatchNorm(Model m, Layer l) {
    List<Layer> cs = m.consumers(l.name());
    return cs.size() == 1 && cs.get(0) instanceof BatchNorm;
  }

  private static double[] scaled(double[] v, double a) {
    double[] r = v.clone();
    for (int i = 0; i < r.length; i++) {
      r[i] *= a;
    }
    return r;
  }

  private static double globalVar(double[][] xs) {
    double s = 0;
    double s2 = 0;
    long cnt = 0;
    for (double[] x : xs) {
      for (double v : x) {
        s += v;
        s2 += v * v;
        cnt++;
      }
    }
    double mean = s / cnt;
    return Math.max(0, s2 / cnt - mean * mean);
  }

  /** Per-channel {mean, variance} (channel = leading axis) over all samples and positions. */
  static double[][] channelStats(double[][] xs, int channels) {
    double[] s = new double[channels];
    double[] s2 = new double[channels];
    int per = xs[0].length / channels;
    for (double[] x : xs) {
      for (int k = 0; k < x.length; k++) {
        int c = k / per;
        s[c] += x[k];
        s2[c] += x[k] * x[k];
      }
    }
    double cnt = (double) per * xs.length;
    double[] mean = new double[channels];
    double[] var = new double[channels];
    for (int c = 0; c < channels; c++) {
      mean[c] = s[c] / cnt;
      var[c] = Math.max(0, s2[c] / cnt - mean[c] * mean[c]);
    }
    return new double[][] {mean, var};
  }
}
