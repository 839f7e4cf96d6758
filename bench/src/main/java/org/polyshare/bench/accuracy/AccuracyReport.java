package org.polyshare.bench.accuracy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.polyshare.bench.harness.Json;
import org.polyshare.bench.harness.Report;

/**
 * The renderings of one {@code bench accuracy} run: the flat {@link Report} (text and JSON fields),
 * the differing predictions appended to the JSON as an array, and a Markdown summary listing each
 * differing image with its top-2 gap against twice the error bound.
 */
public final class AccuracyReport {
  private final Report flat;
  private final List<DifferingPrediction> differing;

  public AccuracyReport(Report flat, List<DifferingPrediction> differing) {
    this.flat = flat;
    this.differing = List.copyOf(differing);
  }

  public Report flat() {
    return flat;
  }

  /** Differing predictions that are not near-ties: each one a protocol error. */
  public long unexplained() {
    return differing.stream().filter(d -> !d.nearTie()).count();
  }

  /** The flat fields, then {@code "differing": [{image, label, plain, secure, gap, ...}]}. */
  public String json() {
    String head = flat.json();
    // the flat object without its closing "\n}\n"
    StringBuilder sb = new StringBuilder(head.substring(0, head.lastIndexOf('}') - 1));
    List<String> rows = new ArrayList<>();
    for (DifferingPrediction d : differing) {
      rows.add(
          Json.object(
              "image",
              d.image(),
              "label",
              d.label(),
              "plaintext",
              d.plain(),
              "secure",
              d.secure(),
              "top2_gap",
              d.gap(),
              "error_bound",
              d.bound(),
              "near_tie",
              d.nearTie()));
    }
    return sb.append(",\n  \"differing\": ").append(Json.array(rows)).append("\n}\n").toString();
  }

  /** The title, a two-column table of the fields and the list of differing predictions. */
  public String markdown() {
    StringBuilder sb = new StringBuilder("# ").append(flat.title()).append("\n\n");
    sb.append("| field | value |\n|---|---|\n");
    flat.values()
        .forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(show(v)).append(" |\n"));
    return sb.append('\n').append(differingMarkdown()).toString();
  }

  /** The differing predictions as a Markdown section (also what the command prints). */
  public String differingMarkdown() {
    StringBuilder sb = new StringBuilder("## Differing top-1 predictions\n\n");
    if (differing.isEmpty()) {
      return sb.append("None.\n").toString();
    }
    sb.append("| image | label | plaintext | secure | top-2 gap | 2 × error bound | near-tie |\n")
        .append("|---:|---:|---:|---:|---:|---:|---|\n");
    for (DifferingPrediction d : differing) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %d | %d | %.3g | %.3g | %s |%n",
              d.image(),
              d.label(),
              d.plain(),
              d.secure(),
              d.gap(),
              2 * d.bound(),
              d.nearTie() ? "yes" : "**no**"));
    }
    return sb.toString();
  }

  private static String show(Object v) {
    return v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(v);
  }
}
