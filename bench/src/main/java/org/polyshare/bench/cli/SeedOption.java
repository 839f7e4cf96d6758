package org.polyshare.bench.cli;

import picocli.CommandLine.Option;

/** {@code --seed N}, mixed into a bench command: the seed of its random test data. */
public final class SeedOption {
  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "seed of the random test inputs (not of any secret) (default ${DEFAULT-VALUE})")
  long seed;

  public long seed() {
    return seed;
  }
}
