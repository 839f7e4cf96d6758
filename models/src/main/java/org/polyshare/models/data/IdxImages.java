package org.polyshare.models.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A labelled set of 28×28 grey-scale images in MNIST's layout: four IDX files ({@code
 * train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte} and the same with {@code t10k}, plain
 * or gzipped), ten classes. Pixels are scaled to [0, 1] and normalised with the set's training mean
 * and standard deviation, the numbers its models were trained with.
 *
 * @param name the set's name in messages ("MNIST", "Fashion-MNIST")
 * @param mean mean of the training pixels in [0, 1]
 * @param std their standard deviation
 * @param fetchCommand the command that writes the files, named when they are missing (the directory
 *     is appended)
 */
public record IdxImages(String name, double mean, double std, String fetchCommand) {

  public static final int ROWS = 28, COLS = 28, CLASSES = 10;

  public Mnist.Split train(Path dir) throws IOException {
    return load(dir, "train");
  }

  public Mnist.Split test(Path dir) throws IOException {
    return load(dir, "t10k");
  }

  /** True when {@code dir} holds all four IDX files. */
  public boolean present(Path dir) {
    for (String p : List.of("train", "t10k")) {
      if (find(dir, p, "images", 3) == null || find(dir, p, "labels", 1) == null) {
        return false;
      }
    }
    return true;
  }

  /** Loads {@code prefix} ("train" or "t10k") from {@code dir}. */
  public Mnist.Split load(Path dir, String prefix) throws IOException {
    Path imgFile = find(dir, prefix, "images", 3);
    Path lblFile = find(dir, prefix, "labels", 1);
    if (imgFile == null || lblFile == null) {
      throw new IOException(
          String.format(
              "%s %s files not found in %s (expected %s-images-idx3-ubyte and"
                  + " %s-labels-idx1-ubyte, optionally .gz); fetch them with `%s%s`",
              name, prefix, dir, prefix, prefix, fetchCommand, dir));
    }
    Idx.UByteArray img = Idx.read(imgFile, 3);
    Idx.UByteArray lbl = Idx.read(lblFile, 1);
    if (img.dims()[1] != ROWS || img.dims()[2] != COLS) {
      throw new IOException(
          String.format(
              "malformed %s images %s: images are %dx%d, expected 28x28",
              name, imgFile, img.dims()[1], img.dims()[2]));
    }
    if (img.count() != lbl.count()) {
      throw new IOException(
          String.format(
              "%s %s: %d images but %d labels (%s, %s)",
              name, prefix, img.count(), lbl.count(), imgFile, lblFile));
    }
    int n = img.count();
    double[] x = new double[n * ROWS * COLS];
    for (int i = 0; i < x.length; i++) {
      x[i] = (img.unsigned(i) / 255.0 - mean) / std;
    }
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = lbl.unsigned(i);
      if (y[i] >= CLASSES) {
        throw new IOException(
            String.format(
                "malformed %s labels %s: label %d at index %d is not a class 0..9",
                name, lblFile, y[i], i));
      }
    }
    return new Mnist.Split(n, x, y);
  }

  /** The file {@code prefix-kind-idxRANK-ubyte} (or with a dot before idx), plain or gzipped. */
  static Path find(Path dir, String prefix, String kind, int rank) {
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
