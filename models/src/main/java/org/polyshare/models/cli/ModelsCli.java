package org.polyshare.models.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.polyshare.core.ops.RootCommand;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.calib.Headroom;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.Params;
import org.polyshare.models.onnx.OnnxExporter;
import org.polyshare.models.onnx.OnnxFormatException;
import org.polyshare.models.secure.CarryPlan;
import org.polyshare.models.secure.FssReluWidth;
import org.polyshare.models.secure.SecureOptions;
import org.polyshare.models.zoo.ModelSource;
import org.polyshare.models.zoo.Zoo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code models}: list the zoo, inspect a model's layers and headroom, export to ONNX. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    version = "PolyShare models 0.1.0",
    description = "PolyShare model zoo, inspection and ONNX export.",
    subcommands = {
      CommandLine.HelpCommand.class,
      ModelsCli.ListCommand.class,
      ModelsCli.InspectCommand.class,
      ModelsCli.ExportCommand.class,
      ArchitectureCommand.class,
      DataCommand.class,
      TrainCommand.class
    })
public final class ModelsCli extends RootCommand {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Bad input (unknown model, malformed ONNX, unreadable file) is one clear line, exit code 2. */
  public static CommandLine commandLine() {
    return RootCommand.oneLineErrors(
        new CommandLine(new ModelsCli()),
        "models",
        List.of(
            IllegalArgumentException.class, OnnxFormatException.class, UncheckedIOException.class));
  }

  @Command(name = "list", description = "List the zoo models.")
  static final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.printf("%-14s %-12s %12s  %s%n", "name", "input", "parameters", "description");
      for (String n : Zoo.names()) {
        Model m = Zoo.architecture(n);
        System.out.printf(
            "%-14s %-12s %12d  %s%n",
            n, shape(m.inputShape()), m.parameterCount(), Zoo.entry(n).description());
      }
      return 0;
    }
  }

  @Command(
      name = "inspect",
      description =
          "Print a model's layers and, per layer, the max |activation| on calibration"
              + " samples and the bits of headroom left in Z_2^64 at its fixed-point precision.")
  static final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "zoo name or .onnx file")
    String model;

    @Option(
        names = "--calibrate",
        paramLabel = "N",
        description =
            "calibration samples for the headroom: random N(0,1) inputs (default 4),"
                + " or with --data the first N test images (default 256)")
    Integer samples;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        description =
            "calibrate on real images: the MNIST-format IDX test set in DIR"
                + " (t10k-images-idx3-ubyte, normalised as in training) instead of random inputs."
                + " A polynomial net can escape on digits while staying tame on N(0,1) noise.")
    Path data;

    @Override
    public Integer call() throws IOException {
      int n = samples != null ? samples : data != null ? 256 : 4;
      if (n < 1) {
        throw new IllegalArgumentException("--calibrate must be >= 1, got " + n);
      }
      Model m = ModelSource.load(model);
      double[][] xs;
      String source;
      if (data != null) {
        if (!Mnist.present(data)) {
          throw new IllegalArgumentException(
              "--data "
                  + data
                  + " holds no MNIST IDX test set"
                  + " (t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte); fetch one with"
                  + " `models data mnist --out DIR`");
        }
        Mnist.Split test = Mnist.test(data).head(n);
        if (test.pixels() != m.inputSize()) {
          throw new IllegalArgumentException(
              "model '"
                  + m.name()
                  + "' takes "
                  + m.inputSize()
                  + " input values but the images in "
                  + data
                  + " have "
                  + test.pixels());
        }
        xs = new double[test.n()][];
        for (int i = 0; i < xs.length; i++) {
          xs[i] = test.image(i);
        }
        source = xs.length + " test images from " + data;
      } else {
        xs = Zoo.sampleInputs(m, n, 0x6a7d);
        source = n + " random N(0,1) inputs";
      }
      System.out.printf(
          "model %s: input %s, output %s, %d layers, %d parameters%n",
          m.name(),
          shape(m.inputShape()),
          shape(m.outputShape()),
          m.layers().size(),
          m.parameterCount());
      System.out.printf(
          "%-22s %-14s %-22s %-14s %10s%n", "layer", "kind", "inputs", "output", "params");
      for (Layer l : m.layers()) {
        System.out.printf(
            "%-22s %-14s %-22s %-14s %10d%n",
            l.name(),
            l.kind(),
            String.join(",", l.inputs()),
            shape(m.shape(l.name())),
            Params.count(l));
      }
      System.out.println();
      Headroom.Report r = Headroom.measure(m, xs);
      System.out.print(r.format());
      CarryPlan plan =
          CarryPlan.of(m, SecureOptions.defaults().withTruncation(TruncationMode.EXACT));
      if (!plan.kervs().isEmpty()) {
        Headroom.LayerHeadroom t = plan.headroom(m, r).tightest();
        System.out.printf(
            "%nPolyKerv lowering (party path: fused, exact truncation; scales up to 2^%d):%n",
            CarryPlan.SCALE_LIMIT);
        System.out.print(plan.format());
        System.out.printf(
            "at the compiled scales: tightest %s with %.1f bits%n", t.layer(), t.headroomBits());
      }
      if (!FssReluWidth.sites(m).isEmpty()) {
        System.out.printf(
            "%nFSS ReLU widths (--relu fss: k = min(%d, scale + %d + margin %d), in the plan;"
                + " headroom below 2^k, 2^(k-1) for a max-pool):%n",
            FssReluWidth.MAX_BITS, FssReluWidth.ACTIVATION_BITS, Headroom.DEFAULT_MARGIN_BITS);
        System.out.print(FssReluWidth.format(m, r));
      }
      Headroom.LayerHeadroom low = r.firstBelow(Headroom.DEFAULT_MARGIN_BITS);
      if (low != null) {
        // exit code 3, as `models train` when activations escape
        System.out.printf(
            "ESCAPING on %s: layer %s (%s) has %.1f bits of headroom, below the"
                + " margin of %d: its fixed-point values come close to (or past) overflowing"
                + " Z_2^64 on these inputs%n",
            source, low.layer(), low.kind(), low.headroomBits(), Headroom.DEFAULT_MARGIN_BITS);
        return 3;
      }
      System.out.printf(
          "ok on %s: every layer keeps >= %d bits of headroom%n",
          source, Headroom.DEFAULT_MARGIN_BITS);
      return 0;
    }
  }

  @Command(
      name = "export",
      description =
          "Write a model with its weights as ONNX (opset "
              + OnnxExporter.OPSET
              + "), or with --architecture-only its public architecture (what party 1 may hold).")
  static final class ExportCommand implements Callable<Integer> {
    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "MODEL",
        description = "zoo name, or with" + " --architecture-only also an .onnx file")
    String model;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "output file (default MODEL.onnx), or directory with --all")
    Path output;

    @Option(names = "--all", description = "export every zoo model into the --output directory")
    boolean all;

    @Option(
        names = "--architecture-only",
        description =
            "write the architecture only (layer kinds, shapes,"
                + " degrees, f, calibrated input range; no weights): the file party 1 may be given (default MODEL.arch)")
    boolean architectureOnly;

    @Override
    public Integer call() throws IOException {
      List<String> names;
      if (all) {
        names = Zoo.names();
      } else if (model != null) {
        names = List.of(model);
      } else {
        throw new IllegalArgumentException("give a MODEL or --all");
      }
      for (String n : names) {
        Model m = ModelSource.load(n);
        String ext = architectureOnly ? ".arch" : ".onnx";
        Path out;
        if (all) {
          Path dir = output == null ? Path.of(".") : output;
          Files.createDirectories(dir);
          out = dir.resolve(m.name() + ext);
        } else {
          out = output == null ? Path.of(m.name() + ext) : output;
        }
        if (architectureOnly) {
          Architecture a = Architecture.of(m);
          a.write(out);
          System.out.printf(
              "%s -> %s (architecture only, %d bytes, sha256 %s)%n",
              m.name(), out, Files.size(out), a.sha256Hex());
          continue;
        }
        OnnxExporter.write(m, out);
        System.out.printf("%s -> %s (%d bytes)%n", m.name(), out, Files.size(out));
      }
      return 0;
    }
  }

  static String shape(int[] s) {
    return Arrays.toString(s).replace(" ", "");
  }
}
