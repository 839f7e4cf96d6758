package org.polyshare.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxExporter;
import org.polyshare.models.zoo.Zoo;
import picocli.CommandLine;

class AccuracyCommandTest {
  @TempDir Path dir;

  private static byte[] idx(int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.put(data).array();
  }

  private static double field(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.eE]+)").matcher(json);
    assertTrue(m.find(), key + " missing in " + json);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void reportsSecureAgainstPlaintextOnMnistShapedImages() throws Exception {
    int n = 12;
    SplittableRandom rng = new SplittableRandom(5);
    byte[] px = new byte[n * 784];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) rng.nextInt(256);
    }
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 10);
    }
    Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(new int[] {n, 28, 28}, px));
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {n}, labels));
    Model m = Zoo.load("lenet5-pkn");
    Path onnx = dir.resolve("m.onnx");
    OnnxExporter.write(m, onnx);
    Path json = dir.resolve("acc.json");
    int code = new CommandLine(new AccuracyCommand()).execute("--model", onnx.toString(),
        "--data", dir.toString(), "--batch", "5", "--json", json.toString());
    assertEquals(0, code);
    String j = Files.readString(json);
    assertEquals(n, (int) field(j, "images"));
    double differ = field(j, "differing_predictions");
    // Accuracies can differ by at most the share of images whose prediction changed.
    assertTrue(Math.abs(field(j, "secure_accuracy") - field(j, "plaintext_accuracy"))
        <= differ / n + 1e-9, j);
    double err = field(j, "max_logit_error");
    // Fixed point at f = 16 through four squarings: a small relative error, but not zero.
    assertTrue(err > 0 && err < 1e-3 * field(j, "max_abs_logit"), j);
  }
}
