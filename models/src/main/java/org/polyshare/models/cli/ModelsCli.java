package org.polyshare.models.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.polyshare.models.calib.Headroom;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.Params;
import org.polyshare.models.onnx.OnnxExporter;
import org.polyshare.models.onnx.OnnxFormatException;
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
      ModelsCli.ExportCommand.class
    })
public final class ModelsCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Bad input (unknown model, malformed ONNX, unreadable file) is one clear line, exit code 2. */
  public static CommandLine commandLine() {
    return new CommandLine(new ModelsCli())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              if (e instanceof IllegalArgumentException || e instanceof OnnxFormatException
                  || e instanceof UncheckedIOException) {
                cmd.getErr().println("models " + cmd.getCommandName() + ": " + e.getMessage());
                return 2;
              }
              throw e;
            });
  }

  @Command(name = "list", description = "List the zoo models.")
  static final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.printf("%-14s %-12s %12s  %s%n", "name", "input", "parameters", "description");
      for (String n : Zoo.names()) {
        Model m = Zoo.architecture(n);
        System.out.printf("%-14s %-12s %12d  %s%n", n, shape(m.inputShape()),
            m.parameterCount(), Zoo.entry(n).description());
      }
      return 0;
    }
  }

  @Command(name = "inspect",
      description = "Print a model's layers and, per layer, the max |activation| on calibration"
          + " samples and the bits of headroom left in Z_2^64 at its fixed-point precision.")
  static final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "zoo name or .onnx file")
    String model;

    @Option(names = "--calibrate", paramLabel = "N", defaultValue = "4",
        description = "calibration samples (random N(0,1) inputs) for the headroom (default 4)")
    int samples;

    @Override
    public Integer call() {
      if (samples < 1) {
        throw new IllegalArgumentException("--calibrate must be >= 1, got " + samples);
      }
      Model m = ModelSource.load(model);
      System.out.printf("model %s: input %s, output %s, %d layers, %d parameters%n", m.name(),
          shape(m.inputShape()), shape(m.outputShape()), m.layers().size(),
          m.parameterCount());
      System.out.printf("%-22s %-14s %-22s %-14s %10s%n", "layer", "kind", "inputs", "output",
          "params");
      for (Layer l : m.layers()) {
        System.out.printf("%-22s %-14s %-22s %-14s %10d%n", l.name(), l.kind(),
            String.join(",", l.inputs()), shape(m.shape(l.name())), Params.count(l));
      }
      System.out.println();
      Headroom.Report r = Headroom.measure(m, Zoo.sampleInputs(m, samples, 0x6a7d));
      System.out.print(r.format());
      return 0;
    }
  }

  @Command(name = "export", description = "Write a model with its weights as ONNX (opset "
      + OnnxExporter.OPSET + ").")
  static final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "zoo name")
    String model;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
        description = "output file (default MODEL.onnx), or directory with --all")
    Path output;

    @Option(names = "--all", description = "export every zoo model into the --output directory")
    boolean all;

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
        Path out;
        if (all) {
          Path dir = output == null ? Path.of(".") : output;
          Files.createDirectories(dir);
          out = dir.resolve(m.name() + ".onnx");
        } else {
          out = output == null ? Path.of(m.name() + ".onnx") : output;
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
