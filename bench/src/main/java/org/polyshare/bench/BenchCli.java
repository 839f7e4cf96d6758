package org.polyshare.bench;

import java.util.List;
import org.polyshare.core.ops.LogOptions;
import org.polyshare.core.ops.RootCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bench}: PolyShare's benchmark commands. Add a subcommand by listing its class in {@code
 * subcommands} below. JMH microbenchmarks live in the same jar: {@code java -cp
 * bench/target/polyshare-bench.jar org.openjdk.jmh.Main <regex>}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    version = "PolyShare bench 0.1.0",
    description =
        "PolyShare benchmarks: secure ops, layers and kernels, and the ReLU-GC vs PKN comparison.",
    subcommands = {
      CommandLine.HelpCommand.class,
      OpsCommand.class,
      KernelsCommand.class,
      ModelCommand.class,
      GcCommand.class,
      FssCommand.class,
      AccuracyCommand.class,
      ThroughputCommand.class,
      org.polyshare.bench.compare.CompareCommand.class,
      org.polyshare.bench.tradeoff.TradeoffCommand.class,
      org.polyshare.bench.sisyphus.SisyphusCommand.class,
    })
public final class BenchCli extends RootCommand {
  @CommandLine.Mixin LogOptions logging;

  @CommandLine.Mixin org.polyshare.core.ops.ThreadOptions threads;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with bad-input errors printed as one clear line (exit code 2), not a trace.
   */
  public static CommandLine commandLine() {
    return RootCommand.oneLineErrors(
        new CommandLine(new BenchCli()), "bench", List.of(IllegalArgumentException.class));
  }
}
