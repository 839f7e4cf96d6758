package org.polyshare.bench.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Medians over the measured repetitions: robust to the odd disturbed run, unlike the mean. */
public final class Medians {
  private Medians() {}

  /** The median; for an even count the mean of the two middle values. */
  public static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("median of no values");
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** The median of one field over typed results. */
  public static <T> double median(List<T> results, ToDoubleFunction<T> field) {
    double[] v = new double[results.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = field.applyAsDouble(results.get(i));
    }
    return median(v);
  }

  /** The result at the middle of {@code order} (the upper one of two for an even count). */
  public static <T> T middle(List<T> results, Comparator<T> order) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("middle of no results");
    }
    List<T> s = new ArrayList<>(results);
    s.sort(order);
    return s.get(s.size() / 2);
  }
}
