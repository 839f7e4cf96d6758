package org.polyshare.bench.tradeoff;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.polyshare.bench.harness.Json;
import org.polyshare.bench.plot.Axis;
import org.polyshare.bench.plot.Svg;

/**
 * The accuracy/cost trade-off of a set of {@link TradeoffPoint}s at one network profile, drawn as
 * two scatter panels — test accuracy against online latency, and against online bytes, both cost
 * axes on a log scale (the arms differ by orders of magnitude) — and written as JSON and Markdown.
 */
public final class TradeoffChart {
  static final int PANEL_W = 440;
  static final int PANEL_H = 320;
  static final int LEFT = 70;
  static final int TOP = 50;
  static final int GAP = 90;

  private final String net;
  private final List<TradeoffPoint> points;

  public TradeoffChart(String net, List<TradeoffPoint> points) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("no points to draw");
    }
    this.net = net;
    this.points = List.copyOf(points);
  }

  public String net() {
    return net;
  }

  public List<TradeoffPoint> points() {
    return points;
  }

  /** The y axis, shared by both panels: accuracy in percent. */
  Axis accuracyAxis() {
    double[] acc = new double[points.size()];
    for (int i = 0; i < acc.length; i++) {
      acc[i] = 100 * points.get(i).accuracy();
    }
    return Axis.covering(acc, false, TOP + PANEL_H, TOP);
  }

  /** The x axis of panel 0 (latency, ms) or 1 (bytes). */
  Axis costAxis(int panel) {
    double[] v = new double[points.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = panel == 0 ? points.get(i).onlineMs() : points.get(i).onlineBytes();
    }
    double x0 = LEFT + panel * (PANEL_W + GAP);
    return Axis.covering(v, true, x0, x0 + PANEL_W);
  }

  public String svg() {
    Svg svg = new Svg(LEFT + 2 * PANEL_W + GAP + 30, TOP + PANEL_H + 100);
    svg.text(
        LEFT,
        22,
        "Test accuracy vs online cost per secure inference (batch 1, net " + net + ")",
        "font-size=\"14\" font-weight=\"bold\"");
    Axis y = accuracyAxis();
    String[] titles = {"online latency (ms, log scale)", "online bytes (both ways, log scale)"};
    for (int panel = 0; panel < 2; panel++) {
      Axis x = costAxis(panel);
      for (double t : y.ticks()) {
        svg.line(x.from(), y.px(t), x.to(), y.px(t), "stroke=\"#eee\"");
      }
      x.draw(svg, true, y.from(), titles[panel]);
      y.draw(svg, false, x.from(), "test accuracy (%)");
      for (TradeoffPoint p : points) {
        double cx = x.px(panel == 0 ? p.onlineMs() : p.onlineBytes());
        double cy = y.px(100 * p.accuracy());
        svg.circle(
            cx,
            cy,
            6,
            "fill=\"" + p.arm().color() + "\" stroke=\"black\" stroke-width=\"0.5\"",
            String.format(
                Locale.ROOT,
                "%s: %.2f %%, %s ms, %d bytes",
                p.name(),
                100 * p.accuracy(),
                Json.num(p.onlineMs()),
                p.onlineBytes()));
        svg.text(cx + 9, cy - 6, p.name(), "font-size=\"10\"");
      }
    }
    double lx = LEFT;
    double ly = TOP + PANEL_H + 70;
    for (Arm a : Arm.values()) {
      svg.circle(lx + 6, ly - 4, 6, "fill=\"" + a.color() + "\"", null);
      svg.text(lx + 16, ly, a.label(), "");
      lx += 110;
    }
    return svg.toString();
  }

  /** {@code {"net": ..., "points": [{architecture, arm, model, accuracy, ...}]}}. */
  public String json() {
    StringBuilder sb = new StringBuilder("{\n  \"net\": ").append(Json.str(net));
    List<String> rows = new ArrayList<>();
    for (TradeoffPoint p : points) {
      rows.add(
          Json.object(
              "architecture",
              p.architecture(),
              "arm",
              p.arm().label(),
              "model",
              p.model(),
              "accuracy",
              p.accuracy(),
              "accuracy_source",
              p.accuracySource(),
              "online_ms",
              p.onlineMs(),
              "online_bytes",
              p.onlineBytes(),
              "online_rounds",
              p.onlineRounds()));
    }
    return sb.append(",\n  \"points\": ").append(Json.array(rows)).append("\n}\n").toString();
  }

  /** A chart read back from {@link #json()} (to redraw without measuring again). */
  public static TradeoffChart parse(String json) {
    JsonObject o = JsonParser.parseString(json).getAsJsonObject();
    JsonArray arr = o.getAsJsonArray("points");
    if (arr == null || !o.has("net")) {
      throw new IllegalArgumentException("not a trade-off points file: no \"net\" or \"points\"");
    }
    List<TradeoffPoint> pts = new ArrayList<>();
    for (JsonElement e : arr) {
      JsonObject p = e.getAsJsonObject();
      pts.add(
          new TradeoffPoint(
              p.get("architecture").getAsString(),
              Arm.named(p.get("arm").getAsString()),
              p.get("model").getAsString(),
              p.get("accuracy").getAsDouble(),
              p.get("accuracy_source").getAsString(),
              p.get("online_ms").getAsDouble(),
              p.get("online_bytes").getAsLong(),
              p.get("online_rounds").getAsLong()));
    }
    return new TradeoffChart(o.get("net").getAsString(), pts);
  }

  public String markdown() {
    StringBuilder sb =
        new StringBuilder("| architecture | arm | test accuracy | online ms | online bytes |")
            .append(" online rounds | model | accuracy from |\n")
            .append("|---|---|---:|---:|---:|---:|---|---|\n");
    for (TradeoffPoint p : points) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.2f %% | %s | %d | %d | %s | %s |%n",
              p.architecture(),
              p.arm().label(),
              100 * p.accuracy(),
              Json.num(p.onlineMs()),
              p.onlineBytes(),
              p.onlineRounds(),
              p.model(),
              p.accuracySource()));
    }
    return sb.toString();
  }
}
