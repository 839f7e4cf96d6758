package org.polyshare.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one benchmark run: a title and named values in the order they were put, written as
 * an aligned text table (stdout) and as a flat JSON object with the same keys. Keys are snake_case
 * with their unit as suffix ({@code _ms}, {@code _bytes}, ...).
 */
public final class Report {
  private final String title;
  private final Map<String, Object> values = new LinkedHashMap<>();

  public Report(String title) {
    this.title = title;
  }

  /** A report of values already gathered in order (for commands that build a map). */
  public static Report of(String title, Map<String, ?> values) {
    Report r = new Report(title);
    values.forEach(r::putValue);
    return r;
  }

  public Report put(String key, double v) {
    return putValue(key, v);
  }

  public Report put(String key, long v) {
    return putValue(key, v);
  }

  public Report put(String key, String v) {
    return putValue(key, v);
  }

  public Report put(String key, boolean v) {
    return putValue(key, v);
  }

  private Report putValue(String key, Object v) {
    if (v == null) {
      throw new IllegalArgumentException("report value '" + key + "' is null");
    }
    if (values.putIfAbsent(key, v) != null) {
      throw new IllegalArgumentException("report key '" + key + "' put twice");
    }
    return this;
  }

  public String title() {
    return title;
  }

  public Map<String, Object> values() {
    return Collections.unmodifiableMap(values);
  }

  /**
   * The title, then one line per value; numbers with three decimals, below 1 three significant
   * digits.
   */
  public String text() {
    StringBuilder sb = new StringBuilder();
    if (title != null && !title.isEmpty()) {
      sb.append(title).append('\n');
    }
    for (Map.Entry<String, Object> e : values.entrySet()) {
      sb.append(String.format(Locale.ROOT, "  %-40s %s%n", e.getKey(), format(e.getValue())));
    }
    return sb.toString();
  }

  /** The values as one flat JSON object (the title is not part of it). */
  public String json() {
    StringBuilder sb = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, Object> e : values.entrySet()) {
      sb.append("  ")
          .append(Json.str(e.getKey()))
          .append(": ")
          .append(Json.value(e.getValue()))
          .append(++i < values.size() ? ",\n" : "\n");
    }
    return sb.append("}\n").toString();
  }

  /**
   * The title as a heading, then a Markdown table of the values (formatted as in {@link #text}).
   */
  public String markdown() {
    StringBuilder sb = new StringBuilder();
    if (title != null && !title.isEmpty()) {
      sb.append("### ").append(title).append("\n\n");
    }
    sb.append("| field | value |\n|---|---:|\n");
    for (Map.Entry<String, Object> e : values.entrySet()) {
      sb.append("| `")
          .append(e.getKey())
          .append("` | ")
          .append(format(e.getValue()))
          .append(" |\n");
    }
    return sb.toString();
  }

  private static String format(Object v) {
    return v instanceof Double d
        ? String.format(Locale.ROOT, d != 0 && Math.abs(d) < 1 ? "%.3g" : "%.3f", d)
        : String.valueOf(v);
  }

  public void print(PrintStream out) {
    out.print(text());
  }

  /** Writes {@link #json()} to {@code file}, creating its directory. */
  public void writeJson(Path file) throws IOException {
    write(file, json());
  }

  /** Writes a report's text (any format) to {@code file} as UTF-8, creating its directory. */
  public static void write(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
