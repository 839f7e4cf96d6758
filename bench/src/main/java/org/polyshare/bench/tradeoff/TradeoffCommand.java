package org.polyshare.bench.tradeoff;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.polyshare.bench.accuracy.IdxDataset;
import org.polyshare.bench.accuracy.ModelArgument;
import org.polyshare.bench.cli.SeedOption;
import org.polyshare.bench.compare.OnlineCost;
import org.polyshare.bench.harness.Report;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.ReluMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench tradeoff}: test accuracy against online cost, one point per (architecture,
 * activation arm). Each {@code --model} gives its accuracy ({@link Accuracies}) and is measured in
 * process at the network profile as {@code bench compare --in-process} measures (batch 1, median of
 * {@code --repeat}); a ReLU model gives one point per ReLU arm (garbled circuits, FSS). Writes
 * {@code tradeoff-<net>.svg} (two panels, {@link TradeoffChart}), {@code .json} and {@code .md}
 * into {@code --out}. {@code --points FILE.json} redraws a previous run without measuring.
 */
@Command(
    name = "tradeoff",
    mixinStandardHelpOptions = true,
    description =
        "Test accuracy vs online latency and vs online bytes, one point per (architecture,"
            + " arm: PKN, R-PKN, ReLU-GC, ReLU-FSS): an SVG with two panels, JSON and Markdown.")
public final class TradeoffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "[ARCH/ARM=]MODEL",
      description =
          "a model: ONNX file or shipped name (repeatable). Its architecture and arm come from"
              + " its name (resnet8-rpkn-fashion: resnet8, R-PKN) unless given as ARCH/ARM=MODEL"
              + " (ARM: PKN, R-PKN or ReLU).")
  List<String> models = new ArrayList<>();

  @Option(
      names = "--accuracy",
      paramLabel = "REPORT.json",
      description = "bench accuracy --json reports giving the models' accuracies (repeatable)")
  List<Path> accuracyReports = new ArrayList<>();

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "IDX test set to compute the plaintext accuracy of models without a report")
  Path data;

  @Option(
      names = "--dataset",
      paramLabel = "mnist|fashion-mnist",
      description = "which data set --data holds (default: guessed from its name)")
  String dataset;

  @Option(
      names = "--points",
      paramLabel = "FILE.json",
      description = "redraw the points of a previous run's JSON (no models, no measuring)")
  Path points;

  @Option(names = "--net", defaultValue = "lan", description = "network profile (default lan)")
  String netName;

  @Option(
      names = "--relu-arms",
      split = ",",
      defaultValue = "gc,fss",
      description = "ReLU arms for a ReLU model (default ${DEFAULT-VALUE})")
  List<String> reluArms;

  @Option(names = "--repeat", defaultValue = "3", description = "measured inferences per point")
  int repeat;

  @Option(names = "--warmup", defaultValue = "1", description = "unmeasured inferences per point")
  int warmup;

  @Mixin SeedOption seed;

  @Option(names = "--timeout", defaultValue = "600", description = "seconds a party may wait")
  long timeoutSeconds;

  @Option(
      names = "--out",
      defaultValue = "tradeoff-results",
      description = "directory for tradeoff-<net>.{svg,json,md} (default ${DEFAULT-VALUE})")
  Path out;

  @Override
  public Integer call() throws Exception {
    TradeoffChart chart;
    if (points != null) {
      if (!models.isEmpty()) {
        throw new IllegalArgumentException("give either --points FILE.json or --model, not both");
      }
      if (!Files.isRegularFile(points)) {
        throw new IllegalArgumentException("--points " + points + " does not exist");
      }
      chart = TradeoffChart.parse(Files.readString(points));
    } else {
      chart = measure();
    }
    PrintWriter stdout = spec.commandLine().getOut();
    String base = "tradeoff-" + netNameOf(chart);
    Report.write(out.resolve(base + ".svg"), chart.svg());
    Report.write(out.resolve(base + ".json"), chart.json());
    Report.write(out.resolve(base + ".md"), chart.markdown());
    stdout.print(chart.markdown());
    stdout.println("wrote " + out.resolve(base) + ".{svg,json,md}");
    stdout.flush();
    return 0;
  }

  private String netNameOf(TradeoffChart chart) {
    return points != null ? chart.net() : netName;
  }

  private TradeoffChart measure() throws Exception {
    if (models.isEmpty()) {
      throw new IllegalArgumentException(
          "give the models to place (--model [ARCH/ARM=]MODEL, repeatable) or --points FILE.json");
    }
    if (repeat < 1 || warmup < 0) {
      throw new IllegalArgumentException("--repeat must be >= 1 and --warmup >= 0");
    }
    NetworkProfile net = NetworkProfile.named(netName);
    List<ReluMode> arms = new ArrayList<>();
    for (String s : reluArms) {
      arms.add(ReluMode.parse(s));
    }
    IdxDataset set =
        dataset != null ? IdxDataset.named(dataset) : data != null ? IdxDataset.guess(data) : null;
    Accuracies accuracies = new Accuracies(accuracyReports, data, set);
    // every model's accuracy first: a missing one is refused before any measuring
    List<Placed> placed = new ArrayList<>();
    for (String m : models) {
      Placed p = Placed.parse(m);
      Model model = ModelArgument.load(p.model());
      placed.add(p.with(model, accuracies.of(p.model(), model)));
    }
    List<TradeoffPoint> out = new ArrayList<>();
    for (Placed p : placed) {
      List<ReluMode> modes = p.arm() == Arm.RELU_GC ? arms : List.of(ReluMode.GC);
      for (ReluMode mode : modes) {
        Arm arm = p.arm() != Arm.RELU_GC ? p.arm() : mode == ReluMode.FSS ? Arm.RELU_FSS : p.arm();
        String label = p.architecture() + " " + arm.label();
        OnlineCost c =
            OnlineCost.measure(
                p.loaded(),
                mode,
                net,
                warmup,
                repeat,
                seed.seed(),
                Duration.ofSeconds(timeoutSeconds),
                label);
        if (!c.checked()) {
          throw new IllegalStateException(
              label + ": a secure result does not match the plaintext reference");
        }
        out.add(
            new TradeoffPoint(
                p.architecture(),
                arm,
                p.model(),
                p.accuracy().accuracy(),
                p.accuracy().source(),
                c.onlineMs(),
                c.onlineBytes(),
                c.onlineRounds()));
      }
    }
    return new TradeoffChart(net.name(), out);
  }

  /** One {@code --model}: its architecture, arm, argument, and once loaded its accuracy. */
  record Placed(
      String architecture, Arm arm, String model, Model loaded, Accuracies.Found accuracy) {
    static Placed parse(String arg) {
      int eq = arg.indexOf('=');
      if (eq > 0) {
        String[] aa = arg.substring(0, eq).split("/", 2);
        if (aa.length != 2) {
          throw new IllegalArgumentException(
              "--model " + arg + ": expected ARCH/ARM=MODEL, e.g. resnet8/R-PKN=model.onnx");
        }
        Arm arm = aa[1].equalsIgnoreCase("relu") ? Arm.RELU_GC : Arm.named(aa[1]);
        return new Placed(aa[0], arm, arg.substring(eq + 1), null, null);
      }
      String name = Path.of(arg).getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
      Arm arm = Arm.ofModelName(name);
      if (arm == null) {
        throw new IllegalArgumentException(
            "--model "
                + arg
                + ": its name says no arm (pkn, rpkn, relu); give it as ARCH/ARM=MODEL");
      }
      String arch = name.toLowerCase(Locale.ROOT).replaceAll("[-_](r-?pkn|pkn|relu)([-_].*)?$", "");
      return new Placed(arch, arm, arg, null, null);
    }

    Placed with(Model m, Accuracies.Found a) {
      return new Placed(architecture, arm, model, m, a);
    }
  }
}
