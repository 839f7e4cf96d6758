package org.polyshare.bench.tradeoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.bench.BenchCli;
import picocli.CommandLine;

class TradeoffChartTest {
  @TempDir Path dir;

  private static final List<TradeoffPoint> POINTS =
      List.of(
          new TradeoffPoint("net", Arm.PKN, "a.onnx", 0.90, "a.json", 10, 100_000, 7),
          new TradeoffPoint("net", Arm.RELU_GC, "b.onnx", 0.92, "b.json", 1000, 100_000_000, 9),
          new TradeoffPoint("net", Arm.R_PKN, "c.onnx", 0.91, "c.json", 20, 200_000, 7));

  /** name → {cx panel 0, cy panel 0, cx panel 1, cy panel 1}, from the circles' hover titles. */
  private static Map<String, double[]> circles(String svg) {
    Matcher m =
        Pattern.compile("<circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\" [^>]*><title>([^:]+):")
            .matcher(svg);
    Map<String, double[]> out = new HashMap<>();
    while (m.find()) {
      double[] c = out.computeIfAbsent(m.group(3), k -> new double[] {-1, -1, -1, -1});
      int at = c[0] < 0 ? 0 : 2;
      c[at] = Double.parseDouble(m.group(1));
      c[at + 1] = Double.parseDouble(m.group(2));
    }
    return out;
  }

  @Test
  void pointsSitWhereTheirCostAndAccuracyPlaceThem() {
    String svg = new TradeoffChart("lan", POINTS).svg();
    Map<String, double[]> c = circles(svg);
    assertEquals(3, c.size(), svg);
    int l = TradeoffChart.LEFT;
    int w = TradeoffChart.PANEL_W;
    int x1 = l + w + TradeoffChart.GAP;
    // latency 10..1000 ms spans two decades exactly, bytes 1e5..1e8 three
    assertEquals(l, c.get("net PKN")[0], 0.01);
    assertEquals(l + w, c.get("net ReLU-GC")[0], 0.01);
    assertEquals(l + w * Math.log10(2) / 2, c.get("net R-PKN")[0], 0.01);
    assertEquals(x1, c.get("net PKN")[2], 0.01);
    assertEquals(x1 + w, c.get("net ReLU-GC")[2], 0.01);
    assertEquals(x1 + w * Math.log10(2) / 3, c.get("net R-PKN")[2], 0.01);
    // accuracy 90..92 %, padded 8 % each side; higher accuracy is higher up (smaller y)
    double lo = 90 - 0.16;
    double hi = 92 + 0.16;
    double bottom = TradeoffChart.TOP + TradeoffChart.PANEL_H;
    for (TradeoffPoint p : POINTS) {
      double y = bottom + (100 * p.accuracy() - lo) / (hi - lo) * (TradeoffChart.TOP - bottom);
      assertEquals(y, c.get(p.name())[1], 0.01, p.name());
      assertEquals(y, c.get(p.name())[3], 0.01, p.name());
    }
    assertTrue(svg.contains(">online latency (ms, log scale)</text>"), svg);
    assertTrue(svg.contains(">online bytes (both ways, log scale)</text>"), svg);
    assertEquals(2, svg.split(">test accuracy \\(%\\)</text>", -1).length - 1, svg);
    assertTrue(svg.contains(">1e8</text>") && svg.contains(">1000</text>"), svg);
    assertTrue(svg.contains("net lan"), svg);
    for (Arm a : Arm.values()) {
      assertTrue(svg.contains(">" + a.label() + "</text>"), a.label()); // the legend
    }
  }

  @Test
  void theJsonReadsBackToTheSamePoints() {
    TradeoffChart chart = new TradeoffChart("lan", POINTS);
    TradeoffChart back = TradeoffChart.parse(chart.json());
    assertEquals("lan", back.net());
    assertEquals(POINTS, back.points());
    assertTrue(chart.markdown().contains("| net | R-PKN | 91.00 % | 20.0000 | 200000 | 7 |"));
  }

  @Test
  void namesGiveTheArchitectureAndArm() {
    TradeoffCommand.Placed p = TradeoffCommand.Placed.parse("zoo/resnet8-rpkn-fashion.onnx");
    assertEquals("resnet8", p.architecture());
    assertEquals(Arm.R_PKN, p.arm());
    assertEquals(Arm.PKN, TradeoffCommand.Placed.parse("lenet5-pkn-mnist").arm());
    assertEquals(Arm.RELU_GC, TradeoffCommand.Placed.parse("resnet8_relu.onnx").arm());
    TradeoffCommand.Placed explicit = TradeoffCommand.Placed.parse("r10/relu=x.onnx");
    assertEquals("r10", explicit.architecture());
    assertEquals("x.onnx", explicit.model());
  }

  private String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli =
        BenchCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void missingInputsAreRefusedByName() {
    String[] none = run("tradeoff", "--out", dir.toString());
    assertEquals("2", none[0]);
    assertTrue(none[2].contains("give the models to place"), none[2]);
    String[] noAccuracy = run("tradeoff", "--model", "lenet5-pkn-mnist", "--out", dir.toString());
    assertEquals("2", noAccuracy[0]);
    assertTrue(
        noAccuracy[2].contains("no accuracy for model lenet5-pkn-mnist")
            && noAccuracy[2].contains("--accuracy"),
        noAccuracy[2]);
    String[] noArm = run("tradeoff", "--model", "mystery.onnx", "--out", dir.toString());
    assertTrue(noArm[2].contains("ARCH/ARM=MODEL"), noArm[2]);
    String[] noFile = run("tradeoff", "--points", dir.resolve("x.json").toString());
    assertTrue(noFile[2].contains("does not exist"), noFile[2]);
    assertTrue(Files.notExists(dir.resolve("tradeoff-lan.svg")));
  }

  @Test
  void aShippedModelIsMeasuredAndPlacedAtItsReportedAccuracy() throws Exception {
    Path report = dir.resolve("acc.json");
    Files.writeString(
        report,
        "{\"model\": \"lenet5-pkn\", \"file\": \"lenet5-pkn-mnist\", \"dataset\": \"MNIST\","
            + " \"images\": 10000, \"secure_accuracy\": 0.9938}");
    String[] r =
        run(
            "tradeoff",
            "--model",
            "lenet5-pkn-mnist",
            "--accuracy",
            report.toString(),
            "--net",
            "loopback",
            "--repeat",
            "1",
            "--warmup",
            "0",
            "--out",
            dir.toString());
    assertEquals("0", r[0], r[2]);
    TradeoffChart chart =
        TradeoffChart.parse(Files.readString(dir.resolve("tradeoff-loopback.json")));
    TradeoffPoint p = chart.points().get(0);
    assertEquals("lenet5", p.architecture());
    assertEquals(Arm.PKN, p.arm());
    assertEquals(0.9938, p.accuracy(), 1e-12);
    assertTrue(p.accuracySource().contains("acc.json: secure, 10000 MNIST"), p.accuracySource());
    assertTrue(p.onlineBytes() > 0 && p.onlineRounds() > 0, chart.json());
    // redraw from the points: the same SVG
    String[] again =
        run(
            "tradeoff",
            "--points",
            dir.resolve("tradeoff-loopback.json").toString(),
            "--out",
            dir.resolve("again").toString());
    assertEquals("0", again[0], again[2]);
    assertEquals(
        Files.readString(dir.resolve("tradeoff-loopback.svg")),
        Files.readString(dir.resolve("again/tradeoff-loopback.svg")));
  }
}
