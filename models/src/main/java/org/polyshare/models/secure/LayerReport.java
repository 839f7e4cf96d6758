package org.polyshare.models.secure;

/**
 * One layer's costs at one party. {@code offline} includes the session setup; the activation parts
 * are the layer's non-linearity (truncation and power, a garbled ReLU or max-pool), zero for layers
 * without one; {@code onlineLinear} is the product (and bias) before it, whose CPU time separates
 * party 0's owner-held product from the wait inside the activation.
 */
public record LayerReport(
    String layer,
    String kind,
    LayerCost offline,
    LayerCost offlineActivation,
    LayerCost online,
    LayerCost onlineLinear,
    LayerCost onlineActivation) {
  public long offlineNanos() {
    return offline.wallNanos();
  }

  public long onlineNanos() {
    return online.wallNanos();
  }

  public long offlineBytes() {
    return offline.bytes();
  }

  public long onlineBytes() {
    return online.bytes();
  }

  public long onlineRounds() {
    return online.rounds();
  }

  public long offlineActivationNanos() {
    return offlineActivation.wallNanos();
  }

  public long onlineActivationNanos() {
    return onlineActivation.wallNanos();
  }

  public long onlineActivationBytes() {
    return onlineActivation.bytes();
  }

  public long onlineActivationRounds() {
    return onlineActivation.rounds();
  }

  public long onlineLinearCpuNanos() {
    return onlineLinear.cpuNanos();
  }
}
