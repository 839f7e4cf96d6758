package org.polyshare.bench.accuracy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.polyshare.models.data.FashionMnist;
import org.polyshare.models.data.IdxImages;
import org.polyshare.models.data.Mnist;

/**
 * The labelled 28×28 IDX image sets a bench command may be given: MNIST or Fashion-MNIST, which
 * share the layout; each read through its {@link IdxImages}, normalised with its own training-set
 * pixel mean and standard deviation, as its models were trained.
 */
public enum IdxDataset {
  MNIST(Mnist.SET),
  FASHION_MNIST(FashionMnist.SET);

  private final IdxImages set;

  IdxDataset(IdxImages set) {
    this.set = set;
  }

  /** The name in reports: {@code MNIST} or {@code Fashion-MNIST}. */
  public String title() {
    return set.name();
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

  /** The test split of {@code dir}. */
  public Mnist.Split test(Path dir) throws IOException {
    return set.test(dir);
  }
}
