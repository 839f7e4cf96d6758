package org.polyshare.bench.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plot axis: maps values of {@code [lo, hi]} linearly — or linearly in log10 when {@code log} —
 * onto pixels {@code [from, to]} ({@code to < from} for a y axis, whose pixels grow downwards), and
 * gives round tick values: 1-2-5 steps (at least {@code minStep}) on a linear axis, powers of ten
 * on a log one.
 */
public record Axis(double lo, double hi, boolean log, double from, double to, double minStep) {
  public Axis(double lo, double hi, boolean log, double from, double to) {
    this(lo, hi, log, from, to, 0);
  }

  public Axis {
    if (!(hi > lo) || (log && !(lo > 0))) {
      throw new IllegalArgumentException(
          "an axis needs lo < hi (and lo > 0 on a log scale), got [" + lo + ", " + hi + "]");
    }
  }

  /**
   * An axis covering {@code values} with some margin: a log one widened to whole powers of ten, a
   * linear one padded by 8 % each side (or ±1 around a single value).
   */
  public static Axis covering(double[] values, boolean log, double from, double to) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (values.length == 0) {
      throw new IllegalArgumentException("an axis needs at least one value");
    }
    if (log) {
      if (!(min > 0)) {
        throw new IllegalArgumentException("a log axis needs positive values, got " + min);
      }
      double lo = Math.pow(10, Math.floor(Math.log10(min)));
      double hi = Math.pow(10, Math.ceil(Math.log10(max)));
      return new Axis(lo, hi > lo ? hi : lo * 10, true, from, to);
    }
    double pad = max > min ? 0.08 * (max - min) : 1;
    return new Axis(min - pad, max + pad, false, from, to);
  }

  /** The pixel of value {@code v}. */
  public double px(double v) {
    double t =
        log
            ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
            : (v - lo) / (hi - lo);
    return from + t * (to - from);
  }

  /** Tick values inside {@code [lo, hi]}. */
  public List<Double> ticks() {
    List<Double> out = new ArrayList<>();
    if (log) {
      // one tick per decade, or per few decades when they are many (at most about 8 ticks)
      int decades = (int) Math.round(Math.log10(hi / lo));
      int every = Math.max(1, (decades + 7) / 8);
      for (int k = 0; k <= decades; k += every) {
        out.add(lo * Math.pow(10, k));
      }
      return out;
    }
    double raw = (hi - lo) / 5;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step =
        raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
    step = Math.max(step, minStep);
    for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) {
      out.add(Math.abs(v) < 1e-12 * step ? 0 : v);
    }
    return out;
  }

  /** A tick's label: {@code 1e3}-style on a log axis, else up to three significant digits. */
  public String label(double v) {
    if (log) {
      int e = (int) Math.round(Math.log10(v));
      return e >= 0 && e <= 3 ? Long.toString(Math.round(Math.pow(10, e))) : "1e" + e;
    }
    return trim(v);
  }

  private static String trim(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e6) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.3g", v);
    return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }

  /**
   * Draws the axis line along the plot edge with its ticks, labels and title: a horizontal axis at
   * pixel row {@code at}, a vertical one at pixel column {@code at}.
   */
  public void draw(Svg svg, boolean horizontal, double at, String title) {
    String stroke = "stroke=\"#333\" stroke-width=\"1\"";
    if (horizontal) {
      svg.line(from, at, to, at, stroke);
      for (double v : ticks()) {
        svg.line(px(v), at, px(v), at + 5, stroke);
        svg.text(px(v), at + 18, label(v), "text-anchor=\"middle\"");
      }
      svg.text((from + to) / 2, at + 36, title, "text-anchor=\"middle\"");
    } else {
      svg.line(at, from, at, to, stroke);
      for (double v : ticks()) {
        svg.line(at - 5, px(v), at, px(v), stroke);
        svg.text(at - 8, px(v) + 4, label(v), "text-anchor=\"end\"");
      }
      svg.verticalText(at - 48, (from + to) / 2, title);
    }
  }
}
