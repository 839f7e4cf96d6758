package org.polyshare.bench.compare;

import java.util.List;

/**
 * One secure inference of one variant (one repetition). Times are wall-clock milliseconds of the
 * slower party; bytes are payload bytes on each link (party↔party per direction, dealer→party).
 *
 * @param setupMs one-time session setup (opening the masked weights), not part of total
 * @param offlineMs input-independent phase of this inference: dealer material, precomputation,
 *     garbling and table transfer
 * @param onlineMs from party 1 sharing its input to it holding the logits
 * @param onlineLinearMs online time in linear layers (conv/GEMM, BatchNorm, pooling, add); for an
 *     owner-held conv, party 0's product (the client waits for it)
 * @param onlineActivationMs online time in activations (truncation + power, or GC ReLU)
 * @param offlineActivationMs offline time attributable to activations
 */
public record Measurement(
    double setupMs,
    double offlineMs,
    double onlineMs,
    double onlineLinearMs,
    double onlineActivationMs,
    double offlineActivationMs,
    long onlineBytes01,
    long onlineBytes10,
    long offlineBytes01,
    long offlineBytes10,
    long setupBytes,
    long dealerBytes0,
    long dealerBytes1,
    long onlineRounds,
    long onlineActivationBytes,
    long onlineActivationRounds,
    List<LayerRow> layers) {

  public double totalMs() {
    return offlineMs + onlineMs;
  }

  /** Online time outside any layer: sharing the input, revealing the logits. */
  public double onlineOtherMs() {
    return Math.max(0, onlineMs - onlineLinearMs - onlineActivationMs);
  }

  public long onlineBytes() {
    return onlineBytes01 + onlineBytes10;
  }

  public long offlineBytes() {
    return offlineBytes01 + offlineBytes10 + dealerBytes0 + dealerBytes1;
  }

  /** One layer, slower party. */
  public record LayerRow(
      String layer,
      String kind,
      double onlineMs,
      double onlineActivationMs,
      long onlineBytes,
      long onlineRounds,
      double offlineActivationMs) {}
}
