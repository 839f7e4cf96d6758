package org.polyshare.bench.accuracy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.polyshare.models.data.Mnist;

/**
 * A labelled 28×28 IDX image set ({@code t10k-images-idx3-ubyte[.gz]} and its labels): MNIST or
 * Fashion-MNIST, which share the layout. Each is normalised with its own training-set pixel mean
 * and standard deviation, as its models were trained.
 */
public enum IdxDataset {
  MNIST("MNIST", Mnist.MEAN, Mnist.STD),
  /** Fashion-MNIST's training pixels in [0, 1]: mean 0.2860, standard deviation 0.3530. */
  FASHION_MNIST("Fashion-MNIST", 0.2860, 0.3530);

  private final String title;
  private final double mean;
  private final double std;

  IdxDataset(String title, double mean, double std) {
    this.title = title;
    this.mean = mean;
    this.std = std;
  }

  /** The name in reports: {@code MNIST} or {@code Fashion-MNIST}. */
  public String title() {
    return title;
  }

  /** {@code mnist} or {@code fashion-mnist} (any case, '_' for '-'). */
  public static IdxDataset named(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
    return switch (n) {
      case "mnist" -> MNIST;
      case "fashion-mnist", "fashion" -> FASHION_MNIST;
      default ->
          throw new IllegalArgumentException(
              "unknown data set '" + name + "'; use mnist or fashion-mnist");
    };
  }

  /** The data set a directory holds, by its name: Fashion-MNIST if it says "fashion". */
  public static IdxDataset guess(Path dir) {
    Path name = dir.toAbsolutePath().normalize().getFileName();
    return name != null && name.toString().toLowerCase(Locale.ROOT).contains("fashion")
        ? FASHION_MNIST
        : MNIST;
  }

  /** The test split of {@code dir}, normalised with this data set's mean and deviation. */
  public Mnist.Split test(Path dir) throws IOException {
    Mnist.Split s = Mnist.test(dir);
    if (this == MNIST) {
      return s;
    }
    // The reader normalises with MNIST's constants; undo that and apply this set's.
    double[] x = s.images();
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (x[i] * Mnist.STD + Mnist.MEAN - mean) / std;
    }
    return new Mnist.Split(s.n(), y, s.labels());
  }
}
