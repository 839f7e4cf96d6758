package org.polyshare.bench.gc;

import java.util.List;
import org.polyshare.bench.harness.Cpu;
import org.polyshare.bench.harness.Medians;
import org.polyshare.bench.harness.PhaseCost;
import org.polyshare.bench.harness.Report;

/**
 * Engine rates in million AND gates per second, from the garbling and the evaluation engine phases
 * of each measured repetition: the median and the best repetition (other load on a shared machine
 * only slows a run down, so the best is the cleaner figure), by wall clock and, where the JVM
 * measures it, by thread CPU time ({@code cpu_} keys).
 */
final class AndRates {
  private AndRates() {}

  static void put(Report r, double ands, List<PhaseCost> garble, List<PhaseCost> evaluate) {
    put(r, "", ands, millis(garble, false), millis(evaluate, false));
    if (Cpu.supported()) {
      put(r, "cpu_", ands, millis(garble, true), millis(evaluate, true));
    }
  }

  private static double[] millis(List<PhaseCost> phases, boolean cpu) {
    double[] ms = new double[phases.size()];
    for (int i = 0; i < ms.length; i++) {
      ms[i] = cpu ? phases.get(i).cpuMs() : phases.get(i).wallMs();
    }
    return ms;
  }

  private static void put(
      Report r, String prefix, double ands, double[] garbleMs, double[] evalMs) {
    double[] both = new double[garbleMs.length];
    for (int i = 0; i < both.length; i++) {
      both[i] = garbleMs[i] + evalMs[i];
    }
    // ands / ms / 1e3 = million ANDs per second
    r.put(prefix + "garble_M_and_per_s", ands / Medians.median(garbleMs) / 1e3)
        .put(prefix + "evaluate_M_and_per_s", ands / Medians.median(evalMs) / 1e3)
        .put(prefix + "garble_plus_evaluate_M_and_per_s", ands / Medians.median(both) / 1e3)
        .put(prefix + "best_garble_M_and_per_s", ands / min(garbleMs) / 1e3)
        .put(prefix + "best_evaluate_M_and_per_s", ands / min(evalMs) / 1e3)
        .put(prefix + "best_garble_plus_evaluate_M_and_per_s", ands / min(both) / 1e3);
  }

  private static double min(double[] v) {
    double m = Double.MAX_VALUE;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return m;
  }
}
