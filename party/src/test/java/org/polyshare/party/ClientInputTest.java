package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

class ClientInputTest {
  private static final Model GRAY = Zoo.architecture("tiny-pkn"); // 1×8×8
  private static final Model RGB = Model.builder("rgb", 3, 4, 4).conv("c", 2, 1, 1, 0).build();

  private static Path image(
      Path dir, String format, int w, int h, java.util.function.IntBinaryOperator rgb)
      throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb.applyAsInt(x, y));
      }
    }
    Path p = dir.resolve("img." + format);
    assertTrue(ImageIO.write(img, format, p.toFile()));
    return p;
  }

  private static void assertAll(double expected, double[] xs, double tol) {
    for (double v : xs) {
      assertEquals(expected, v, tol);
    }
  }

  @Test
  void pngIsResizedToTheModelAndNormalized(@TempDir Path dir) throws Exception {
    // a uniform 20×12 image of (200, 100, 50): resizing keeps it uniform
    Path png = image(dir, "png", 20, 12, (x, y) -> (200 << 16) | (100 << 8) | 50);
    double[][] gray =
        ClientInput.load(
            png, GRAY, 2, new ClientInput.Options(0, new double[] {0.5}, new double[] {0.25}));
    assertEquals(2, gray.length);
    assertEquals(64, gray[0].length);
    double lum = (0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255.0;
    assertAll((lum - 0.5) / 0.25, gray[1], 1e-9);

    double[][] rgb =
        ClientInput.load(
            png,
            RGB,
            1,
            new ClientInput.Options(0, new double[] {0.1, 0.2, 0.3}, new double[] {1, 2, 4}));
    double[] x = rgb[0];
    assertEquals(48, x.length);
    for (int i = 0; i < 16; i++) {
      assertEquals((200 / 255.0 - 0.1) / 1, x[i], 1e-9);
      assertEquals((100 / 255.0 - 0.2) / 2, x[16 + i], 1e-9);
      assertEquals((50 / 255.0 - 0.3) / 4, x[32 + i], 1e-9);
    }
    // default normalization: [0, 1] scaling
    assertAll(lum, ClientInput.load(png, GRAY, 1, ClientInput.Options.defaults())[0], 1e-9);
  }

  @Test
  void jpegOfTheModelSizeKeepsItsLayout(@TempDir Path dir) throws Exception {
    // left half black, right half white, 8×8: columns survive (JPEG is lossy, hence the tolerance)
    Path jpg = image(dir, "jpg", 8, 8, (x, y) -> x < 4 ? 0 : 0xFFFFFF);
    double[] v = ClientInput.load(jpg, GRAY, 1, ClientInput.Options.defaults())[0];
    for (int y = 0; y < 8; y++) {
      assertEquals(0, v[y * 8], 0.1);
      assertEquals(1, v[y * 8 + 7], 0.1);
    }
  }

  private static byte[] idx(int n, int h, int w) {
    ByteBuffer b = ByteBuffer.allocate(16 + n * h * w);
    b.put(new byte[] {0, 0, 8, 3}).putInt(n).putInt(h).putInt(w);
    for (int i = 0; i < n * h * w; i++) {
      b.put((byte) (i * 7));
    }
    return b.array();
  }

  @Test
  void idxImagesFromAnIndex(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("images-idx3-ubyte");
    Files.write(f, idx(5, 8, 8));
    double[][] xs =
        ClientInput.load(
            f, GRAY, 2, new ClientInput.Options(3, new double[] {0.1307}, new double[] {0.3081}));
    for (int k = 0; k < 2; k++) {
      for (int i = 0; i < 64; i++) {
        int pixel = (((3 + k) * 64 + i) * 7) & 0xFF;
        assertEquals((pixel / 255.0 - 0.1307) / 0.3081, xs[k][i], 1e-12);
      }
    }
    IllegalArgumentException past =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClientInput.load(f, GRAY, 3, new ClientInput.Options(3, null, null)));
    assertTrue(past.getMessage().contains("holds 5 images"), past.getMessage());
    Path wrong = dir.resolve("big-idx3-ubyte");
    Files.write(wrong, idx(2, 28, 28));
    assertRefused(wrong, "[1, 28, 28]", "[1, 8, 8]");
  }

  @Test
  void binaryAndTextTensors(@TempDir Path dir) throws Exception {
    double[] data = new double[64];
    for (int i = 0; i < 64; i++) {
      data[i] = i * 0.25 - 3;
    }
    Path bin = dir.resolve("x.psf4");
    ClientInput.writeBinaryTensor(bin, new int[] {1, 8, 8}, data);
    double[][] xs = ClientInput.load(bin, GRAY, 2, ClientInput.Options.defaults());
    assertArrayEquals(data, xs[0], 0);
    assertArrayEquals(data, xs[1], 0);

    ClientInput.writeBinaryTensor(bin, new int[] {1, 4, 16}, data);
    assertRefused(bin, "[1, 4, 16]");
    byte[] cut = Files.readAllBytes(dir.resolve("x.psf4"));
    Files.write(bin, java.util.Arrays.copyOf(cut, cut.length - 3));
    assertRefused(bin, "floats but holds");

    Path txt = dir.resolve("x.txt");
    StringBuilder s = new StringBuilder();
    for (double v : data) {
      s.append(v).append(", ");
    }
    Files.writeString(txt, s);
    assertArrayEquals(data, ClientInput.load(txt, GRAY, 1, ClientInput.Options.defaults())[0], 0);
    Files.writeString(txt, "1 2 3");
    assertRefused(txt, "holds 3 numbers", "needs 64");
  }

  @Test
  void unreadableFilesAreNamed(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.png");
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3});
    Files.write(broken, b.toByteArray());
    assertRefused(broken, "broken.png");
    assertRefused(dir.resolve("nope.png"), "cannot read input file");
    IllegalArgumentException channels =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ClientInput.Options(0, new double[] {0, 0}, null).mean(0, 3));
    assertTrue(channels.getMessage().contains("--mean has 2 values"), channels.getMessage());
  }

  /** Loading one gray input from {@code file} is refused with a message holding every fragment. */
  private static void assertRefused(Path file, String... fragments) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClientInput.load(file, GRAY, 1, ClientInput.Options.defaults()));
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "no '" + f + "' in: " + e.getMessage());
    }
  }
}
