package org.polyshare.bench.sisyphus;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.polyshare.bench.harness.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench sisyphus}: draws training histories of escaping (or bounded) activations, one panel
 * per {@code --history} file ({@link SisyphusChart}), and prints per run the first epoch where the
 * guard refuses.
 */
@Command(
    name = "sisyphus",
    mixinStandardHelpOptions = true,
    description =
        "Per-layer max |activation| per epoch (log scale) against the headroom limit, the"
            + " epoch where the guard refuses marked; one panel per training history.")
public final class SisyphusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--history",
      required = true,
      arity = "1..*",
      paramLabel = "FILE.json",
      description =
          "training histories (train_fashion.py sisyphus --out FILE.json), one panel each")
  List<Path> histories;

  @Option(
      names = "--out",
      defaultValue = "sisyphus.svg",
      description = "the SVG to write (default ${DEFAULT-VALUE})")
  Path out;

  @Override
  public Integer call() throws Exception {
    List<SisyphusHistory> runs = new ArrayList<>();
    for (Path f : histories) {
      runs.add(SisyphusHistory.read(f));
    }
    Report.write(out, new SisyphusChart(runs).svg());
    PrintWriter stdout = spec.commandLine().getOut();
    for (SisyphusHistory h : runs) {
      int e = h.firstEscape();
      stdout.println(
          h.run()
              + ": "
              + h.epochs().length
              + " epochs, "
              + (e >= 0 ? "escapes at epoch " + e + " (the guard refuses)" : "bounded"));
    }
    stdout.println("wrote " + out);
    stdout.flush();
    return 0;
  }
}
