package org.polyshare.models.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The MNIST train and test sets as read from a directory of IDX files (plain or gzipped), images
 * scaled to [0, 1] and normalised with the usual MNIST mean and standard deviation.
 */
public final class Mnist {

  /**
   * Mean and standard deviation of the MNIST training pixels in [0, 1]; the usual normalisation.
   */
  public static final double MEAN = 0.1307, STD = 0.3081;

  public static final int ROWS = 28, COLS = 28, CLASSES = 10;

  /**
   * One split: {@code n} images (normalised doubles, 1×28×28 for MNIST, any equal size for
   * synthetic sets) and their labels.
   */
  public record Split(int n, double[] images, int[] labels) {
    public Split {
      if (n <= 0 || images.length % n != 0 || labels.length != n) {
        throw new IllegalArgumentException("a split needs n > 0 images of equal size and n labels");
      }
    }

    /** Values per image. */
    public int pixels() {
      return images.length / n;
    }

    /** The first {@code limit} examples (all of them if limit ≤ 0 or ≥ n). */
    public Split head(int limit) {
      if (limit <= 0 || limit >= n) {
        return this;
      }
      return new Split(
          limit,
          java.util.Arrays.copyOf(images, limit * pixels()),
          java.util.Arrays.copyOf(labels, limit));
    }

    /** Image {@code i} as a fresh array of 784 normalised doubles. */
    public double[] image(int i) {
      return java.util.Arrays.copyOfRange(images, i * pixels(), (i + 1) * pixels());
    }
  }

  private Mnist() {}

  public static Split train(Path dir) throws IOException {
    return load(dir, "train");
  }

  public static Split test(Path dir) throws IOException {
    return load(dir, "t10k");
  }

  /** True when {@code dir} holds all four MNIST IDX files. */
  public static boolean present(Path dir) {
    for (String p : List.of("train", "t10k")) {
      if (find(dir, p, "images", 3) == null || find(dir, p, "labels", 1) == null) {
        return false;
      }
    }
    return true;
  }

  /** Loads {@code prefix} ("train" or "t10k") from {@code dir}. */
  public static Split load(Path dir, String prefix) throws IOException {
    Path imgFile = find(dir, prefix, "images", 3);
    Path lblFile = find(dir, prefix, "labels", 1);
    if (imgFile == null || lblFile == null) {
      throw new IOException(
          "MNIST "
              + prefix
              + " files not found in "
              + dir
              + " (expected "
              + prefix
              + "-images-idx3-ubyte and "
              + prefix
              + "-labels-idx1-ubyte, optionally .gz);"
              + " fetch them with `bin/models data mnist --out "
              + dir
              + "`");
    }
    Idx.UByteArray img = Idx.read(imgFile, 3);
    Idx.UByteArray lbl = Idx.read(lblFile, 1);
    if (img.dims()[1] != ROWS || img.dims()[2] != COLS) {
      throw new IOException(
          "malformed MNIST images "
              + imgFile
              + ": images are "
              + img.dims()[1]
              + "x"
              + img.dims()[2]
              + ", expected 28x28");
    }
    if (img.count() != lbl.count()) {
      throw new IOException(
          "MNIST "
              + prefix
              + ": "
              + img.count()
              + " images but "
              + lbl.count()
              + " labels ("
              + imgFile
              + ", "
              + lblFile
              + ")");
    }
    int n = img.count();
    double[] x = new double[n * ROWS * COLS];
    for (int i = 0; i < x.length; i++) {
      x[i] = (img.unsigned(i) / 255.0 - MEAN) / STD;
    }
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = lbl.unsigned(i);
      if (y[i] >= CLASSES) {
        throw new IOException(
            "malformed MNIST labels "
                + lblFile
                + ": label "
                + y[i]
                + " at index "
                + i
                + " is not a digit 0..9");
      }
    }
    return new Split(n, x, y);
  }

  private static Path find(Path dir, String prefix, String kind, int rank) {
    String base = prefix + "-" + kind;
    for (String sep : List.of("-", ".")) {
      for (String gz : List.of("", ".gz")) {
        Path p = dir.resolve(base + sep + "idx" + rank + "-ubyte" + gz);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    return null;
  }
}
