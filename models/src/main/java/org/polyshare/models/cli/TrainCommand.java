package org.polyshare.models.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.polyshare.models.calib.Headroom;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxExporter;
import org.polyshare.models.train.EscapingActivationException;
import org.polyshare.models.train.Optimizer;
import org.polyshare.models.train.TrainArchitectures;
import org.polyshare.models.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code models train lenet5-pkn --data DIR --out FILE.onnx}: trains a zoo architecture on MNIST in
 * pure Java and writes the trained network (BatchNorm folded into each PolyKerv's conv) as ONNX.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a zoo model (e.g. lenet5-pkn, lenet5-relu) on MNIST in pure Java and write"
          + " it as ONNX. Stops with a clear message if activations escape (Sisyphus)."
    })
public final class TrainCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "MODEL",
      description = "Zoo architecture (lenet5-pkn, lenet5-relu, ...) or mnist-deep-pkn.")
  String model;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "Directory with the MNIST IDX files (see `models data mnist`).")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "Output model.")
  Path out;

  @Option(
      names = "--epochs",
      defaultValue = "8",
      description = "Epochs (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--batch",
      defaultValue = "64",
      description = "Minibatch (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--lr",
      defaultValue = "2e-3",
      description = "Peak learning rate, cosine-decayed to 0 (default ${DEFAULT-VALUE}).")
  double lr;

  @Option(
      names = "--optimizer",
      defaultValue = "adam",
      description = "adam or sgd (momentum 0.9) (default ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(
      names = "--weight-decay",
      defaultValue = "5e-4",
      description = "L2 on weights (default ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Init and shuffle seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", description = "Worker threads (default: min(2, cores)).")
  Integer threads;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "Train on the first N training images only (0 = all 60000).")
  int limit;

  @Option(
      names = "--no-batchnorm",
      description =
          "Train the PolyKervs without their BatchNorm"
              + " (shows escaping activations on deep polynomial networks).")
  boolean noBatchNorm;

  @Option(
      names = "--frac-bits",
      defaultValue = "16",
      description =
          "Fixed-point precision the model is meant for; sets the escape limit"
              + " (default ${DEFAULT-VALUE}).")
  int fracBits;

  @Option(
      names = "--margin-bits",
      defaultValue = "0",
      description =
          "Stop when a layer has fewer bits of fixed-point headroom than this"
              + " (default ${DEFAULT-VALUE}: only when none is left, or NaN).")
  int marginBits;

  @Override
  public Integer call() throws Exception {
    Model arch = TrainArchitectures.architecture(model).withFracBits(fracBits);
    Optimizer.Kind kind = Optimizer.Kind.valueOf(optimizer.toUpperCase(Locale.ROOT));
    int t = threads != null ? threads : Math.min(2, Runtime.getRuntime().availableProcessors());
    Trainer.Config cfg =
        new Trainer.Config(
            epochs, batch, lr, kind, weightDecay, seed, t, fracBits, !noBatchNorm, marginBits);
    Mnist.Split train = Mnist.train(data).head(limit);
    Mnist.Split test = Mnist.test(data);
    System.err.printf(
        "training %s on %d MNIST images, %d epochs, batch %d, %s lr %g, seed %d,"
            + " %d threads%s%n",
        model,
        train.n(),
        epochs,
        batch,
        optimizer,
        lr,
        seed,
        t,
        noBatchNorm ? ", no BatchNorm" : "");
    Trainer.Result r;
    double cpu0 = processCpuSeconds();
    try {
      r = new Trainer(cfg, System.err).train(arch, train, test);
    } catch (EscapingActivationException e) {
      System.err.println();
      System.err.println("training stopped: " + e.getMessage());
      if (e.snapshot() != null) {
        Path snap = sibling(out, "-escaped.onnx");
        OnnxExporter.write(e.snapshot(), snap);
        System.err.println(
            "weights at that step written to "
                + snap
                + "; their headroom on"
                + " training images (plain `models inspect` measures on random N(0,1) inputs, which"
                + " excite this network far less than digits do; `models inspect --data DIR` uses"
                + " images):");
        System.err.print(Headroom.measure(e.snapshot(), samples(train, 8)).format());
      }
      return 3;
    }
    OnnxExporter.write(r.model(), out);
    // What the secure evaluator's guard will see: headroom per layer on training images.
    double[][] samples = samples(train, 64);
    Headroom.Report h = Headroom.measure(r.model(), samples);
    Headroom.LayerHeadroom tight = h.tightest();
    System.err.printf(
        "headroom on %d training images at f = %d: tightest layer %s (%s) with %.1f" + " bits%s%n",
        samples.length,
        fracBits,
        tight.layer(),
        tight.kind(),
        tight.headroomBits(),
        tight.headroomBits() < Headroom.DEFAULT_MARGIN_BITS
            ? String.format(
                " — below the secure" + " evaluator's %d-bit margin, it will refuse this model",
                Headroom.DEFAULT_MARGIN_BITS)
            : "");
    double cpu = processCpuSeconds() - cpu0;
    System.out.printf(
        "%s: test accuracy %.2f%% on %d images after %d epochs, training time %.1f s"
            + " wall, %.1f s CPU (all threads; the wall time depends on what else runs); wrote %s%n",
        model, 100 * r.testAccuracy(), test.n(), epochs, r.seconds(), cpu, out);
    return 0;
  }

  private static double[][] samples(Mnist.Split data, int count) {
    double[][] s = new double[Math.min(count, data.n())][];
    for (int i = 0; i < s.length; i++) {
      s[i] = data.image(i);
    }
    return s;
  }

  /** CPU time of this JVM, all threads (NaN where the platform does not report it). */
  static double processCpuSeconds() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  private static Path sibling(Path p, String suffix) {
    String n = p.getFileName().toString();
    String base = n.endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
    return p.resolveSibling(base + suffix);
  }
}
