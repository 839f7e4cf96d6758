package org.polyshare.bench.cli;

import org.polyshare.core.protocol.TruncationMode;
import picocli.CommandLine.Option;

/**
 * {@code --truncation dealer|exact|local}, mixed into a bench command that runs secure products.
 */
public final class TruncationOption {
  @Option(
      names = "--truncation",
      defaultValue = "dealer",
      description =
          "dealer (one round, <= 1 ulp, randomised), exact (one round, exact floor, DCF keys from the dealer) or local (default ${DEFAULT-VALUE})")
  String truncation;

  public TruncationMode mode() {
    return TruncationMode.named(truncation);
  }
}
