package org.polyshare.models.secure;

import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.calib.Headroom;

/**
 * Evaluation options of a {@link SecureModel}. {@code relu}: the ReLU arm (garbled circuits or
 * FSS). {@code fusedPolyKerv} (on by default): each PolyKerv truncates and raises to its power in
 * ONE opening ({@link org.polyshare.core.protocol.FusedPower}) and, where its readers and the scale
 * budget allow, carries the power at {@code dp·f} bits into the readers' own truncation ({@link
 * CarryPlan}); LOCAL truncation, or off, keeps the square-and-multiply chain. {@code handOff} (on
 * by default): party 1 streams the next owner-held products' masked inputs while an opening arrives
 * ({@link HandOff}); off sends each in its own layer's step (the same messages, later).
 */
public record SecureOptions(
    TruncationMode truncation,
    boolean headroomGuard,
    int marginBits,
    int calibrationSamples,
    ReluMode relu,
    boolean fusedPolyKerv,
    boolean handOff) {
  public SecureOptions {
    if (relu == null) {
      throw new IllegalArgumentException("the ReLU mode is required (gc or fss)");
    }
  }

  /** The garbled-circuit ReLU arm, PolyKerv fused. */
  public SecureOptions(
      TruncationMode truncation, boolean headroomGuard, int marginBits, int calibrationSamples) {
    this(truncation, headroomGuard, marginBits, calibrationSamples, ReluMode.GC, true, true);
  }

  public static SecureOptions defaults() {
    return new SecureOptions(TruncationMode.DEALER, true, Headroom.DEFAULT_MARGIN_BITS, 4);
  }

  public SecureOptions withGuard(boolean on) {
    return new SecureOptions(
        truncation, on, marginBits, calibrationSamples, relu, fusedPolyKerv, handOff);
  }

  public SecureOptions withTruncation(TruncationMode m) {
    return new SecureOptions(
        m, headroomGuard, marginBits, calibrationSamples, relu, fusedPolyKerv, handOff);
  }

  public SecureOptions withRelu(ReluMode m) {
    return new SecureOptions(
        truncation, headroomGuard, marginBits, calibrationSamples, m, fusedPolyKerv, handOff);
  }

  public SecureOptions withFusedPolyKerv(boolean on) {
    return new SecureOptions(
        truncation, headroomGuard, marginBits, calibrationSamples, relu, on, handOff);
  }

  public SecureOptions withHandOff(boolean on) {
    return new SecureOptions(
        truncation, headroomGuard, marginBits, calibrationSamples, relu, fusedPolyKerv, on);
  }
}
