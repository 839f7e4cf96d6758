package org.polyshare.models.arch;

import java.util.Locale;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.SecureOptions;
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
   * Seed of the headroom guard's calibration inputs ({@code SecureModel.checkHeadroom} and {@code
   * models inspect} draw {@code Zoo.sampleInputs(model, n, GUARD_SEED)}).
   */
  static final long GUARD_SEED = 0x6a7d;

  public InputRange {
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo <= hi)) {
      throw new IllegalArgumentException(
          "an input range needs finite lo <= hi, got [" + lo + ", " + hi + "]");
    }
  }

  /**
   * The range the headroom guard checked {@code model} on: symmetric, ±(the largest |value| of its
   * N(0, 1) calibration inputs). Depends on the input shape only, not on the weights.
   */
  public static InputRange calibrated(Model model) {
    double m = 0;
    for (double[] x :
        Zoo.sampleInputs(model, SecureOptions.defaults().calibrationSamples(), GUARD_SEED)) {
      for (double v : x) {
        m = Math.max(m, Math.abs(v));
      }
    }
    return new InputRange(-m, m);
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
