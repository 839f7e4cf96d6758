package org.polyshare.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.model.ModelBenchmark;
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
    // carry into fc (the default; the square-and-multiply lowering took 14592 bytes in 6 rounds)
    var r = ModelCommand.report(run, layers).values();
    assertEquals(6400L, r.get("online_bytes"));
    assertEquals(4L, r.get("online_rounds"));
    assertEquals(true, r.get("top1_agrees"));
    assertTrue((Double) r.get("max_abs_error_vs_int64") <= 4 * Math.scalb(1.0, -16), r.toString());

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
    assertTrue(
        Files.readString(json).contains("\"layer.fc.online_bytes\": 672"), Files.readString(json));
    assertTrue(
        BenchCli.commandLine().execute("model", "--model", "tiny-pkn", "--truncation", "rounded")
            != 0);
  }
}
