package org.polyshare.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.bench.BenchCli;
import org.polyshare.models.onnx.OnnxExporter;
import org.polyshare.models.zoo.Zoo;
import picocli.CommandLine;

/**
 * {@code bench compare --pkn FILE --relu FILE} and {@code bench model --model FILE}: a user's pair.
 */
class CompareOwnModelsTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = BenchCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void aUsersOnnxPairIsComparedAndChecked(@TempDir Path dir) throws Exception {
    Path pkn = dir.resolve("my-pkn.onnx");
    Path relu = dir.resolve("my-relu.onnx");
    OnnxExporter.write(Zoo.load("tiny-pkn"), pkn);
    OnnxExporter.write(Zoo.load("tiny-relu"), relu);
    Run r =
        run(
            "compare",
            "--pkn",
            pkn.toString(),
            "--relu",
            relu.toString(),
            "--repeat",
            "1",
            "--warmup",
            "0",
            "--in-process",
            "--no-progress",
            "--out",
            dir.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("my-relu.onnx rep 1 vs plaintext: PASS"), r.out());
    assertTrue(r.out().contains("my-pkn.onnx rep 1 vs plaintext: PASS"), r.out());
    assertTrue(dir.resolve("compare-my-pkn-loopback.json").toFile().exists());
  }

  @Test
  void benchModelTakesAnOnnxFile(@TempDir Path dir) throws Exception {
    Path pkn = dir.resolve("my-pkn.onnx");
    OnnxExporter.write(Zoo.load("tiny-pkn"), pkn);
    Run r = run("model", "--model", pkn.toString(), "--reps", "1", "--warmup", "0");
    assertEquals(0, r.exit(), r.err());
  }

  @Test
  void halfAPairOrBothFormsAreRefused(@TempDir Path dir) {
    Run half = run("compare", "--pkn", dir.resolve("a.onnx").toString(), "--in-process");
    assertNotEquals(0, half.exit());
    assertTrue(half.err().contains("both --pkn FILE.onnx and --relu FILE.onnx"), half.err());
    Run none = run("compare", "--in-process");
    assertNotEquals(0, none.exit());
    assertTrue(none.err().contains("--model"), none.err());
  }
}
