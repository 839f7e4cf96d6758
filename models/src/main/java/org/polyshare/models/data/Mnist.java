package org.polyshare.models.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The MNIST train and test sets as read from a directory of IDX files (plain or gzipped), images
 * scaled to [0, 1] and normalised with the usual MNIST mean and standard deviation. {@link Split}
 * is the split type of every {@link IdxImages} set (Fashion-MNIST too).
 */
public final class Mnist {

  /**
   * Mean and standard deviation of the MNIST training pixels in [0, 1]; the usual normalisation.
   */
  public static final double MEAN = 0.1307, STD = 0.3081;

  public static final int ROWS = IdxImages.ROWS, COLS = IdxImages.COLS, CLASSES = IdxImages.CLASSES;

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

  /** The MNIST files and normalisation. */
  public static final IdxImages SET =
      new IdxImages("MNIST", MEAN, STD, "bin/models data mnist --out ");

  private Mnist() {}

  public static Split train(Path dir) throws IOException {
    return SET.train(dir);
  }

  public static Split test(Path dir) throws IOException {
    return SET.test(dir);
  }

  /** True when {@code dir} holds all four MNIST IDX files. */
  public static boolean present(Path dir) {
    return SET.present(dir);
  }

  /** Loads {@code prefix} ("train" or "t10k") from {@code dir}. */
  public static Split load(Path dir, String prefix) throws IOException {
    return SET.load(dir, prefix);
  }
}
