package org.polyshare.bench.compare;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** All measured repetitions of one variant, with the plaintext check of each repetition. */
public record VariantResult(String model, List<Measurement> reps, List<ReferenceCheck.Outcome> checks) {

  public boolean passed() {
    return !checks.isEmpty() && checks.stream().allMatch(ReferenceCheck.Outcome::passed);
  }

  /** Median over the measured repetitions. */
  public double median(ToDoubleFunction<Measurement> f) {
    double[] v = reps.stream().mapToDouble(f).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** The repetition whose online time is the median's (or just above), for per-layer detail. */
  public Measurement medianRep() {
    Measurement[] s = reps.toArray(new Measurement[0]);
    Arrays.sort(s, (a, b) -> Double.compare(a.onlineMs(), b.onlineMs()));
    return s[s.length / 2];
  }

  public double maxError() {
    return checks.stream().mapToDouble(ReferenceCheck.Outcome::maxError).max().orElse(Double.NaN);
  }

  public double tolerance() {
    return checks.stream().mapToDouble(ReferenceCheck.Outcome::tolerance).min().orElse(Double.NaN);
  }

  public double bound() {
    return checks.stream().mapToDouble(ReferenceCheck.Outcome::bound).min().orElse(Double.NaN);
  }
}
