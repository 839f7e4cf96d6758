package org.polyshare.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.models.cli.ModelsCli;

/** {@code models data fashion-mnist}: the Debian package's gzipped IDX files into a directory. */
class FashionMnistTest {
  @TempDir Path dir;

  @Test
  void dataCommandGunzipsThePackageLayoutIntoOut() throws IOException {
    Path pkg = Files.createDirectory(dir.resolve("pkg"));
    IdxTest.writeMnist(pkg, "train", 5, true);
    IdxTest.writeMnist(pkg, "t10k", 3, true);
    Path out = dir.resolve("out");
    assertEquals(
        0, run("data", "fashion-mnist", "--from", pkg.toString(), "--out", out.toString()));
    for (String f :
        new String[] {
          "train-images-idx3-ubyte",
          "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte"
        }) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f + " written");
      assertTrue(Files.notExists(out.resolve(f + ".gz")), "gunzipped: " + f);
    }
    Mnist.Split test = FashionMnist.test(out);
    assertEquals(3, test.n());
    assertEquals(2, test.labels()[2]);
    // pixel 1 of the ramp is 37: normalised with Fashion-MNIST's statistics, not MNIST's
    assertEquals((37 / 255.0 - 0.2860) / 0.3530, test.images()[1], 1e-12);
    assertEquals(5, FashionMnist.train(out).n());
  }

  @Test
  void aDirectoryWithoutTheFilesIsOneClearLine() {
    Path empty = dir.resolve("empty");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = run("data", "fashion-mnist", "--from", empty.toString(), "--out", dir.toString());
    } finally {
      System.setErr(old);
    }
    String m = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, m);
    assertTrue(m.contains("no Fashion-MNIST IDX files in " + empty), m);
    assertTrue(m.lines().count() == 1, "one line, no stack trace: " + m);
  }

  @Test
  void missingFilesNameTheFashionCommand() {
    String m =
        org.junit.jupiter.api.Assertions.assertThrows(
                IOException.class, () -> FashionMnist.test(dir))
            .getMessage();
    assertTrue(m.contains("Fashion-MNIST t10k files not found"), m);
    assertTrue(m.contains("bin/models data fashion-mnist --out " + dir), m);
  }

  @Test
  void realPackageGivesSixtyThousandAndTenThousandBalancedImages() throws IOException {
    Assumptions.assumeTrue(
        FashionMnist.present(FashionMnist.PACKAGE_DIR),
        FashionMnist.DEBIAN_PACKAGE + " not installed: skipping (apt-get install it)");
    Path out = dir.resolve("fashion");
    assertEquals(0, run("data", "fashion-mnist", "--out", out.toString()));
    assertEquals(60_000, FashionMnist.train(out).n());
    Mnist.Split test = FashionMnist.test(out);
    assertEquals(10_000, test.n());
    int[] perClass = new int[IdxImages.CLASSES];
    for (int y : test.labels()) {
      perClass[y]++;
    }
    for (int c = 0; c < perClass.length; c++) {
      assertEquals(1000, perClass[c], "test images of class " + FashionMnist.CLASS_NAMES.get(c));
    }
  }

  private static int run(String... args) {
    return ModelsCli.commandLine().execute(args);
  }
}
