package org.polyshare.bench.cli;

import org.polyshare.bench.harness.Repetitions;
import picocli.CommandLine.Option;

/**
 * {@code --reps N --warmup N}, mixed into a bench command: how often its case runs unmeasured, then
 * measured. The command gives its own defaults (a large op needs fewer repetitions than a small
 * one); the help shows them.
 */
public final class RepetitionOptions {
  @Option(names = "--reps", description = "measured repetitions (default ${DEFAULT-VALUE})")
  int reps;

  @Option(
      names = "--warmup",
      description = "unmeasured warm-up repetitions (default ${DEFAULT-VALUE})")
  int warmup;

  public RepetitionOptions(int reps, int warmup) {
    this.reps = reps;
    this.warmup = warmup;
  }

  public Repetitions repetitions() {
    return new Repetitions(warmup, reps);
  }

  public int reps() {
    return reps;
  }

  public int warmup() {
    return warmup;
  }
}
