package org.polyshare.bench;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.polyshare.bench.cli.CaseOptions;
import org.polyshare.bench.cli.ReportOutput;
import org.polyshare.bench.fss.FssBench;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.harness.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench fss --relu N}: the dealer-assisted FSS ReLU's key generation and per-party key
 * evaluation rate ({@link FssBench}); this class only parses and prints. Rates are per core: the
 * evaluation runs on the measuring thread alone and is timed in its CPU time; other load on a
 * shared machine disturbs them, so the load average is shown.
 */
@Command(
    name = "fss",
    mixinStandardHelpOptions = true,
    description =
        "FSS ReLU (DCF keys from the dealer): key generation, ReLU/s per core per party, key bytes per ReLU.")
final class FssCommand implements Callable<Integer> {
  @Option(
      names = "--relu",
      required = true,
      description = "number of FSS ReLUs (one DCF key pair each)")
  int relu;

  @Option(
      names = "--bits",
      defaultValue = "62",
      description =
          "inputs lie in [-2^bits, 2^bits) (default ${DEFAULT-VALUE}, the widest; at f = 16 the"
              + " secure models give a fused ReLU 46, a ReLU after an Add or a max-pool 30:"
              + " `models inspect` lists each layer's)")
  int bits;

  @Option(
      names = "--shift",
      defaultValue = "0",
      description =
          "truncation folded into the ReLU (output floor(ReLU(x)/2^shift); the models' fused ReLU"
              + " uses f = 16; default ${DEFAULT-VALUE}: the plain ReLU)")
  int shift;

  @Mixin CaseOptions run = new CaseOptions(5, 3);

  @Override
  public Integer call() throws IOException {
    Repetitions repetitions = run.repetitions();
    FssBench bench = new FssBench(relu, bits, shift, run.seed());
    System.out.println(bench.title(repetitions));
    List<FssBench.Rep> runs = bench.run(repetitions);
    System.out.println(bench.rateLine(runs));
    Report r = bench.report(runs);
    ReportOutput.withMachineLoad(r);
    return run.emit(r);
  }
}
