package org.polyshare.bench.cli;

import java.io.IOException;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.harness.Report;
import picocli.CommandLine.Mixin;

/**
 * What a bench command that repeats one case on random inputs takes besides its case: {@code --reps
 * N --warmup N} with the command's defaults, {@code --seed N} of the inputs and {@code --json
 * FILE}.
 */
public final class CaseOptions {
  @Mixin RepetitionOptions repetitions;

  @Mixin SeedOption seed;

  @Mixin ReportOutput output;

  public CaseOptions(int reps, int warmup) {
    this.repetitions = new RepetitionOptions(reps, warmup);
  }

  public Repetitions repetitions() {
    return repetitions.repetitions();
  }

  public long seed() {
    return seed.seed();
  }

  /** As {@link ReportOutput#emit}. */
  public int emit(Report r) throws IOException {
    return output.emit(r);
  }
}
