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
import org.polyshare.bench.compare.BenchCliRun;
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
    Matcher m = Pattern.compile("\"" + key + "\": ([-+0-9.eE]+)").matcher(json);
    assertTrue(m.find(), key + " missing in " + json);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void shippedModelOnRealMnistGivesTheSamePredictionsSecurely() throws Exception {
    Path mnist = mnistDir();
    String j = runShipped(mnist, "--limit", "200", "--batch", "100", "--mode", "in_process");
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
    BenchCliRun.assumePackagedJars();
    // two chunks: the dealer serves two sessions, each with its own pair of party JVMs
    String j = runShipped(mnist, "--limit", "20", "--chunk", "10", "--timeout", "120");
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
    Path md = dir.resolve("f.md");
    String j =
        run(
            "--model",
            onnx.toString(),
            "--data",
            fashion.toString(),
            "--batch",
            "2",
            "--mode",
            "in_process",
            "--md",
            md.toString());
    assertTrue(j.contains("\"dataset\": \"Fashion-MNIST\""), j);
    assertTrue(j.contains("\"differing\": ["), j);
    assertEquals(0, (int) field(j, "differing_beyond_error_bound"), j);
    assertTrue(Files.readString(md).contains("2 Fashion-MNIST test images"));
  }

  @Test
  void reportsSecureAgainstPlaintextOnMnistShapedImages() throws Exception {
    int n = 12;
    randomImages(dir, n);
    Model m = Zoo.load("lenet5-pkn");
    Path onnx = dir.resolve("m.onnx");
    OnnxExporter.write(m, onnx);
    String j =
        run(
            "--model",
            onnx.toString(),
            "--data",
            dir.toString(),
            "--batch",
            "5",
            "--mode",
            "in_process");
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

  /** {@code n} random MNIST-shaped images with labels 0..9 in {@code dir}. */
  private static void randomImages(Path dir, int n) throws Exception {
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
  }

  /** Runs {@code bench accuracy args --json FILE}, expects exit code 0; the JSON report. */
  private String run(String... args) throws Exception {
    Path json = dir.resolve("run-" + System.nanoTime() + ".json");
    String[] all = concat(args, new String[] {"--json", json.toString()});
    assertEquals(0, new CommandLine(new AccuracyCommand()).execute(all));
    return Files.readString(json);
  }

  /**
   * Processes mode with {@code --batch 4} over 6 images: the party reports hold 2 secure inferences
   * of 4 (the second padded), the report says so, and each image's secure prediction is checked
   * against plaintext. {@code --relu} reaches the parties: FSS's online traffic is a fraction of
   * the garbled circuits' (64 labels of 16 bytes per ReLU input).
   */
  @Test
  void processesModeBatchesImagesAndRunsTheChosenReluArm() throws Exception {
    BenchCliRun.assumePackagedJars();
    String[] common = reluModelOn(6, "--batch", "4", "--chunk", "6", "--timeout", "120", "--relu");
    String fss = run(append(common, "fss"));
    String gc = run(append(common, "gc"));
    for (String j : new String[] {fss, gc}) {
      assertEquals(6, (int) field(j, "images"), j);
      assertEquals(4, (int) field(j, "batch"), j);
      assertEquals(2, (int) field(j, "secure_inferences"), j);
      assertEquals(0, (int) field(j, "differing_beyond_error_bound"), j);
      assertTrue(field(j, "max_logit_error") < 0.05, j);
    }
    assertTrue(fss.contains("\"relu\": \"fss\""), fss);
    assertTrue(gc.contains("\"relu\": \"gc\""), gc);
    assertTrue(
        2 * field(fss, "online_bytes_per_image") < field(gc, "online_bytes_per_image"), fss + gc);
  }

  /** In process, {@code --relu} picks the arm too: the same predictions, other online bytes. */
  @Test
  void inProcessModeRunsTheChosenReluArm() throws Exception {
    String[] common = reluModelOn(3, "--batch", "2", "--mode", "in_process", "--relu");
    String fss = run(append(common, "FSS"));
    String gc = run(append(common, "gc"));
    assertEquals(2, (int) field(fss, "secure_inferences"), fss);
    assertEquals(0, (int) field(fss, "differing_beyond_error_bound"), fss);
    assertEquals(0, (int) field(gc, "differing_beyond_error_bound"), gc);
    assertTrue(
        2 * field(fss, "online_bytes_per_image") < field(gc, "online_bytes_per_image"), fss + gc);
  }

  /**
   * The shipped lenet5-pkn-mnist on the real MNIST test set in {@code mnist}, then {@code rest}.
   */
  private String runShipped(Path mnist, String... rest) throws Exception {
    String[] head = {"--model", "lenet5-pkn-mnist", "--data", mnist.toString()};
    return run(concat(head, rest));
  }

  /** lenet5-relu as ONNX and {@code n} random images in dir: its --model, --data, then rest. */
  private String[] reluModelOn(int n, String... rest) throws Exception {
    randomImages(dir, n);
    Path onnx = dir.resolve("relu.onnx");
    OnnxExporter.write(Zoo.load("lenet5-relu"), onnx);
    return concat(new String[] {"--model", onnx.toString(), "--data", dir.toString()}, rest);
  }

  private static String[] append(String[] a, String last) {
    return concat(a, new String[] {last});
  }

  private static String[] concat(String[] a, String[] b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
