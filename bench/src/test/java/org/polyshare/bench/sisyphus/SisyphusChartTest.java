package org.polyshare.bench.sisyphus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.bench.BenchCli;
import org.polyshare.bench.plot.Axis;

class SisyphusChartTest {
  @TempDir Path dir;

  /** Two layers; escapes at epoch 3 when {@code escapeAt} is 3 (layer 2 jumps past 2^22). */
  private static String history(String run, int escapeAt) {
    StringBuilder rows = new StringBuilder();
    for (int e = 1; e <= 4; e++) {
      double big = escapeAt > 0 && e >= escapeAt ? 1e9 : 10 * e;
      rows.append(e == 1 ? "" : ",")
          .append(
              String.format(
                  java.util.Locale.ROOT,
                  "{\"epoch\": %d, \"max_abs\": [%d, %s], \"train_loss\": 1.0, \"escaped\": %b}",
                  e,
                  e,
                  big,
                  escapeAt > 0 && e >= escapeAt));
    }
    return "{\"run\": \""
        + run
        + "\", \"arch\": \"2 x pk\", \"layers\": [\"pk1\", \"pk2\"], \"epochs\": ["
        + rows
        + "], \"fixed_point_bits\": 16, \"headroom_limit\": 4194304, \"note\": \"synthetic\"}";
  }

  @Test
  void eachRunHasItsPanelLimitLineAndEscapeMarker() {
    List<SisyphusHistory> runs =
        List.of(
            SisyphusHistory.parse(history("pkn-nobn", 3)),
            SisyphusHistory.parse(history("rpkn", 0)));
    SisyphusChart chart = new SisyphusChart(runs);
    String svg = chart.svg();
    assertTrue(svg.contains(">pkn-nobn — 2 x pk</text>") && svg.contains(">rpkn — 2 x pk</text>"));
    assertEquals(3, runs.get(0).firstEscape());
    assertEquals(-1, runs.get(1).firstEscape());
    // 2 layers × 2 runs
    assertEquals(4, svg.split("<polyline", -1).length - 1, svg);
    // the limit line sits at 2^22 on each panel's log axis: 1..1e9 spans nine decades
    for (int p = 0; p < 2; p++) {
      Axis y = chart.yAxis(p);
      assertEquals(1, y.lo(), 0);
      assertEquals(p == 0 ? 1e9 : 1e7, y.hi(), 1e-3);
      double ly = y.px(4194304);
      assertTrue(
          svg.contains(
              String.format(
                  java.util.Locale.ROOT,
                  "y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" %s",
                  ly,
                  (double) SisyphusChart.LEFT + SisyphusChart.PLOT_W,
                  ly,
                  SisyphusChart.LIMIT_STYLE)),
          "limit line of panel " + p);
    }
    // the escape marker: a vertical line at epoch 3 of panel 0, epochs 1..4 across the width
    double ex = SisyphusChart.LEFT + SisyphusChart.PLOT_W * 2 / 3.0;
    Matcher m =
        Pattern.compile(
                "<line x1=\"([0-9.]+)\" y1=\"[0-9.]+\" x2=\"([0-9.]+)\" y2=\"[0-9.]+\" "
                    + Pattern.quote(SisyphusChart.ESCAPE_STYLE))
            .matcher(svg);
    assertTrue(m.find(), svg);
    assertEquals(ex, Double.parseDouble(m.group(1)), 0.01);
    assertEquals(ex, Double.parseDouble(m.group(2)), 0.01);
    assertTrue(!m.find(), "one escape marker only");
    assertTrue(svg.contains("guard refuses (epoch 3)"));
    assertTrue(svg.contains("bounded: never above the limit in 4 epochs"));
    assertTrue(svg.contains(">max |activation|</text>") && svg.contains(">epoch</text>"));
    assertTrue(svg.contains(">1e8</text>"), svg); // log ticks: nine decades, every second one
    assertTrue(svg.contains("headroom limit 4.19e+06 = 2^22 (f = 16)"), svg);
  }

  private String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        BenchCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void theCommandDrawsFilesAndRefusesBadOnesByName() throws Exception {
    Path a = dir.resolve("a.json");
    Files.writeString(a, history("pkn-nobn", 2));
    Path svg = dir.resolve("s.svg");
    String[] ok = run("sisyphus", "--history", a.toString(), "--out", svg.toString());
    assertEquals("0", ok[0], ok[2]);
    assertTrue(ok[1].contains("pkn-nobn: 4 epochs, escapes at epoch 2"), ok[1]);
    assertTrue(Files.readString(svg).startsWith("<svg"));
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, history("x", 0).replace("\"headroom_limit\"", "\"limit\""));
    String[] refused = run("sisyphus", "--history", bad.toString(), "--out", svg.toString());
    assertEquals("2", refused[0]);
    assertTrue(
        refused[2].contains("bad.json") && refused[2].contains("\"headroom_limit\""), refused[2]);
    String[] missing =
        run("sisyphus", "--history", dir.resolve("none.json").toString(), "--out", svg.toString());
    assertTrue(missing[2].contains("none.json does not exist"), missing[2]);
  }
}
