package org.polyshare.bench.harness;

import java.util.List;
import java.util.Locale;

/** The JSON literals of the benchmark reports (flat values; the writers build the structure). */
public final class Json {
  private Json() {}

  /** A string literal, with quotes, backslashes and control characters escaped. */
  public static String str(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** A measured number, six significant digits; {@code null} for NaN and infinities (not JSON). */
  public static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
  }

  /**
   * A flat object {@code {"k1": v1, "k2": v2, ...}} from alternating keys and values, each value as
   * {@link #value} writes it and a Java null as JSON {@code null}.
   */
  public static String object(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("a JSON object needs a value for every key");
    }
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      Object v = keysAndValues[i + 1];
      sb.append(i == 0 ? "" : ", ")
          .append(str(String.valueOf(keysAndValues[i])))
          .append(": ")
          .append(v == null ? "null" : value(v));
    }
    return sb.append('}').toString();
  }

  /**
   * An array of written elements, one a line at the reports' indentation ({@code [\n e1,\n e2\n
   * ]}), or {@code []}.
   */
  public static String array(List<String> elements) {
    return elements.isEmpty() ? "[]" : "[\n    " + String.join(",\n    ", elements) + "\n  ]";
  }

  /** Any report value: numbers and booleans bare, everything else as a string. */
  public static String value(Object v) {
    if (v instanceof Double || v instanceof Float) {
      return num(((Number) v).doubleValue());
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return str(String.valueOf(v));
  }
}
