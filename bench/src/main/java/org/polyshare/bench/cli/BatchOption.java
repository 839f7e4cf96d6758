package org.polyshare.bench.cli;

import picocli.CommandLine.Option;

/** {@code --batch B}, mixed into a bench command that runs secure inferences of B inputs each. */
public final class BatchOption {
  @Option(
      names = "--batch",
      defaultValue = "1",
      description = "inputs per inference (default ${DEFAULT-VALUE})")
  int batch;

  public int batch() {
    return batch;
  }
}
