package org.polyshare.bench.harness;

/** Rows of the Markdown tables in the benchmark reports. */
public final class Markdown {
  private Markdown() {}

  /** {@code | c1 | c2 | ... |} and a newline, each cell as {@link String#valueOf} writes it. */
  public static String row(Object... cells) {
    StringBuilder sb = new StringBuilder("|");
    for (Object c : cells) {
      sb.append(' ').append(c).append(" |");
    }
    return sb.append('\n').toString();
  }
}
