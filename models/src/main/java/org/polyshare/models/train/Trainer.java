package org.polyshare.models.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.polyshare.core.protocol.Arithmetic;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.graph.Model;

/**
 * Minibatch training of a sequential {@link Model} architecture on a labelled image set: shuffled
 * minibatches, softmax cross-entropy, Adam or SGD with momentum under a cosine learning-rate decay,
 * a progress bar with running loss and accuracy, test accuracy after each epoch.
 *
 * <p>Every training step checks each layer's max |activation| against what fixed point at {@code f}
 * bits can hold, with the scales of the secure evaluator (as {@code Headroom} measures them): a
 * conv, linear, PolyKerv or BatchNorm output {@code v} is {@code |v|·2^(2f)} in the ring before its
 * truncation, exact only below {@code 2^62}; an average pool's is {@code |v|·2^(2f+g)} ({@code g}
 * guard bits); a flatten or ReLU output {@code |v|·2^f < 2^63}. So the limit is {@code 2^(62 −
 * scale − margin)}, margin 0 by default. A layer that exceeds it, or becomes NaN, stops training
 * with an {@link EscapingActivationException} naming the layer, epoch and step (Sisyphus made
 * loud).
 */
public final class Trainer {

  /** Training hyper-parameters. */
  public record Config(
      int epochs,
      int batchSize,
      double learningRate,
      Optimizer.Kind optimizer,
      double weightDecay,
      long seed,
      int threads,
      int fracBits,
      boolean polyBatchNorm,
      int marginBits) {
    public Config {
      if (epochs < 1 || batchSize < 1 || threads < 1) {
        throw new IllegalArgumentException("epochs, batch size and threads must be >= 1");
      }
      if (!(learningRate > 0)) {
        throw new IllegalArgumentException("learning rate must be positive");
      }
    }

    public static Config defaults() {
      return new Config(8, 64, 2e-3, Optimizer.Kind.ADAM, 5e-4, 1L, 2, 16, true, 0);
    }

    public Config withEpochs(int e) {
      return new Config(
          e,
          batchSize,
          learningRate,
          optimizer,
          weightDecay,
          seed,
          threads,
          fracBits,
          polyBatchNorm,
          marginBits);
    }
  }

  /** Per-epoch record. */
  public record Epoch(
      int epoch,
      double trainLoss,
      double trainAccuracy,
      double testAccuracy,
      double seconds,
      double[] maxAbsPerLayer) {}

  /** What training produced; {@code limits[i]} is layer i's escape limit. */
  public record Result(
      Model model, double testAccuracy, double seconds, List<Epoch> epochs, double[] limits) {}

  private final Config config;
  private double[] lastLimits;
  private final PrintStream progress;

  /** {@code progress} may be null for silence. */
  public Trainer(Config config, PrintStream progress) {
    this.config = config;
    this.progress = progress;
  }

  /**
   * Largest |value| layer {@code i} of {@code net} may reach at {@code f} fractional bits with
   * {@code marginBits} of headroom left: {@code 2^(limit − scale − margin)}.
   */
  static double activationLimit(TrainableNet net, int i, int fracBits, int marginBits) {
    TrainLayer l = net.layer(i);
    int scale = 2 * fracBits, limit = 62;
    if (l instanceof TrainAvgPool ap) {
      // as Headroom: a power-of-two window truncates its sum, else a guard-bit constant product
      int shift = Arithmetic.exactShift(1.0 / (ap.k * ap.k));
      scale = shift > 0 ? fracBits + shift : scale + Arithmetic.guardBits(fracBits);
    } else if (l instanceof TrainFlatten || l instanceof TrainRelu) {
      scale = fracBits;
      limit = 63;
    }
    return Math.scalb(1.0, limit - scale - marginBits);
  }

  public Result train(Model architecture, Mnist.Split train, Mnist.Split test) {
    try (Parallel par = new Parallel(config.threads())) {
      TrainableNet net =
          TrainableNet.create(architecture, config.polyBatchNorm(), config.seed(), par);
      if (net.inputSize() != train.pixels()) {
        throw new IllegalArgumentException(
            "model '"
                + architecture.name()
                + "' takes "
                + net.inputSize()
                + " input values per sample but the data has "
                + train.pixels());
      }
      return run(net, train, test);
    }
  }

  private Result run(TrainableNet net, Mnist.Split train, Mnist.Split test) {
    try {
      return loop(net, train, test);
    } catch (EscapingActivationException e) {
      try {
        e.withSnapshot(net.toModel());
      } catch (IllegalArgumentException notFinite) {
        // weights already NaN/∞ cannot form a graph: report the escape without a snapshot
      }
      throw e;
    }
  }

  private Result loop(TrainableNet net, Mnist.Split train, Mnist.Split test) {
    int n = train.n(), bs = Math.min(config.batchSize(), n), d = train.pixels();
    int classes = net.classes();
    int stepsPerEpoch = n / bs; // drop the ragged last batch: BN statistics want full batches
    long totalSteps = (long) stepsPerEpoch * config.epochs();
    double[] limits = new double[net.layerCount()];
    for (int i = 0; i < limits.length; i++) {
      limits[i] = activationLimit(net, i, config.fracBits(), config.marginBits());
    }
    this.lastLimits = limits.clone();
    Optimizer opt = new Optimizer(config.optimizer(), config.weightDecay());
    List<Param> params = net.params();
    SplittableRandom rng = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double[] xb = new double[bs * d];
    int[] yb = new int[bs];
    double[] grad = new double[bs * classes];
    int[] correct = new int[1];
    List<Epoch> epochs = new ArrayList<>();
    long start = System.nanoTime();
    long step = 0;
    double testAcc = Double.NaN;
    for (int e = 1; e <= config.epochs(); e++) {
      long epochStart = System.nanoTime();
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      double lossSum = 0;
      long seen = 0, ok = 0;
      double[] epochMax = new double[net.layerCount()];
      long lastPrint = 0;
      for (int s = 0; s < stepsPerEpoch; s++) {
        for (int b = 0; b < bs; b++) {
          int idx = order[s * bs + b];
          System.arraycopy(train.images(), idx * d, xb, b * d, d);
          yb[b] = train.labels()[idx];
        }
        double[] logits = net.forward(xb, bs, true);
        checkEscape(net, e, s + 1, limits, epochMax);
        double loss = TrainableNet.crossEntropy(logits, yb, 0, bs, classes, grad, correct);
        if (!Double.isFinite(loss)) {
          throw new EscapingActivationException(
              "loss",
              "CrossEntropy",
              e,
              s + 1,
              loss,
              Double.NaN,
              config.fracBits(),
              config.marginBits(),
              history(net, net.lastMaxAbs()));
        }
        net.zeroGrad();
        net.backward(grad, bs);
        double lr = config.learningRate() * 0.5 * (1 + Math.cos(Math.PI * step / totalSteps));
        opt.step(params, lr);
        step++;
        lossSum += loss * bs;
        seen += bs;
        ok += correct[0];
        long now = System.nanoTime();
        if (progress != null && (now - lastPrint > 250_000_000L || s == stepsPerEpoch - 1)) {
          lastPrint = now;
          progress.print(
              "\r"
                  + bar(
                      e,
                      s + 1,
                      stepsPerEpoch,
                      lossSum / seen,
                      (double) ok / seen,
                      epochMax,
                      net,
                      (now - start) / 1e9));
          progress.flush();
        }
      }
      testAcc = test == null ? Double.NaN : accuracy(net, test);
      double secs = (System.nanoTime() - epochStart) / 1e9;
      epochs.add(new Epoch(e, lossSum / seen, (double) ok / seen, testAcc, secs, epochMax));
      if (progress != null) {
        progress.printf(
            "%n  epoch %d: train loss %.4f, train acc %.2f%%, test acc %s, %.1f s,"
                + " max|a| per layer %s%n",
            e,
            lossSum / seen,
            100.0 * ok / seen,
            Double.isNaN(testAcc) ? "-" : String.format("%.2f%%", 100 * testAcc),
            secs,
            history(net, epochMax));
      }
    }
    return new Result(
        net.toModel(), testAcc, (System.nanoTime() - start) / 1e9, epochs, lastLimits.clone());
  }

  private void checkEscape(
      TrainableNet net, int epoch, int step, double[] limit, double[] epochMax) {
    double[] m = net.lastMaxAbs();
    for (int i = 0; i < m.length; i++) {
      if (!(m[i] <= limit[i])) {
        throw new EscapingActivationException(
            net.layerName(i),
            net.layerKind(i),
            epoch,
            step,
            m[i],
            limit[i],
            config.fracBits(),
            config.marginBits(),
            history(net, m));
      }
      epochMax[i] = Math.max(epochMax[i], m[i]);
    }
  }

  private static String history(TrainableNet net, double[] m) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < m.length; i++) {
      if (net.layerKind(i).equals("Flatten")) {
        continue;
      }
      sb.append(sb.length() == 0 ? "" : ", ")
          .append(net.layerName(i))
          .append('=')
          .append(String.format("%.3g", m[i]));
    }
    return sb.toString();
  }

  private static String bar(
      int epoch,
      int s,
      int steps,
      double loss,
      double acc,
      double[] epochMax,
      TrainableNet net,
      double elapsed) {
    int width = 30, filled = (int) ((long) width * s / steps);
    int worst = 0;
    for (int i = 1; i < epochMax.length; i++) {
      if (epochMax[i] > epochMax[worst]) {
        worst = i;
      }
    }
    return String.format(
        "epoch %d [%s%s] %3d%% loss %.4f acc %.2f%% max|a| %.3g (%s) %.0fs",
        epoch,
        "=".repeat(filled),
        " ".repeat(width - filled),
        100 * s / steps,
        loss,
        100 * acc,
        epochMax[worst],
        net.layerName(worst),
        elapsed);
  }

  /** Top-1 accuracy of the net in inference mode (BatchNorm on running statistics). */
  public static double accuracy(TrainableNet net, Mnist.Split data) {
    int chunk = 250, d = data.pixels(), classes = net.classes();
    long ok = 0;
    int[] correct = new int[1];
    for (int off = 0; off < data.n(); off += chunk) {
      int m = Math.min(chunk, data.n() - off);
      double[] x = java.util.Arrays.copyOfRange(data.images(), off * d, (off + m) * d);
      double[] logits = net.forward(x, m, false);
      TrainableNet.crossEntropy(logits, data.labels(), off, m, classes, null, correct);
      ok += correct[0];
    }
    return (double) ok / data.n();
  }
}
