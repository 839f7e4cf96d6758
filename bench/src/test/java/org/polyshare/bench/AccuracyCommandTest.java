package org.polyshare.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.bench.compare.SeparateJvmRunner;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxExporter;
import org.polyshare.models.train.TrainedModels;
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
  void shippedModelOnRealMnistGivesTheSamePredictionsSecurely() throws Exception {
    Path mnist = mnistDir();
    Path json = dir.resolve("mnist.json");
    int code =
        new CommandLine(new AccuracyCommand())
            .execute(
                "--model",
                "lenet5-pkn-mnist",
                "--data",
                mnist.toString(),
                "--limit",
                "200",
                "--batch",
                "100",
                "--mode",
                "in_process",
                "--json",
                json.toString());
    assertEquals(0, code);
    String j = Files.readString(json);
    // 10,000 images gave no differing prediction with a max logit error of 0.007; a flip among
    // these 200 would need a top-2 logit gap below that.
    assertEquals(0, (int) field(j, "differing_predictions"), j);
    assertEquals(field(j, "plaintext_accuracy"), field(j, "secure_accuracy"), 1e-12);
    assertTrue(field(j, "plaintext_accuracy") > 0.97, j);
  }

  /** The real MNIST directory; the test is skipped, saying why, without it. */
  private static Path mnistDir() {
    String env = System.getenv("POLYSHARE_MNIST_DIR");
    Path mnist = env != null ? Path.of(env) : Path.of("..", "data", "mnist");
    Assumptions.assumeTrue(
        Mnist.present(mnist),
        "MNIST IDX files not found in "
            + mnist.toAbsolutePath()
            + ": skipping (fetch with `bin/models data mnist --out data/mnist`"
            + " or set POLYSHARE_MNIST_DIR)");
    return mnist;
  }

  /** The default mode: dealer + party 0 + party 1 JVMs over TLS on loopback, 20 real images. */
  @Test
  void defaultModeRunsDealerAndPartiesAsSeparateJvms() throws Exception {
    Path mnist = mnistDir();
    Path root = SeparateJvmRunner.projectRoot();
    Assumptions.assumeTrue(
        Files.isRegularFile(root.resolve("party/target/polyshare-party.jar"))
            && Files.isRegularFile(root.resolve("dealer/target/polyshare-dealer.jar")),
        "needs the packaged dealer and party jars (mvn package / verify): skipping");
    Path json = dir.resolve("processes.json");
    // two chunks: the dealer serves two sessions, each with its own pair of party JVMs
    int code =
        new CommandLine(new AccuracyCommand())
            .execute(
                "--model",
                "lenet5-pkn-mnist",
                "--data",
                mnist.toString(),
                "--limit",
                "20",
                "--chunk",
                "10",
                "--timeout",
                "120",
                "--json",
                json.toString());
    assertEquals(0, code);
    String j = Files.readString(json);
    assertTrue(j.contains("\"mode\": \"processes\""), j);
    assertEquals(20, (int) field(j, "images"), j);
    // The party processes run the same protocol at the same f: logit errors of the order of
    // 0.005 (all 10,000 images); a prediction may flip only where the plaintext top-2 gap is
    // within twice the error, which these fixed images decide.
    double err = field(j, "max_logit_error");
    assertTrue(err < 0.05, j);
    Model shipped = TrainedModels.load("lenet5-pkn-mnist");
    Mnist.Split test = Mnist.test(mnist).head(20);
    int nearTies = 0;
    for (int i = 0; i < test.n(); i++) {
      double[] v = PlainEvaluator.forward(shipped, test.image(i)).clone();
      java.util.Arrays.sort(v);
      nearTies += v[v.length - 1] - v[v.length - 2] <= 2 * err ? 1 : 0;
    }
    assertTrue(field(j, "differing_predictions") <= nearTies, j);
    assertTrue(field(j, "offline_ms_per_image") > 0 && field(j, "online_ms_per_image") > 0, j);
  }

  @Test
  void anUnknownTruncationIsRefusedByName() {
    // every mode runs in both modes now (the party CLI takes --truncation); a wrong name is refused
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        new CommandLine(new AccuracyCommand())
            .setErr(new java.io.PrintWriter(err))
            .execute(
                "--model", "lenet5-pkn-mnist", "--data", dir.toString(), "--truncation", "ROUNDED");
    assertTrue(code != 0);
    assertTrue(err.toString().contains("ROUNDED"), err.toString());
  }

  /** Fashion-MNIST has MNIST's IDX layout; the directory's name selects its normalisation. */
  @Test
  void aFashionMnistDirectoryIsReadWithItsOwnNormalisationAndNamed() throws Exception {
    Path fashion = dir.resolve("fashion-mnist");
    Files.createDirectories(fashion);
    byte[] px = new byte[2 * 784];
    px[0] = (byte) 255; // image 0: one white pixel, the rest black
    Files.write(fashion.resolve("t10k-images-idx3-ubyte"), idx(new int[] {2, 28, 28}, px));
    Files.write(fashion.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {2}, new byte[] {3, 4}));
    org.polyshare.models.data.Mnist.Split s =
        org.polyshare.bench.accuracy.IdxDataset.guess(fashion).test(fashion);
    assertEquals((1 - 0.2860) / 0.3530, s.image(0)[0], 1e-12);
    assertEquals(-0.2860 / 0.3530, s.image(0)[1], 1e-12);
    Path onnx = dir.resolve("m.onnx");
    OnnxExporter.write(Zoo.load("lenet5-pkn"), onnx);
    Path json = dir.resolve("f.json");
    Path md = dir.resolve("f.md");
    int code =
        new CommandLine(new AccuracyCommand())
            .execute(
                "--model",
                onnx.toString(),
                "--data",
                fashion.toString(),
                "--batch",
                "2",
                "--mode",
                "in_process",
                "--json",
                json.toString(),
                "--md",
                md.toString());
    assertEquals(0, code);
    String j = Files.readString(json);
    assertTrue(j.contains("\"dataset\": \"Fashion-MNIST\""), j);
    assertTrue(j.contains("\"differing\": ["), j);
    assertEquals(0, (int) field(j, "differing_beyond_error_bound"), j);
    assertTrue(Files.readString(md).contains("2 Fashion-MNIST test images"));
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
    int code =
        new CommandLine(new AccuracyCommand())
            .execute(
                "--model",
                onnx.toString(),
                "--data",
                dir.toString(),
                "--batch",
                "5",
                "--mode",
                "in_process",
                "--json",
                json.toString());
    assertEquals(0, code);
    String j = Files.readString(json);
    assertEquals(n, (int) field(j, "images"));
    double differ = field(j, "differing_predictions");
    // Accuracies can differ by at most the share of images whose prediction changed.
    assertTrue(
        Math.abs(field(j, "secure_accuracy") - field(j, "plaintext_accuracy")) <= differ / n + 1e-9,
        j);
    double err = field(j, "max_logit_error");
    // Fixed point at f = 16 through four squarings: a small relative error, but not zero.
    assertTrue(err > 0 && err < 1e-3 * field(j, "max_abs_logit"), j);
  }
}
