package org.polyshare.models.arch;

import java.util.Locale;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/**
 * The range of input values a model was calibrated for: every value {@code v} of an input must
 * satisfy {@code lo ≤ v ≤ hi}. The headroom guard proves a margin only on its calibration samples;
 * an input far beyond them can push an intermediate past the ring's range, where the truncation's
 * wrap rule fails and the output is garbage that depends on secret values. So the range is
 * published with the {@link Architecture} and party 1 refuses, locally, an input outside it.
 */
public record InputRange(double lo, double hi) {
  /**
   * How far the published range reaches beyond the calibration inputs, as a fraction of their span
   * on each side: {@code [lo - MARGIN·(hi - lo), hi + MARGIN·(hi - lo)]}. A fresh value of the
   * calibration distribution exceeds the largest of n calibration values with probability 1/(n +
   * 1), and then only by a little (n is 2,048 for tiny, 25,088 for LeNet-5); 1/8 of the span lets
   * those through, while an input scaled wrongly (unnormalised pixels 0..255, or ×10) is refused.
   */
  public static final double MARGIN = 0.125;

  public InputRange {
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo <= hi)) {
      throw new IllegalArgumentException(
          "an input range needs finite lo <= hi, got [" + lo + ", " + hi + "]");
    }
  }

  /**
   * The range of {@code model}'s calibration set ({@link Zoo#calibrationInputs}, the inputs its
   * weights were calibrated on) widened by {@link #MARGIN}. A PolyShare model has one input tensor
   * ({@code Model.INPUT}), so this is that tensor's range, over all its values.
   */
  public static InputRange calibrated(Model model) {
    return over(Zoo.calibrationInputs(model), MARGIN);
  }

  /**
   * The range over every value of {@code inputs}, widened on each side by {@code margin} times the
   * span.
   */
  public static InputRange over(double[][] inputs, double margin) {
    if (!(margin >= 0)) {
      throw new IllegalArgumentException("an input range margin must be >= 0, got " + margin);
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] x : inputs) {
      for (double v : x) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo > hi) {
      throw new IllegalArgumentException("an input range needs at least one calibration value");
    }
    double pad = margin * (hi - lo);
    return new InputRange(lo - pad, hi + pad);
  }

  /** Whether {@code v} lies in the range (NaN never does). */
  public boolean contains(double v) {
    return v >= lo && v <= hi;
  }

  /**
   * Throws naming the first value of {@code input} outside the range (a local message: the value is
   * party 1's own).
   */
  public void check(double[] input, int inference) {
    for (int i = 0; i < input.length; i++) {
      if (!contains(input[i])) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "input %d, value %d is %s, outside the range %s the model was calibrated for; an input"
                    + " beyond it can overflow the ring and give a garbage result. Normalize the input"
                    + " as the model expects (--mean/--std)",
                inference,
                i,
                input[i],
                this));
      }
    }
  }

  /** Clamps {@code x} into the range, in place (for demo inputs). */
  public double[] clamp(double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.max(lo, Math.min(hi, x[i]));
    }
    return x;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "[%.6g, %.6g]", lo, hi);
  }
}
