package org.polyshare.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.polyshare.bench.cli.CaseOptions;
import org.polyshare.bench.cli.ReportOutput;
import org.polyshare.bench.gc.CircuitBench;
import org.polyshare.bench.gc.SharedBench;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.harness.Report;
import org.polyshare.core.gc.BristolReader;
import org.polyshare.core.gc.GcMaxPool;
import org.polyshare.core.gc.GcRelu;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench gc}: half-gates garbling and evaluation between two in-process parties (two threads,
 * in-memory link, in-process dealer for the random OTs), through the library's runners; this class
 * only measures.
 *
 * <p>{@code --circuit FILE}: plain Yao on a Bristol Fashion circuit ({@link CircuitBench}). {@code
 * --relu N}, {@code --maxpool N}: the shared-input ReLU and max-pool of the secure models ({@link
 * SharedBench}). Rates are AND gates per second of the engine alone; other load on a shared machine
 * disturbs them, so the median and the best repetition are both shown, with the system load
 * average.
 */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description =
        "Garbled circuits (half-gates, fixed-key AES): AND gates/s, bytes per AND, GC ReLU costs.")
final class GcCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  static final class Mode {
    @Option(names = "--circuit", description = "Bristol Fashion circuit file")
    Path circuit;

    @Option(names = "--relu", description = "number of GC ReLUs to prepare and evaluate")
    Integer relu;

    @Option(
        names = "--maxpool",
        description = "number of GC max-pool windows to prepare and evaluate")
    Integer maxpool;
  }

  @Option(
      names = "--window",
      defaultValue = "4",
      description = "max-pool: values per window (default ${DEFAULT-VALUE}, a 2x2 pool)")
  int window;

  @Option(
      names = "--input",
      description =
          "value of the next circuit input in hex, most significant digit first; bit j of the value"
              + " is the input's j-th wire (repeat once per input; default: random per instance)")
  List<String> inputs = new ArrayList<>();

  @Option(
      names = "--instances",
      defaultValue = "512",
      description = "circuit instances garbled at once (default ${DEFAULT-VALUE})")
  int instances;

  @Option(
      names = "--capacity",
      defaultValue = "128",
      description =
          "instances per engine call: labels of that many instances of every live wire stay in cache (default ${DEFAULT-VALUE})")
  int capacity;

  @Option(
      names = "--shift",
      defaultValue = "16",
      description =
          "ReLU: right shift (fixed-point truncation) folded into the circuit (default ${DEFAULT-VALUE})")
  int shift;

  @Option(
      names = "--store",
      defaultValue = "file",
      description =
          "ReLU/max-pool: where the parties keep garbled material, file (memory-mapped, as a party"
              + " process) or heap (default ${DEFAULT-VALUE})")
  SharedBench.Store store;

  @Mixin CaseOptions run = new CaseOptions(5, 3);

  @Override
  public Integer call() throws IOException {
    Repetitions repetitions = run.repetitions();
    Report r = mode.circuit != null ? circuit(repetitions) : shared(repetitions);
    ReportOutput.withMachineLoad(r);
    return run.emit(r);
  }

  private Report circuit(Repetitions repetitions) {
    CircuitBench bench =
        new CircuitBench(BristolReader.read(mode.circuit), inputs, instances, capacity, run.seed());
    System.out.println(bench.title(repetitions));
    List<CircuitBench.Rep> runs = bench.run(repetitions);
    System.out.print(bench.outputLines(runs.get(runs.size() - 1)));
    return bench.report(runs, mode.circuit.getFileName().toString());
  }

  private Report shared(Repetitions repetitions) {
    boolean pool = mode.maxpool != null;
    if (pool && window < 1) {
      throw new IllegalArgumentException("--window must be >= 1, got " + window);
    }
    int n = pool ? mode.maxpool : mode.relu;
    SharedBench bench =
        pool
            ? new SharedBench(
                GcMaxPool.function(window, shift), "window", shift, n, run.seed(), store)
            : new SharedBench(GcRelu.function(shift), "relu", shift, n, run.seed(), store);
    System.out.printf(
        "bench gc --%s %d%s --shift %d --store %s: %d AND gates per %s, %d warm-up + %d measured"
            + " reps%n",
        pool ? "maxpool" : "relu",
        n,
        pool ? " --window " + window : "",
        shift,
        store,
        bench.andGates(),
        pool ? "window" : "relu",
        repetitions.warmup(),
        repetitions.measured());
    return bench.report(bench.run(repetitions));
  }
}
