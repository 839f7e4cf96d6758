package org.polyshare.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.polyshare.bench.compare.BenchCliRun.compare;
import static org.polyshare.bench.compare.BenchCliRun.json;
import static org.polyshare.bench.compare.BenchCliRun.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;
import org.w3c.dom.Document;

/** {@code bench compare} end to end on small models, in-process (lenet5/tiny, one repetition). */
class CompareCommandTest {

  private static JsonObject variant(JsonObject report, int i) {
    return report.getAsJsonArray("variants").get(i).getAsJsonObject();
  }

  @Test
  void lenet5InProcessComparesBothVariantsChecksThemAndWritesParseableReports(@TempDir Path dir)
      throws Exception {
    BenchCliRun r =
        compare(
            dir,
            "--model",
            "lenet5",
            "--in-process",
            "--relu-arms",
            "gc",
            "--json",
            dir.resolve("extra.json").toString());
    assertEquals(0, r.exit(), r.err());
    // The Markdown table: both variants, ratios, the checks.
    assertTrue(r.out().contains("| | lenet5-relu (GC ReLU) | lenet5-pkn | ReLU / PKN |"), r.out());
    assertTrue(
        r.out().contains("| online (ms) |")
            && r.out().contains("| total = offline + online (ms) |"));
    assertTrue(r.out().contains("lenet5-relu rep 1 vs plaintext: PASS"), r.out());
    assertTrue(r.out().contains("lenet5-pkn rep 1 vs plaintext: PASS"), r.out());

    JsonObject report = json(dir, "compare-lenet5-loopback");
    assertEquals(report, JsonParser.parseString(Files.readString(dir.resolve("extra.json"))));
    assertTrue(
        report.get("mode").getAsString().contains("offline ahead of online"), report.toString());
    assertTrue(report.get("passed").getAsBoolean());
    // --warmup 0 (BenchCliRun.compare) for every arm, in the title, the table and the JSON
    assertTrue(r.out().contains("median of 1 after 0 warm-up (--warmup, every arm)"), r.out());
    assertTrue(r.out().contains("| warm-up inferences (unmeasured) | 0 | 0 | |"), r.out());
    assertEquals("--warmup", report.get("warmup_source").getAsString());
    assertEquals(
        JsonParser.parseString("{\"gc\": 0, \"pkn\": 0}"), report.getAsJsonObject("warmups"));
    assertEquals(2, report.getAsJsonArray("variants").size());
    for (int i = 0; i < 2; i++) {
      JsonObject v = variant(report, i);
      assertEquals(i == 0 ? "lenet5-relu" : "lenet5-pkn", v.get("model").getAsString());
      assertEquals(0, v.get("warmup").getAsInt());
      assertTrue(v.get("passed").getAsBoolean());
      JsonObject med = v.getAsJsonObject("median");
      double online = med.get("online_ms").getAsDouble();
      assertTrue(online > 0 && med.get("offline_ms").getAsDouble() > 0);
      assertEquals(
          med.get("offline_ms").getAsDouble() + online,
          med.get("total_ms").getAsDouble(),
          1e-3 * online + 1e-3);
      assertTrue(med.get("online_activation_ms").getAsDouble() > 0);
      assertTrue(
          med.get("online_linear_ms").getAsDouble() + med.get("online_activation_ms").getAsDouble()
              <= online * 1.0001);
      assertTrue(
          med.get("online_bytes_01").getAsLong() > 0 && med.get("online_bytes_10").getAsLong() > 0);
      assertTrue(med.get("online_rounds").getAsLong() > 0);
      JsonArray layers = v.getAsJsonArray("layers");
      assertTrue(layers.size() >= 5, "per-layer rows");
    }
    // The ReLU variant ships garbled tables offline; the PKN variant nothing party-to-party.
    assertTrue(
        variant(report, 0).getAsJsonObject("median").get("offline_bytes_01").getAsLong()
            > variant(report, 1).getAsJsonObject("median").get("offline_bytes_01").getAsLong());
    assertTrue(report.getAsJsonObject("ratios_relu_over_pkn").get("online_ms").getAsDouble() > 0);

    // CSV: a header, one row per repetition and a median row per variant, all the same width.
    List<String> csv = Files.readAllLines(dir.resolve("compare-lenet5-loopback.csv"));
    assertEquals(1 + 2 * 2, csv.size(), String.join("\n", csv));
    int cols = csv.get(0).split(",").length;
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",");
      assertEquals(cols, f.length, line);
      Double.parseDouble(f[4]);
    }
    List<String> layersCsv = Files.readAllLines(dir.resolve("compare-lenet5-loopback-layers.csv"));
    assertTrue(layersCsv.size() > 10);

    // SVG: well-formed XML with one bar segment per part, variant and panel.
    Document svg =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(dir.resolve("compare-lenet5-loopback.svg").toFile());
    assertEquals("svg", svg.getDocumentElement().getNodeName());
    assertTrue(svg.getElementsByTagName("rect").getLength() >= 1 + 2 * (5 + 3));
    assertTrue(Files.readString(dir.resolve("compare-lenet5-loopback.md")).contains("per layer"));
  }

  /**
   * The default in-process comparison is three-way: the GC arm's deterministic numbers (bytes,
   * rounds) are those of the two-way run, the FSS arm passes the same check with far fewer online
   * bytes and without garbled tables, and every rendering carries three variants.
   */
  @Test
  void threeWayAddsTheFssArmAndLeavesTheGcArmsNumbersAlone(@TempDir Path dir) throws Exception {
    Path two = dir.resolve("two");
    Path three = dir.resolve("three");
    assertEquals(0, compare(two, "--model", "tiny", "--in-process", "--relu-arms", "gc").exit());
    BenchCliRun r = compare(three, "--model", "tiny", "--in-process");
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.out()
            .contains(
                "| | tiny-relu (GC ReLU) | tiny-relu+fss (FSS ReLU) | tiny-pkn | GC / PKN | FSS / PKN |"),
        r.out());
    assertTrue(r.out().contains("| dealer bytes per ReLU (both parties) |"), r.out());
    assertTrue(r.out().contains("tiny-relu+fss rep 1 vs plaintext: PASS"), r.out());
    JsonObject report = json(three, "compare-tiny-loopback");
    JsonObject gcOnly = json(two, "compare-tiny-loopback");
    assertEquals(3, report.getAsJsonArray("variants").size());
    assertEquals("gc", variant(report, 0).get("relu_arm").getAsString());
    assertEquals("fss", variant(report, 1).get("relu_arm").getAsString());
    assertEquals("tiny-pkn", variant(report, 2).get("model").getAsString());
    for (String key :
        new String[] {
          "online_bytes_01",
          "online_bytes_10",
          "offline_bytes_01",
          "offline_bytes_10",
          "dealer_bytes_0",
          "dealer_bytes_1",
          "online_rounds",
          "setup_bytes"
        }) {
      assertEquals(
          variant(gcOnly, 0).getAsJsonObject("median").get(key).getAsLong(),
          variant(report, 0).getAsJsonObject("median").get(key).getAsLong(),
          "GC arm " + key);
      assertEquals(
          variant(gcOnly, 1).getAsJsonObject("median").get(key).getAsLong(),
          variant(report, 2).getAsJsonObject("median").get(key).getAsLong(),
          "PKN " + key);
    }
    JsonObject gc = variant(report, 0).getAsJsonObject("median");
    JsonObject fss = variant(report, 1).getAsJsonObject("median");
    assertTrue(
        fss.get("online_activation_bytes").getAsLong()
            < gc.get("online_activation_bytes").getAsLong());
    assertTrue(
        fss.get("offline_bytes_01").getAsLong() < gc.get("offline_bytes_01").getAsLong(),
        "no garbled tables between the parties");
    assertTrue(
        fss.get("dealer_bytes_0").getAsLong() > gc.get("dealer_bytes_0").getAsLong(),
        "the keys come from the dealer");
    assertTrue(
        report.getAsJsonObject("ratios_relu_fss_over_pkn").get("online_ms").getAsDouble() > 0);
    JsonObject perRelu = report.getAsJsonObject("dealer_bytes_per_relu");
    assertTrue(perRelu.get("fss").getAsDouble() > perRelu.get("gc").getAsDouble());
    assertEquals(1 + 3 * 2, Files.readAllLines(three.resolve("compare-tiny-loopback.csv")).size());
    Document svg =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(three.resolve("compare-tiny-loopback.svg").toFile());
    assertTrue(svg.getElementsByTagName("rect").getLength() >= 1 + 3 * (5 + 3));
  }

  @Test
  void aCorruptedSecureResultFailsTheCheck(@TempDir Path dir) throws Exception {
    BenchCliRun r =
        compare(
            dir,
            "--model",
            "tiny",
            "--in-process",
            "--relu-arms",
            "gc",
            "--corrupt-result",
            "tiny-pkn");
    assertEquals(1, r.exit(), r.out());
    assertTrue(r.err().contains("does not match the plaintext reference"), r.err());
    assertTrue(r.out().contains("tiny-pkn rep 1 vs plaintext: FAIL"), r.out());
    JsonObject report = json(dir, "compare-tiny-loopback");
    assertFalse(report.get("passed").getAsBoolean());
    assertTrue(
        variant(report, 0).get("passed").getAsBoolean(), "the untouched variant still passes");
    assertFalse(variant(report, 1).get("passed").getAsBoolean());
  }

  @Test
  void referenceCheckAcceptsThePlaintextAndRejectsPerturbations() {
    Model m = Zoo.load("tiny-relu");
    double[][] xs = Zoo.sampleInputs(m, 3, 7);
    double[][] exact = PlainEvaluator.forward(m, xs);
    assertTrue(ReferenceCheck.check(m, xs, exact).passed());
    double[][] off = new double[xs.length][];
    for (int i = 0; i < xs.length; i++) {
      off[i] = exact[i].clone();
    }
    off[2][3] += 0.02 * (1 + Math.abs(off[2][3])) + 0.02;
    assertFalse(ReferenceCheck.check(m, xs, off).passed());
    off[2][3] = Double.NaN;
    assertFalse(ReferenceCheck.check(m, xs, off).passed());
    assertFalse(ReferenceCheck.check(m, xs, new double[2][]).passed(), "missing results fail");
  }

  @Test
  void theActivationShareOfALayerExcludesTheComputingPartysProduct() {
    // A fused conv+ReLU of 100 ms on the client's clock, of which party 0 spent 30 ms of CPU on
    // the owner-held product: 70 ms of activation.
    assertEquals(70, LayerSplit.activationShare(100, true, false, 30), 1e-9);
    assertEquals(100, LayerSplit.activationShare(100, false, true, 0), 1e-9);
    assertEquals(0, LayerSplit.activationShare(100, false, false, 5), 1e-9);
    assertEquals(0, LayerSplit.activationShare(10, true, false, 30), 1e-9);
  }

  @Test
  void theWanProfileShapesPartyAndDealerLinks(@TempDir Path dir) throws Exception {
    BenchCliRun r =
        compare(dir, "--model", "tiny", "--net", "wan", "--in-process", "--offline", "streamed");
    assertEquals(0, r.exit(), r.err());
    JsonObject report = json(dir, "compare-tiny-wan");
    assertTrue(report.get("mode").getAsString().contains("streamed offline"), report.toString());
    double rtt = report.getAsJsonObject("net").get("round_trip_ms").getAsDouble();
    assertEquals(40.0, rtt, 1e-9);
    for (int i = 0; i < 2; i++) {
      JsonObject med = variant(report, i).getAsJsonObject("median");
      long rounds = med.get("online_rounds").getAsLong();
      // A round is a run of sends ended by a receive; exchanges in which both parties send at
      // once cost a one-way trip, so rounds x RTT/2 is the floor the shaping must impose.
      assertTrue(rounds >= 2);
      assertTrue(
          med.get("online_ms").getAsDouble() >= rounds * rtt / 2,
          "online " + med + " below rounds x RTT/2");
      // Offline: the plan goes up to the dealer and its stream comes back: a full round trip.
      assertTrue(med.get("offline_ms").getAsDouble() >= rtt, med.toString());
    }
  }

  @Test
  void separateJvmsDealerAndTwoPartiesOverTls(@TempDir Path dir) throws Exception {
    BenchCliRun.assumePackagedJars();
    BenchCliRun r =
        compare(
            dir,
            "--model",
            "tiny",
            "--net",
            "lan",
            "--jvm-opt=-Xmx256m",
            "--jvm-opt=-XX:TieredStopAtLevel=1");
    assertEquals(0, r.exit(), r.out() + r.err());
    JsonObject report = json(dir, "compare-tiny-lan");
    assertTrue(report.get("mode").getAsString().startsWith("separate JVMs"));
    assertTrue(report.get("passed").getAsBoolean());
    // the default arms in separate JVMs too: GC, FSS (the parties get --relu fss), then PKN
    assertEquals(3, report.getAsJsonArray("variants").size());
    assertEquals("tiny-relu+fss", variant(report, 1).get("model").getAsString());
    for (int i = 0; i < 3; i++) {
      JsonObject med = variant(report, i).getAsJsonObject("median");
      assertTrue(med.get("online_ms").getAsDouble() >= med.get("online_rounds").getAsLong() * 0.25);
      assertTrue(
          med.get("online_bytes_01").getAsLong() > 0 && med.get("dealer_bytes_1").getAsLong() > 0);
    }
  }

  @Test
  void badOptionsFailClearly() {
    BenchCliRun sep = run("compare", "--model", "tiny", "--batch", "2", "--no-progress");
    assertEquals(2, sep.exit());
    assertTrue(
        sep.err().contains("separate-JVM mode runs batch 1") && sep.err().contains("--in-process"),
        sep.err());
    BenchCliRun bad = run("compare", "--model", "alexnet", "--in-process");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("unknown --model"), bad.err());
    assertEquals(2, run("compare", "--model", "tiny", "--net", "moon", "--in-process").exit());
    BenchCliRun later = run("compare", "--model", "tiny", "--offline", "later", "--in-process");
    assertEquals(2, later.exit());
    assertTrue(later.err().contains("expected ahead or streamed"), later.err());
  }
}
