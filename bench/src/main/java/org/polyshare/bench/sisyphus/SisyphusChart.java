package org.polyshare.bench.sisyphus;

import java.util.List;
import java.util.Locale;
import org.polyshare.bench.plot.Axis;
import org.polyshare.bench.plot.Svg;

/**
 * Sisyphus drawn: one panel per training run, per-layer max |activation| against the epoch on a
 * log-scale y axis, the guard's headroom limit as a dashed line and, at the first epoch whose
 * history says {@code escaped}, a vertical marker where the guard refuses the model. A run that
 * never escapes says so in its panel.
 */
public final class SisyphusChart {
  static final int LEFT = 80;
  static final int PLOT_W = 600;
  static final int PLOT_H = 240;
  static final int TOP = 40;

  /** Panel pitch: the plot, its x axis and the panel title. */
  static final int PANEL = PLOT_H + 100;

  private static final String[] PALETTE = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
  };
  static final String LIMIT_STYLE =
      "stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"";
  static final String ESCAPE_STYLE = "stroke=\"black\" stroke-width=\"1.5\"";

  private final List<SisyphusHistory> runs;

  public SisyphusChart(List<SisyphusHistory> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no histories to draw");
    }
    this.runs = List.copyOf(runs);
  }

  static double panelTop(int panel) {
    return TOP + 30 + panel * PANEL;
  }

  /** Run {@code panel}'s y axis: every positive max |activation| and the headroom limit. */
  Axis yAxis(int panel) {
    SisyphusHistory h = runs.get(panel);
    double[] v = new double[h.epochs().length * h.layers().size() + 1];
    int k = 0;
    v[k++] = h.headroomLimit();
    for (double[] row : h.maxAbs()) {
      for (double x : row) {
        v[k++] = x > 0 ? x : h.headroomLimit();
      }
    }
    double top = panelTop(panel);
    return Axis.covering(v, true, top + PLOT_H, top);
  }

  /** Run {@code panel}'s x axis: its epochs, whole-number ticks. */
  Axis xAxis(int panel) {
    int[] e = runs.get(panel).epochs();
    double lo = e[0];
    double hi = e[e.length - 1] > lo ? e[e.length - 1] : lo + 1;
    return new Axis(lo, hi, false, LEFT, LEFT + PLOT_W, 1);
  }

  public String svg() {
    Svg svg = new Svg(LEFT + PLOT_W + 190, (int) panelTop(runs.size()) + 10);
    svg.text(
        LEFT,
        22,
        "Sisyphus: per-layer max |activation| per training epoch, against the guard's headroom",
        "font-size=\"14\" font-weight=\"bold\"");
    for (int p = 0; p < runs.size(); p++) {
      panel(svg, p);
    }
    return svg.toString();
  }

  private void panel(Svg svg, int p) {
    SisyphusHistory h = runs.get(p);
    Axis x = xAxis(p);
    Axis y = yAxis(p);
    double top = panelTop(p);
    svg.text(LEFT, top - 12, h.run() + " — " + h.arch(), "font-weight=\"bold\"");
    for (double t : y.ticks()) {
      svg.line(x.from(), y.px(t), x.to(), y.px(t), "stroke=\"#eee\"");
    }
    x.draw(svg, true, y.from(), "epoch");
    y.draw(svg, false, x.from(), "max |activation|");
    int n = h.epochs().length;
    double[] xs = new double[n];
    for (int e = 0; e < n; e++) {
      xs[e] = x.px(h.epochs()[e]);
    }
    for (int l = 0; l < h.layers().size(); l++) {
      double[] ys = new double[n];
      for (int e = 0; e < n; e++) {
        double v = h.maxAbs()[e][l];
        ys[e] = y.px(v > 0 ? Math.max(v, y.lo()) : y.lo());
      }
      String color = PALETTE[l % PALETTE.length];
      svg.polyline(xs, ys, "stroke=\"" + color + "\" stroke-width=\"1.5\"");
      double ly = top + 12 + 14 * l;
      if (ly < top + PLOT_H) {
        svg.line(
            x.to() + 12,
            ly - 4,
            x.to() + 30,
            ly - 4,
            "stroke=\"" + color + "\" stroke-width=\"2\"");
        svg.text(x.to() + 34, ly, h.layers().get(l), "font-size=\"10\"");
      }
    }
    double limit = y.px(h.headroomLimit());
    svg.line(x.from(), limit, x.to(), limit, LIMIT_STYLE);
    svg.text(
        x.from() + 4,
        limit - 4,
        String.format(
            Locale.ROOT,
            "headroom limit %.3g = 2^%d (f = %d)",
            h.headroomLimit(),
            Math.round(Math.log(h.headroomLimit()) / Math.log(2)),
            h.fixedPointBits()),
        "font-size=\"10\" fill=\"#d62728\"");
    int escape = h.firstEscape();
    if (escape >= 0) {
      double ex = x.px(escape);
      svg.line(ex, y.to(), ex, y.from(), ESCAPE_STYLE);
      svg.text(ex + 4, y.to() + 12, "guard refuses (epoch " + escape + ")", "font-size=\"10\"");
    } else {
      svg.text(
          x.to() - 4,
          y.to() + 12,
          "bounded: never above the limit in " + n + " epochs",
          "font-size=\"10\" text-anchor=\"end\"");
    }
  }
}
