package org.polyshare.models.calib;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.polyshare.core.protocol.Arithmetic;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Add;
import org.polyshare.models.graph.AvgPool;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Flatten;
import org.polyshare.models.graph.GlobalAvgPool;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.MaxPool;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyAct;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.graph.Relu;
import org.polyshare.models.graph.Softmax;

/**
 * The escaping-activation guard's measurement (Sisyphus): per layer, the largest |value| seen on
 * sample inputs and the bits of headroom left in Z_2^64 at the model's fixed-point precision.
 *
 * <p>In the secure evaluation a layer's largest ring value is {@code |v| · 2^s} where {@code s} is
 * the scale of its widest intermediate: {@code 2f} for a product before truncation (conv, linear,
 * PolyKerv powers, BatchNorm), {@code 2f + g} for average pooling (a public constant with {@code g}
 * guard bits, see {@link Arithmetic#guardBits}) or {@code f + s} when the window is {@code 2^s}
 * (the sum is truncated by {@code s} directly), {@code f} for sums. Dealer truncation is exact only
 * while that value is below {@code 2^62}; plain ring values must stay below {@code 2^63}. So {@code
 * headroom = limit − s − log2(max|v|)}: the number of doublings the activations can still take
 * before the result is silent garbage.
 */
public final class Headroom {
  private Headroom() {}

  /** Bits of headroom below which the secure evaluator refuses a model, by default. */
  public static final int DEFAULT_MARGIN_BITS = 8;

  /** Reported for a layer whose values were all zero. */
  public static final double UNBOUNDED = 99;

  public record LayerHeadroom(
      String layer,
      String kind,
      double maxAbs,
      int scaleBits,
      int limitBits,
      double headroomBits) {}

  public record Report(String model, int fracBits, int samples, List<LayerHeadroom> layers) {
    /** The layer with the least headroom. */
    public LayerHeadroom tightest() {
      LayerHeadroom t = null;
      for (LayerHeadroom l : layers) {
        if (t == null || l.headroomBits() < t.headroomBits()) {
          t = l;
        }
      }
      return t;
    }

    /** The first layer (in evaluation order) with less than {@code marginBits} of headroom. */
    public LayerHeadroom firstBelow(double marginBits) {
      for (LayerHeadroom l : layers) {
        if (!(l.headroomBits() >= marginBits)) {
          return l;
        }
      }
      return null;
    }

    public String format() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              "model %s, f = %d fractional bits, %d calibration samples%n",
              model, fracBits, samples));
      sb.append(
          String.format(
              "%-22s %-14s %14s %7s %9s%n", "layer", "kind", "max|act|", "scale", "headroom"));
      for (LayerHeadroom l : layers) {
        sb.append(
            String.format(
                "%-22s %-14s %14.6g %7s %8.1f%s%n",
                l.layer(),
                l.kind(),
                l.maxAbs(),
                "2^" + l.scaleBits(),
                l.headroomBits(),
                l.headroomBits() < DEFAULT_MARGIN_BITS ? "  < margin" : ""));
      }
      LayerHeadroom t = tightest();
      sb.append(
          String.format(
              "tightest: %s with %.1f bits (margin %d)%n",
              t.layer(), t.headroomBits(), DEFAULT_MARGIN_BITS));
      return sb.toString();
    }
  }

  public static Report measure(Model model, double[][] samples) {
    int f = model.fracBits();
    Map<String, double[]> maxes = new HashMap<>();
    for (double[] x : samples) {
      double inMax = maxAbs(x);
      maxes.merge(Model.INPUT, new double[] {inMax}, (a, b) -> new double[] {Math.max(a[0], b[0])});
      Map<String, double[]> polyActInputs = new HashMap<>();
      polyActInputs.put(Model.INPUT, x);
      PlainEvaluator.forward(
          model,
          x,
          (l, out, conv) -> {
            double m = maxAbs(out);
            if (conv != null) {
              PolyKerv p = (PolyKerv) l;
              double shift = 0;
              for (double c : p.cp()) {
                shift = Math.max(shift, Math.abs(c));
              }
              m = Math.max(m, maxAbs(conv) + shift);
            } else if (l instanceof PolyAct pa) {
              m =
                  Math.max(
                      m, polyActPeak(pa, polyActInputs.get(pa.input()), model.shape(pa.input())));
            }
            if (feedsPolyAct(model, l.name())) {
              polyActInputs.put(l.name(), out);
            }
            double mm = m;
            maxes.merge(l.name(), new double[] {mm}, (a, b) -> new double[] {Math.max(a[0], b[0])});
          });
    }
    List<LayerHeadroom> rows = new ArrayList<>();
    rows.add(row(Model.INPUT, "Input", maxes.get(Model.INPUT)[0], f, 63));
    for (Layer l : model.layers()) {
      int scale;
      int limit;
      if (l instanceof Conv2d
          || l instanceof Linear
          || l instanceof PolyKerv
          || l instanceof BatchNorm
          || l instanceof PolyAct) {
        scale = 2 * f;
        limit = 62;
      } else if (l instanceof AvgPool || l instanceof GlobalAvgPool) {
        int[] in = model.shape(l.inputs().get(0));
        int window = l instanceof AvgPool ap ? ap.kernel() * ap.kernel() : in[1] * in[2];
        boolean oneDivisor = !(l instanceof AvgPool ap) || ap.isPlain();
        int shift = oneDivisor ? Arithmetic.exactShift(1.0 / window) : 0;
        // a power-of-two window truncates the sum (scale f, |sum| ≤ window·max|v|) by its log
        scale = shift > 0 ? f + shift : 2 * f + Arithmetic.guardBits(f);
        limit = 62;
      } else if (l instanceof Add
          || l instanceof Flatten
          || l instanceof Relu
          || l instanceof MaxPool
          || l instanceof Softmax) {
        // Softmax runs in the clear at party 1 after the reveal; its row is the logits' bound
        scale = f;
        limit = 63;
      } else {
        throw new IllegalStateException("unknown layer " + l.kind());
      }
      rows.add(row(l.name(), l.kind(), maxes.get(l.name())[0], scale, limit));
    }
    return new Report(model.name(), f, samples.length, rows);
  }

  private static boolean feedsPolyAct(Model model, String layer) {
    for (Layer c : model.consumers(layer)) {
      if (c instanceof PolyAct) {
        return true;
      }
    }
    return false;
  }

  /**
   * The widest value a polynomial activation computes: its base {@code |scale·x + shift|}, each
   * power of it up to the degree, and the scaled output (all at 2f bits before truncation).
   */
  static double polyActPeak(PolyAct p, double[] x, int[] inShape) {
    int per = x.length / inShape[0];
    double base = 0;
    for (int i = 0; i < x.length; i++) {
      int c = i / per;
      base = Math.max(base, Math.abs(p.scaleOf(c) * x[i] + p.shiftOf(c)));
    }
    double outScale = 0;
    for (double v : p.outScale()) {
      outScale = Math.max(outScale, Math.abs(v));
    }
    double top = Math.pow(base, p.degree());
    return Math.max(Math.max(base, top), top * outScale);
  }

  private static LayerHeadroom row(String name, String kind, double max, int scale, int limit) {
    double bits = max > 0 ? limit - scale - Math.log(max) / Math.log(2) : UNBOUNDED;
    if (Double.isNaN(bits) || max == Double.POSITIVE_INFINITY) {
      bits = Double.NEGATIVE_INFINITY;
    }
    return new LayerHeadroom(name, kind, max, scale, limit, Math.min(bits, UNBOUNDED));
  }

  static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      double a = Math.abs(x);
      if (a > m || Double.isNaN(a)) {
        m = Double.isNaN(a) ? Double.POSITIVE_INFINITY : a;
      }
    }
    return m;
  }
}
