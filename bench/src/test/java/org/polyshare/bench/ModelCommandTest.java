package org.polyshare.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.model.ModelBenchmark;
import org.polyshare.core.kernel.RingThreads;
import org.polyshare.core.protocol.TruncationMode;

/** {@code bench model} end to end on tiny-pkn: the deterministic traffic and the int64 check. */
class ModelCommandTest {
  @Test
  void tinyPknReportsItsTrafficAndAgreesWithTheInt64Forward(@TempDir Path dir) throws Exception {
    ModelBenchmark.Run run =
        ModelBenchmark.run(
            new ModelBenchmark.Settings(
                "tiny-pkn", 1, new Repetitions(1, 2), TruncationMode.DEALER));
    assertEquals(2, run.reps().size(), "warm-ups are dropped");
    List<ModelCommand.LayerRow> layers = ModelCommand.layers(run.reps());
    assertEquals(
        List.of("c1", "pool", "flatten", "fc"),
        layers.stream().map(ModelCommand.LayerRow::name).toList());
    // the bytes and rounds TrafficFingerprintTest pins for tiny-pkn with the fused PolyKerv and its
    // carry into fc, party 1's halves of both openings offline (the default; 6400 B in 4 rounds
    // with both halves online, the square-and-multiply lowering 14592 B in 6 rounds)
    var r = ModelCommand.report(run, layers).values();
    assertEquals(4272L, r.get("online_bytes"));
    assertEquals(2L, r.get("online_rounds"));
    assertEquals(2128L, r.get("offline_bytes"), "party 1's early halves: 256 + 10 words");
    assertEquals(true, r.get("top1_agrees"));
    assertTrue((Double) r.get("max_abs_error_vs_int64") <= 4 * Math.scalb(1.0, -16), r.toString());
    assertPlaintextFields(r, run);

    Path json = dir.resolve("m.json");
    assertEquals(
        0,
        BenchCli.commandLine()
            .execute(
                "model",
                "--model",
                "tiny-pkn",
                "--reps",
                "1",
                "--warmup",
                "0",
                "--json",
                json.toString()));
    String text = Files.readString(json);
    assertTrue(text.contains("\"layer.fc.online_bytes\": 592"), text);
    JsonObject o = JsonParser.parseString(text).getAsJsonObject();
    for (String key :
        new String[] {
          "plaintext_int64_ms",
          "plaintext_int64_1thread_ms",
          "online_over_plaintext",
          "online_over_plaintext_1thread"
        }) {
      assertTrue(o.has(key) && o.get(key).getAsDouble() > 0, key + " in " + text);
    }
    assertEquals(RingThreads.shared().threads(), o.get("threads").getAsInt());
    assertTrue(
        BenchCli.commandLine().execute("model", "--model", "tiny-pkn", "--truncation", "rounded")
            != 0);
  }

  /**
   * Both plaintext figures are there and positive, each ratio is the online median over its
   * plaintext median, and the one-thread forward is a measurement of its own unless the pool has
   * one thread.
   */
  private static void assertPlaintextFields(Map<String, Object> r, ModelBenchmark.Run run) {
    double online = (Double) r.get("online_ms");
    double pool = (Double) r.get("plaintext_int64_ms");
    double alone = (Double) r.get("plaintext_int64_1thread_ms");
    assertTrue(online > 0 && pool > 0 && alone > 0, r.toString());
    assertEquals(online / pool, (Double) r.get("online_over_plaintext"), 1e-12 * online / pool);
    assertEquals(
        online / alone, (Double) r.get("online_over_plaintext_1thread"), 1e-12 * online / alone);
    assertEquals((long) run.threads(), r.get("threads"));
    for (ModelBenchmark.Rep rep : run.reps()) {
      assertEquals(run.threads() == 1, rep.plaintext() == rep.plaintext1Thread(), "one timing");
    }
  }

  @Test
  void aPolynomialModelWarmsUpMoreThanOneWithGarbledReLUs() {
    assertEquals(5, ModelBenchmark.defaultWarmup("tiny-pkn", 1));
    assertEquals(1, ModelBenchmark.defaultWarmup("tiny-relu", 1));
    String help =
        BenchCli.commandLine()
            .getSubcommands()
            .get("model")
            .getUsageMessage()
            .replaceAll("\\s+", " "); // unwrapped
    assertTrue(help.contains("warm-up repetitions (default 5, or 1 for a model with ReLUs"), help);
  }

  @Test
  void streamedOfflineMovesNoBytesBetweenThePhases() {
    Object[][] seen = new Object[2][];
    for (boolean streamed : new boolean[] {false, true}) {
      ModelBenchmark.Run run =
          ModelBenchmark.run(
              new ModelBenchmark.Settings(
                  "tiny-relu", 1, new Repetitions(0, 1), TruncationMode.DEALER, streamed));
      var r = ModelCommand.report(run, ModelCommand.layers(run.reps())).values();
      assertPlaintextFields(r, run);
      assertEquals(streamed ? "streamed" : "batch", r.get("offline"));
      assertEquals(true, r.get("top1_agrees"));
      seen[streamed ? 1 : 0] = new Object[] {r.get("offline_bytes"), r.get("online_bytes")};
    }
    // rounds are not compared: a streamed layer's offline messages fall between online ones and
    // split what counts as one round of online sends (tiny-relu: 3 batch, 4 streamed)
    assertArrayEquals(seen[0], seen[1], "offline bytes, online bytes");
  }
}
