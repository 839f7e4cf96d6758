package org.polyshare.bench.compare;

import java.util.Locale;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.ErrorBound;

/**
 * Checks secure logits against the plaintext double reference. Three conditions, all required:
 *
 * <ul>
 *   <li>every logit within {@link ErrorBound#logits}, a sound worst-case propagation of the
 *       fixed-point error through the layers (sound but loose for deep nets: norms multiply);
 *   <li>every logit within the practical tolerance {@code TOLERANCE · max(1, max|plain logit|)} (1%
 *       of the logit scale), which is what catches a wrong result in practice;
 *   <li>the same top-1 class, unless the reference's top two are closer than twice the observed
 *       error (a near-tie the fixed-point error may legitimately flip).
 * </ul>
 */
public final class ReferenceCheck {
  private ReferenceCheck() {}

  /** Relative tolerance on the logits, against the largest plaintext logit magnitude. */
  public static final double TOLERANCE = 0.01;

  /** The outcome; {@code passed} is false if any logit is out of bound or any top-1 differs. */
  public record Outcome(
      boolean passed,
      int inputs,
      double maxError,
      double bound,
      double tolerance,
      int top1Mismatches) {
    public String describe() {
      return String.format(
          Locale.ROOT,
          "%s: %d input(s), max |secure - plaintext| = %.3g"
              + " (tolerance %.3g, worst-case bound %.3g), top-1 mismatches %d",
          passed ? "PASS" : "FAIL",
          inputs,
          maxError,
          tolerance,
          bound,
          top1Mismatches);
    }
  }

  public static Outcome check(Model model, double[][] inputs, double[][] secure) {
    if (secure == null || secure.length != inputs.length) {
      return new Outcome(false, inputs.length, Double.NaN, Double.NaN, Double.NaN, inputs.length);
    }
    double bound = ErrorBound.logits(model, inputs);
    double worst = 0;
    double scale = 1;
    int mismatches = 0;
    for (int i = 0; i < inputs.length; i++) {
      double[] plain = PlainEvaluator.forward(model, inputs[i]);
      if (secure[i].length != plain.length) {
        return new Outcome(false, inputs.length, Double.NaN, bound, Double.NaN, inputs.length);
      }
      double rowErr = 0;
      for (int k = 0; k < plain.length; k++) {
        scale = Math.max(scale, Math.abs(plain[k]));
        double e = Math.abs(secure[i][k] - plain[k]);
        rowErr = Double.isNaN(e) ? Double.POSITIVE_INFINITY : Math.max(rowErr, e);
      }
      worst = Math.max(worst, rowErr);
      int a = argmax(plain);
      if (a != argmax(secure[i]) && margin(plain, a) > 2 * rowErr) {
        mismatches++;
      }
    }
    double tolerance = TOLERANCE * scale;
    return new Outcome(
        worst <= bound && worst <= tolerance && mismatches == 0,
        inputs.length,
        worst,
        bound,
        tolerance,
        mismatches);
  }

  /** The index of the largest value (the first of equal ones): the predicted class. */
  public static int argmax(double[] v) {
    return PlainEvaluator.argmax(v);
  }

  /**
   * {@code v[top]} minus the largest other value: the top-1 margin when {@code top} is the argmax.
   */
  public static double margin(double[] v, int top) {
    double second = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < v.length; i++) {
      if (i != top) {
        second = Math.max(second, v[i]);
      }
    }
    return v[top] - second;
  }
}
