package org.polyshare.bench.compare;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.polyshare.bench.harness.Medians;

/**
 * All measured repetitions of one variant after its {@code warmup} unmeasured ones, with the
 * plaintext check of each repetition, and the party processes' memory (separate JVMs; empty in
 * process).
 */
public record VariantResult(
    String model,
    int warmup,
    List<Measurement> reps,
    List<ReferenceCheck.Outcome> checks,
    List<PartyMemory> memory) {

  public VariantResult(
      String model, int warmup, List<Measurement> reps, List<ReferenceCheck.Outcome> checks) {
    this(model, warmup, reps, checks, List.of());
  }

  public boolean passed() {
    return !checks.isEmpty() && checks.stream().allMatch(ReferenceCheck.Outcome::passed);
  }

  /** Median over the measured repetitions. */
  public double median(ToDoubleFunction<Measurement> f) {
    return Medians.median(reps, f);
  }

  /** The repetition whose online time is the median's (or just above), for per-layer detail. */
  public Measurement medianRep() {
    return Medians.middle(reps, Comparator.comparingDouble(Measurement::onlineMs));
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
