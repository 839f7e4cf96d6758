package org.polyshare.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.models.data.IdxFiles;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxImporter;
import org.polyshare.models.zoo.Zoo;
import picocli.CommandLine;

/** The train command end to end on a small MNIST-shaped set of random digits-like images. */
class TrainCommandTest {
  @TempDir Path dir;

  /** Class c lights up a 6-pixel-wide vertical bar at column 2 + 2c, on a dark background. */
  private void write(String prefix, int n, long seed) throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] px = new byte[n * 784];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(10);
      labels[i] = (byte) c;
      for (int r = 4; r < 24; r++) {
        for (int col = 2 + 2 * c; col < 8 + 2 * c; col++) {
          px[i * 784 + r * 28 + col] = (byte) (160 + rng.nextInt(96));
        }
      }
    }
    Files.write(
        dir.resolve(prefix + "-images-idx3-ubyte"), IdxFiles.ubytes(new int[] {n, 28, 28}, px));
    Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), IdxFiles.ubytes(new int[] {n}, labels));
  }

  @BeforeEach
  void data() throws IOException {
    write("train", 256, 1);
    write("t10k", 100, 2);
  }

  @Test
  void trainsAndWritesAnOnnxModelOfTheZooArchitecture() throws IOException {
    Path out = dir.resolve("m.onnx");
    int code =
        new CommandLine(new TrainCommand())
            .execute(
                "lenet5-pkn", "--data", dir.toString(), "--epochs", "2", "--out", out.toString());
    assertEquals(0, code);
    Model m = OnnxImporter.read(out);
    assertEquals(Zoo.architecture("lenet5-pkn").layers().size(), m.layers().size());
  }

  @Test
  void escapingActivationsExitWithCode3AndASnapshot() {
    Path out = dir.resolve("deep.onnx");
    int code =
        new CommandLine(new TrainCommand())
            .execute(
                "mnist-deep-pkn",
                "--data",
                dir.toString(),
                "--no-batchnorm",
                "--epochs",
                "1",
                "--out",
                out.toString());
    assertEquals(3, code);
    assertTrue(Files.exists(dir.resolve("deep-escaped.onnx")));
    assertTrue(!Files.exists(out), "no trained model is written when training stops");
    // inspect on the same kind of images calls the snapshot escaping (exit code 3)
    String snap = dir.resolve("deep-escaped.onnx").toString();
    assertEquals(
        3,
        ModelsCli.commandLine()
            .execute("inspect", snap, "--data", dir.toString(), "--calibrate", "32"));
  }

  @Test
  void inspectWithDataRefusesADirectoryWithoutImages() {
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        ModelsCli.commandLine()
            .setErr(new java.io.PrintWriter(err))
            .execute("inspect", "lenet5-pkn", "--data", dir.resolve("nothing").toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("no MNIST IDX test set"), err.toString());
  }
}
