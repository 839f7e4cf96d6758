package org.polyshare.bench.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-layer rows of one inference and their sums, built the same way from both runners' figures
 * (in-process results or the party processes' JSON): the client's clock for a layer's online time,
 * its activation part, the slower party's offline activation time.
 */
final class LayerSplit {
  private final List<Measurement.LayerRow> rows = new ArrayList<>();
  private double linearMs;
  private double activationMs;
  private double offlineActivationMs;
  private long activationBytes;
  private long activationRounds;

  /**
   * One layer. {@code onlineMs}, {@code onlineBytes}: party 1's; {@code hasActivation}: either
   * party timed an activation in it; {@code linearCpuMs}: the computing party's CPU time in the
   * ring product; {@code rounds}, {@code activationRounds}: the larger count of the two parties.
   */
  void add(
      String layer,
      String kind,
      double onlineMs,
      boolean hasActivation,
      double linearCpuMs,
      double offlineActMs,
      long onlineBytes,
      long rounds,
      long actBytes,
      long actRounds) {
    double onAct = activationShare(onlineMs, hasActivation, kind.equals("Relu"), linearCpuMs);
    rows.add(
        new Measurement.LayerRow(layer, kind, onlineMs, onAct, onlineBytes, rounds, offlineActMs));
    linearMs += onlineMs - onAct;
    activationMs += onAct;
    offlineActivationMs += offlineActMs;
    activationBytes += actBytes;
    activationRounds += actRounds;
  }

  /**
   * The activation part of a layer's online time on the client's clock: all of it for a ReLU layer;
   * for a conv/linear layer with an activation, the layer time minus the ring product, timed as the
   * computing party's CPU time (with owner-held weights party 0 computes while the client is
   * already waiting inside the activation); nothing for other layers.
   */
  static double activationShare(
      double layerMs, boolean hasActivation, boolean wholeLayer, double linearCpuMs) {
    if (wholeLayer) {
      return layerMs;
    }
    if (!hasActivation) {
      return 0;
    }
    return Math.max(0, layerMs - Math.min(layerMs, linearCpuMs));
  }

  /** The measurement of one inference with these layers and the whole-inference figures. */
  Measurement measurement(
      double setupMs,
      double offlineMs,
      double onlineMs,
      long onlineBytes01,
      long onlineBytes10,
      long offlineBytes01,
      long offlineBytes10,
      long setupBytes,
      long dealerBytes0,
      long dealerBytes1,
      long onlineRounds) {
    return new Measurement(
        setupMs,
        offlineMs,
        onlineMs,
        linearMs,
        activationMs,
        offlineActivationMs,
        onlineBytes01,
        onlineBytes10,
        offlineBytes01,
        offlineBytes10,
        setupBytes,
        dealerBytes0,
        dealerBytes1,
        onlineRounds,
        activationBytes,
        activationRounds,
        List.copyOf(rows));
  }
}
