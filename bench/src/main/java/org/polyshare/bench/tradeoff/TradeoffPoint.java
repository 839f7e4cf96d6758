package org.polyshare.bench.tradeoff;

/**
 * One (architecture, activation arm) of the trade-off: its test accuracy and the median online
 * latency and bytes (both directions, party↔party) of one batch-1 secure inference.
 *
 * @param accuracy test accuracy in [0, 1]
 * @param accuracySource where the accuracy comes from, e.g. the accuracy report's file
 */
public record TradeoffPoint(
    String architecture,
    Arm arm,
    String model,
    double accuracy,
    String accuracySource,
    double onlineMs,
    long onlineBytes,
    long onlineRounds) {

  public TradeoffPoint {
    if (!(accuracy >= 0 && accuracy <= 1)) {
      throw new IllegalArgumentException(
          architecture + " " + arm.label() + ": accuracy " + accuracy + " is not in [0, 1]");
    }
    if (!(onlineMs > 0) || onlineBytes <= 0) {
      throw new IllegalArgumentException(
          architecture + " " + arm.label() + ": online time and bytes must be positive");
    }
  }

  /** "resnet8 R-PKN". */
  public String name() {
    return architecture + " " + arm.label();
  }
}
