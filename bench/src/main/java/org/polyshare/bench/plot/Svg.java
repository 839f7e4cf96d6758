package org.polyshare.bench.plot;

import java.util.Locale;

/**
 * A plain SVG document built element by element: text, lines, polylines, circles and rectangles
 * with coordinates in pixels (y grows downwards), numbers written with two decimals. Text is
 * escaped; attribute strings ({@code style}) are the caller's.
 */
public final class Svg {
  private final StringBuilder sb = new StringBuilder();

  public Svg(int width, int height) {
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            width,
            height,
            width,
            height));
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
  }

  /** Text at (x, y); {@code style} is extra attributes, e.g. {@code text-anchor="middle"}. */
  public Svg text(double x, double y, String text, String style) {
    sb.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%.2f\" %s>", x, y, style))
        .append(esc(text))
        .append("</text>\n");
    return this;
  }

  /** Text rotated by −90° about its anchor (a vertical axis label). */
  public Svg verticalText(double x, double y, String text) {
    return text(
        x,
        y,
        text,
        String.format(
            Locale.ROOT, "text-anchor=\"middle\" transform=\"rotate(-90 %.2f %.2f)\"", x, y));
  }

  public Svg line(double x1, double y1, double x2, double y2, String style) {
    sb.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" %s/>%n",
            x1,
            y1,
            x2,
            y2,
            style));
    return this;
  }

  /** A polyline through the points {@code (xs[i], ys[i])}. */
  public Svg polyline(double[] xs, double[] ys, String style) {
    sb.append("<polyline fill=\"none\" points=\"");
    for (int i = 0; i < xs.length; i++) {
      sb.append(String.format(Locale.ROOT, i == 0 ? "%.2f,%.2f" : " %.2f,%.2f", xs[i], ys[i]));
    }
    sb.append("\" ").append(style).append("/>\n");
    return this;
  }

  /** A circle; {@code title} (may be null) becomes its hover text. */
  public Svg circle(double cx, double cy, double r, String style, String title) {
    sb.append(
        String.format(
            Locale.ROOT, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" %s", cx, cy, r, style));
    if (title == null) {
      sb.append("/>\n");
    } else {
      sb.append("><title>").append(esc(title)).append("</title></circle>\n");
    }
    return this;
  }

  public Svg rect(double x, double y, double w, double h, String style) {
    sb.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" %s/>%n",
            x,
            y,
            w,
            h,
            style));
    return this;
  }

  /** The document, closed. */
  @Override
  public String toString() {
    return sb + "</svg>\n";
  }

  public static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
