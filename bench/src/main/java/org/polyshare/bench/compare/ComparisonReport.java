package org.polyshare.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.polyshare.bench.harness.Json;
import org.polyshare.bench.harness.Markdown;
import org.polyshare.core.link.NetworkProfile;

/**
 * The ReLU vs PKN comparison of one architecture (one or more ReLU arms: garbled circuits, FSS),
 * and its renderings: a Markdown table, JSON, CSV (per repetition and per layer) and an SVG chart
 * of the latency split. With the GC arm alone every rendering is the two-way comparison's. Each
 * variant carries its warm-up count; {@code warmupGiven}: one {@code --warmup} for all, else each
 * arm's default ({@link org.polyshare.bench.harness.Warmups}).
 */
public record ComparisonReport(
    String architecture,
    NetworkProfile net,
    int batch,
    int repeat,
    boolean warmupGiven,
    String mode,
    List<ReluArm> relus,
    VariantResult pkn) {

  public ComparisonReport {
    if (relus.isEmpty()) {
      throw new IllegalArgumentException("a comparison needs at least one ReLU arm");
    }
    relus = List.copyOf(relus);
  }

  /** The first ReLU arm's result. */
  public VariantResult relu() {
    return relus.get(0).result();
  }

  /** Every variant, ReLU arms first. */
  public List<VariantResult> variants() {
    List<VariantResult> out = new ArrayList<>();
    for (ReluArm a : relus) {
      out.add(a.result());
    }
    out.add(pkn);
    return out;
  }

  public boolean passed() {
    return variants().stream().allMatch(VariantResult::passed);
  }

  private boolean threeWay() {
    return relus.size() > 1;
  }

  /** A row of the summary: label, how to read it from a measurement, whether it is bytes. */
  private record Metric(String label, String key, ToDoubleFunction<Measurement> f, boolean bytes) {}

  private static List<Metric> metrics() {
    List<Metric> m = new ArrayList<>();
    m.add(new Metric("offline (ms)", "offline_ms", Measurement::offlineMs, false));
    m.add(new Metric("online (ms)", "online_ms", Measurement::onlineMs, false));
    m.add(new Metric("total = offline + online (ms)", "total_ms", Measurement::totalMs, false));
    m.add(
        new Metric(
            "online: linear layers (ms)", "online_linear_ms", Measurement::onlineLinearMs, false));
    m.add(
        new Metric(
            "online: activations (ms)",
            "online_activation_ms",
            Measurement::onlineActivationMs,
            false));
    m.add(
        new Metric(
            "online: input sharing + reveal (ms)",
            "online_other_ms",
            Measurement::onlineOtherMs,
            false));
    m.add(
        new Metric(
            "offline: activations (ms)",
            "offline_activation_ms",
            Measurement::offlineActivationMs,
            false));
    m.add(new Metric("online bytes party 0 → 1", "online_bytes_01", x -> x.onlineBytes01(), true));
    m.add(new Metric("online bytes party 1 → 0", "online_bytes_10", x -> x.onlineBytes10(), true));
    m.add(
        new Metric(
            "online bytes in activations",
            "online_activation_bytes",
            x -> x.onlineActivationBytes(),
            true));
    m.add(
        new Metric("offline bytes party 0 → 1", "offline_bytes_01", x -> x.offlineBytes01(), true));
    m.add(
        new Metric("offline bytes party 1 → 0", "offline_bytes_10", x -> x.offlineBytes10(), true));
    m.add(new Metric("dealer → party 0 bytes", "dealer_bytes_0", x -> x.dealerBytes0(), true));
    m.add(new Metric("dealer → party 1 bytes", "dealer_bytes_1", x -> x.dealerBytes1(), true));
    m.add(new Metric("online rounds", "online_rounds", x -> x.onlineRounds(), false));
    m.add(
        new Metric(
            "online rounds in activations",
            "online_activation_rounds",
            x -> x.onlineActivationRounds(),
            false));
    m.add(new Metric("setup, once per session (ms)", "setup_ms", Measurement::setupMs, false));
    m.add(new Metric("setup bytes (both ways)", "setup_bytes", x -> x.setupBytes(), true));
    return m;
  }

  public String title() {
    return String.format(
        Locale.ROOT,
        "bench compare: %s, net %s, batch %d, median of %d after %s, %s",
        architecture,
        net,
        batch,
        repeat,
        warmupGiven
            ? pkn.warmup() + " warm-up (--warmup, every arm)"
            : "warm-ups per arm (" + warmupsText() + ")",
        mode);
  }

  /** {@code gc 1, fss 3, pkn 5}: each arm's warm-up count, in column order. */
  private String warmupsText() {
    StringBuilder sb = new StringBuilder();
    for (ReluArm a : relus) {
      sb.append(armKey(a)).append(' ').append(a.result().warmup()).append(", ");
    }
    return sb.append("pkn ").append(pkn.warmup()).toString();
  }

  private static String armKey(ReluArm a) {
    return a.relu().name().toLowerCase(Locale.ROOT);
  }

  public String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("**").append(title()).append("**\n\n");
    sb.append("| | ");
    for (ReluArm a : relus) {
      sb.append(a.result().model()).append(" (").append(a.label()).append(") | ");
    }
    sb.append(pkn.model());
    for (ReluArm a : relus) {
      sb.append(" | ").append(threeWay() ? a.ratioLabel() : "ReLU / PKN");
    }
    sb.append(" |\n|---|").append("---:|".repeat(2 * relus.size() + 1)).append('\n');
    for (Metric m : metrics()) {
      double b = pkn.median(m.f());
      sb.append("| ").append(m.label()).append(" | ");
      for (ReluArm a : relus) {
        double x = a.result().median(m.f());
        sb.append(m.bytes() ? bytes(x) : num(x)).append(" | ");
      }
      sb.append(m.bytes() ? bytes(b) : num(b));
      for (ReluArm a : relus) {
        sb.append(" | ").append(ratio(a.result().median(m.f()), b));
      }
      sb.append(" |\n");
    }
    if (relus.stream().anyMatch(a -> a.dealerBytesPerRelu() >= 0)) {
      sb.append("| dealer bytes per ReLU (both parties) | ");
      for (ReluArm a : relus) {
        sb.append(a.dealerBytesPerRelu() >= 0 ? bytes(a.dealerBytesPerRelu()) : "n/a")
            .append(" | ");
      }
      sb.append("–").append(" |".repeat(relus.size())).append(" |\n");
    }
    sb.append("| warm-up inferences (unmeasured) | ");
    for (ReluArm a : relus) {
      sb.append(a.result().warmup()).append(" | ");
    }
    sb.append(pkn.warmup()).append(" |".repeat(relus.size())).append(" |\n");
    sb.append("| check vs plaintext | ");
    for (ReluArm a : relus) {
      sb.append(check(a.result())).append(" | ");
    }
    sb.append(check(pkn)).append(" |".repeat(relus.size())).append(" |\n");
    sb.append(PartyMemory.markdown(variants()));
    return sb.toString();
  }

  /** Per-layer split of the median repetition of both variants. */
  public String layersMarkdown() {
    StringBuilder sb = new StringBuilder();
    for (VariantResult v : variants()) {
      sb.append("\n**")
          .append(v.model())
          .append(": per layer (online, slower party)**\n\n")
          .append(
              "| layer | kind | online ms | of which activation ms | online bytes | rounds | offline activation ms |\n")
          .append("|---|---|---:|---:|---:|---:|---:|\n");
      for (Measurement.LayerRow r : v.medianRep().layers()) {
        sb.append(
            Markdown.row(
                r.layer(),
                r.kind(),
                num(r.onlineMs()),
                num(r.onlineActivationMs()),
                bytes(r.onlineBytes()),
                r.onlineRounds(),
                num(r.offlineActivationMs())));
      }
    }
    return sb.toString();
  }

  private static String check(VariantResult v) {
    return String.format(
        Locale.ROOT,
        "%s (max err %.2g, tol %.2g)",
        v.passed() ? "PASS" : "**FAIL**",
        v.maxError(),
        v.tolerance());
  }

  static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return Math.abs(v) >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.3g", v);
  }

  static String bytes(double b) {
    if (b < 0) {
      return "n/a";
    }
    String[] units = {"B", "KiB", "MiB", "GiB"};
    int u = 0;
    double v = b;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0
        ? String.format(Locale.ROOT, "%.0f B", v)
        : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static String ratio(double a, double b) {
    if (a < 0 || b < 0) {
      return "n/a";
    }
    if (b == 0) {
      return a == 0 ? "–" : "∞";
    }
    double r = a / b;
    return r >= 10
        ? String.format(Locale.ROOT, "%.1fx", r)
        : String.format(Locale.ROOT, "%.2fx", r);
  }

  // ---- JSON -----------------------------------------------------------------------------------

  public String json() {
    StringBuilder sb = new StringBuilder("{\n");
    sb.append("  \"architecture\": ").append(Json.str(architecture)).append(",\n");
    sb.append("  \"net\": {\"name\": ")
        .append(Json.str(net.name()))
        .append(", \"bits_per_second\": ")
        .append(net.bitsPerSecond())
        .append(", \"round_trip_ms\": ")
        .append(Json.num(net.roundTrip().toNanos() / 1e6))
        .append("},\n");
    sb.append("  \"batch\": ")
        .append(batch)
        .append(",\n  \"repeat\": ")
        .append(repeat)
        .append(",\n  \"warmups\": {");
    for (ReluArm a : relus) {
      sb.append(Json.str(armKey(a))).append(": ").append(a.result().warmup()).append(", ");
    }
    sb.append("\"pkn\": ")
        .append(pkn.warmup())
        .append("},\n  \"warmup_source\": ")
        .append(Json.str(warmupGiven ? "--warmup" : "per-arm defaults"))
        .append(",\n  \"mode\": ")
        .append(Json.str(mode))
        .append(",\n  \"passed\": ")
        .append(passed());
    List<Metric> ms = metrics();
    for (ReluArm a : relus) {
      VariantResult relu = a.result();
      sb.append(",\n  ").append(Json.str(a.ratioKey())).append(": {");
      for (int i = 0; i < ms.size(); i++) {
        Metric m = ms.get(i);
        double b = pkn.median(m.f());
        sb.append(i == 0 ? "" : ", ")
            .append(Json.str(m.key()))
            .append(": ")
            .append(b <= 0 || relu.median(m.f()) < 0 ? "null" : Json.num(relu.median(m.f()) / b));
      }
      sb.append('}');
    }
    if (threeWay()) {
      sb.append(",\n  \"dealer_bytes_per_relu\": {");
      for (int i = 0; i < relus.size(); i++) {
        ReluArm a = relus.get(i);
        sb.append(i == 0 ? "" : ", ")
            .append(Json.str(armKey(a)))
            .append(": ")
            .append(a.dealerBytesPerRelu() >= 0 ? Json.num(a.dealerBytesPerRelu()) : "null");
      }
      sb.append('}');
    }
    sb.append(",\n  \"variants\": [\n");
    List<VariantResult> vs = variants();
    for (int i = 0; i < vs.size(); i++) {
      String arm = threeWay() && i < relus.size() ? armKey(relus.get(i)) : null;
      sb.append(i == 0 ? "" : ",\n").append(variantJson(vs.get(i), arm));
    }
    sb.append("\n  ]\n}\n");
    return sb.toString();
  }

  private static String variantJson(VariantResult v, String reluArm) {
    StringBuilder sb = new StringBuilder("    {\"model\": ").append(Json.str(v.model()));
    if (reluArm != null) {
      sb.append(", \"relu_arm\": ").append(Json.str(reluArm));
    }
    sb.append(", \"warmup\": ")
        .append(v.warmup())
        .append(", \"passed\": ")
        .append(v.passed())
        .append(",\n     \"checks\": [");
    for (int i = 0; i < v.checks().size(); i++) {
      ReferenceCheck.Outcome c = v.checks().get(i);
      sb.append(i == 0 ? "" : ", ")
          .append(
              Json.object(
                  "passed",
                  c.passed(),
                  "inputs",
                  c.inputs(),
                  "max_error",
                  c.maxError(),
                  "bound",
                  c.bound(),
                  "tolerance",
                  c.tolerance(),
                  "top1_mismatches",
                  c.top1Mismatches()));
    }
    sb.append("],\n     \"memory\": ").append(PartyMemory.json(v.memory()));
    sb.append(",\n     \"median\": ").append(metricsJson(v::median)).append(",\n     \"reps\": [");
    for (int i = 0; i < v.reps().size(); i++) {
      Measurement m = v.reps().get(i);
      sb.append(i == 0 ? "\n       " : ",\n       ").append(metricsJson(f -> f.applyAsDouble(m)));
    }
    sb.append("],\n     \"layers\": [");
    List<Measurement.LayerRow> rows = v.medianRep().layers();
    for (int i = 0; i < rows.size(); i++) {
      Measurement.LayerRow r = rows.get(i);
      sb.append(i == 0 ? "\n       " : ",\n       ")
          .append(
              Json.object(
                  "layer",
                  r.layer(),
                  "kind",
                  r.kind(),
                  "online_ms",
                  r.onlineMs(),
                  "online_activation_ms",
                  r.onlineActivationMs(),
                  "online_bytes",
                  r.onlineBytes(),
                  "online_rounds",
                  r.onlineRounds(),
                  "offline_activation_ms",
                  r.offlineActivationMs()));
    }
    return sb.append("]}").toString();
  }

  private static String metricsJson(
      java.util.function.Function<ToDoubleFunction<Measurement>, Double> get) {
    StringBuilder sb = new StringBuilder("{");
    List<Metric> ms = metrics();
    for (int i = 0; i < ms.size(); i++) {
      Metric m = ms.get(i);
      double v = get.apply(m.f());
      sb.append(i == 0 ? "" : ", ")
          .append(Json.str(m.key()))
          .append(": ")
          .append(m.bytes() || m.key().endsWith("rounds") ? Long.toString((long) v) : Json.num(v));
    }
    return sb.append('}').toString();
  }

  // ---- CSV ------------------------------------------------------------------------------------

  /** One row per variant and repetition, then one {@code median} row per variant. */
  public String csv() {
    StringBuilder sb = new StringBuilder("architecture,net,variant,rep");
    for (Metric m : metrics()) {
      sb.append(',').append(m.key());
    }
    sb.append('\n');
    for (VariantResult v : variants()) {
      for (int i = 0; i <= v.reps().size(); i++) {
        boolean med = i == v.reps().size();
        Measurement rep = med ? null : v.reps().get(i);
        sb.append(architecture)
            .append(',')
            .append(net.name())
            .append(',')
            .append(v.model())
            .append(',')
            .append(med ? "median" : Integer.toString(i + 1));
        for (Metric m : metrics()) {
          double x = med ? v.median(m.f()) : m.f().applyAsDouble(rep);
          sb.append(',')
              .append(
                  m.bytes() || m.key().endsWith("rounds")
                      ? Long.toString((long) x)
                      : String.format(Locale.ROOT, "%.4f", x));
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** Per layer of each variant's median repetition. */
  public String layersCsv() {
    StringBuilder sb =
        new StringBuilder(
            "variant,layer,kind,online_ms,online_activation_ms,online_bytes,online_rounds,offline_activation_ms\n");
    for (VariantResult v : variants()) {
      for (Measurement.LayerRow r : v.medianRep().layers()) {
        sb.append(v.model())
            .append(',')
            .append(r.layer())
            .append(',')
            .append(r.kind())
            .append(',')
            .append(
                String.format(
                    Locale.ROOT,
                    "%.4f,%.4f,%d,%d,%.4f",
                    r.onlineMs(),
                    r.onlineActivationMs(),
                    r.onlineBytes(),
                    r.onlineRounds(),
                    r.offlineActivationMs()))
            .append('\n');
      }
    }
    return sb.toString();
  }

  // ---- SVG ------------------------------------------------------------------------------------

  private static final String[] PARTS = {
    "offline: linear + other",
    "offline: activations",
    "online: linear layers",
    "online: activations",
    "online: input sharing + reveal"
  };
  private static final String[] COLORS = {"#9ecae1", "#fdae6b", "#3182bd", "#e6550d", "#969696"};

  private static double[] parts(VariantResult v) {
    double off = v.median(Measurement::offlineMs);
    double offAct = Math.min(off, v.median(Measurement::offlineActivationMs));
    return new double[] {
      off - offAct,
      offAct,
      v.median(Measurement::onlineLinearMs),
      v.median(Measurement::onlineActivationMs),
      v.median(Measurement::onlineOtherMs)
    };
  }

  /**
   * Two panels of horizontal stacked bars (median latency split): offline + online, and online
   * alone on its own scale, since the PKN bar is often a sliver next to the GC one.
   */
  public String svg() {
    int w = 900;
    int left = 170;
    int barW = w - left - 120;
    StringBuilder sb = new StringBuilder();
    List<VariantResult> all = variants();
    int bars = all.size();
    int panelH = 40 * bars + 40;
    int h = 52 + 2 * panelH + 38;
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(h)
        .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    sb.append("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">")
        .append(
            esc(
                "Latency split, "
                    + architecture
                    + ", net "
                    + net.name()
                    + ", batch "
                    + batch
                    + ", median of "
                    + repeat))
        .append("</text>\n");
    // The mode description is long; it goes on a small line of its own under the title.
    sb.append("<text x=\"10\" y=\"33\" font-size=\"10\" fill=\"#555\">")
        .append(esc(mode))
        .append("</text>\n");
    VariantResult[] vs = all.toArray(new VariantResult[0]);
    double[][] p = new double[bars][];
    for (int v = 0; v < bars; v++) {
      p[v] = parts(vs[v]);
    }
    for (int panel = 0; panel < 2; panel++) {
      int from = panel == 0 ? 0 : 2;
      int y0 = 52 + panel * panelH;
      double max = 0;
      for (double[] q : p) {
        double s = 0;
        for (int k = from; k < q.length; k++) {
          s += q[k];
        }
        max = Math.max(max, s);
      }
      sb.append("<text x=\"10\" y=\"")
          .append(y0)
          .append("\" font-weight=\"bold\">")
          .append(panel == 0 ? "offline + online (ms)" : "online only (ms)")
          .append("</text>\n");
      for (int v = 0; v < bars; v++) {
        int y = y0 + 12 + v * 40;
        sb.append("<text x=\"10\" y=\"")
            .append(y + 20)
            .append("\">")
            .append(esc(vs[v].model()))
            .append("</text>\n");
        double x = left;
        double sum = 0;
        for (int k = from; k < p[v].length; k++) {
          double len = max == 0 ? 0 : p[v][k] / max * barW;
          sb.append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"28\" fill=\"%s\"><title>%s: %s ms</title></rect>%n",
                  x,
                  y,
                  len,
                  COLORS[k],
                  esc(PARTS[k]),
                  num(p[v][k])));
          x += len;
          sum += p[v][k];
        }
        sb.append(
            String.format(
                Locale.ROOT, "<text x=\"%.2f\" y=\"%d\">%s ms</text>%n", x + 6, y + 19, num(sum)));
      }
    }
    int ly = h - 45;
    int lx = 10;
    for (int k = 0; k < PARTS.length; k++) {
      sb.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n",
              lx,
              ly,
              COLORS[k],
              lx + 16,
              ly + 11,
              esc(PARTS[k])));
      lx += 16 + PARTS[k].length() * 7 + 14;
      if (lx > w - 200 && k < PARTS.length - 1) {
        lx = 10;
        ly += 20;
      }
    }
    return sb.append("</svg>\n").toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
