package org.polyshare.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.polyshare.bench.compare.BenchCliRun.compare;
import static org.polyshare.bench.compare.BenchCliRun.run;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.models.onnx.OnnxExporter;
import org.polyshare.models.zoo.Zoo;

/**
 * {@code bench compare --pkn FILE --relu FILE} and {@code bench model --model FILE}: a user's pair.
 */
class CompareOwnModelsTest {
  @Test
  void aUsersOnnxPairIsComparedAndChecked(@TempDir Path dir) throws Exception {
    Path pkn = dir.resolve("my-pkn.onnx");
    Path relu = dir.resolve("my-relu.onnx");
    OnnxExporter.write(Zoo.load("tiny-pkn"), pkn);
    OnnxExporter.write(Zoo.load("tiny-relu"), relu);
    BenchCliRun r =
        compare(dir, "--pkn", pkn.toString(), "--relu", relu.toString(), "--in-process");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("my-relu.onnx rep 1 vs plaintext: PASS"), r.out());
    assertTrue(r.out().contains("my-pkn.onnx rep 1 vs plaintext: PASS"), r.out());
    assertTrue(dir.resolve("compare-my-pkn-loopback.json").toFile().exists());
  }

  @Test
  void benchModelTakesAnOnnxFile(@TempDir Path dir) throws Exception {
    Path pkn = dir.resolve("my-pkn.onnx");
    OnnxExporter.write(Zoo.load("tiny-pkn"), pkn);
    BenchCliRun r = run("model", "--model", pkn.toString(), "--reps", "1", "--warmup", "0");
    assertEquals(0, r.exit(), r.err());
  }

  @Test
  void halfAPairOrBothFormsAreRefused(@TempDir Path dir) {
    BenchCliRun half = run("compare", "--pkn", dir.resolve("a.onnx").toString(), "--in-process");
    assertNotEquals(0, half.exit());
    assertTrue(half.err().contains("both --pkn FILE.onnx and --relu FILE.onnx"), half.err());
    BenchCliRun none = run("compare", "--in-process");
    assertNotEquals(0, none.exit());
    assertTrue(none.err().contains("--model"), none.err());
  }
}
