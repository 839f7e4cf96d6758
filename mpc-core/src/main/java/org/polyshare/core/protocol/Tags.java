package org.polyshare.core.protocol;

/**
 * Link tags used by the arithmetic protocols (range 100–199). Messages under one tag are FIFO and
 * both parties run the same op sequence, so one tag per op kind suffices; distinct tags make a
 * desynchronised pair fail with a clear protocol error instead of mixing payloads. Other protocol
 * families (garbled circuits, dealer traffic) use their own ranges.
 */
public final class Tags {
  private Tags() {}

  public static final int SHARE = 101;
  public static final int OPEN = 102;
  public static final int REVEAL = 103;

  /** The Beaver product over any bilinear map (elementwise, matmul, conv2d). */
  public static final int PRODUCT = 104;

  public static final int SQUARE = 105;
  public static final int TRUNCATE = 108;
  public static final int FIXED_WEIGHT_SETUP = 109;
  public static final int FIXED_WEIGHT_ONLINE = 110;

  /** The masked input of an FSS ReLU ({@code org.polyshare.core.fss.FssRelu}). */
  public static final int FSS_RELU = 111;

  /** The masked sign (and borrow) bits of an FSS ReLU's second round. */
  public static final int FSS_RELU_BITS = 131;

  /** The single opening of a fused truncate-and-power ({@link FusedPower}). */
  public static final int FUSED_POWER = 112;

  /**
   * Party 1's half of a {@link Truncation} or {@link FusedPower} opening sent in the offline phase,
   * where its share of the opened value is known before the input ({@link Truncation#openEarly}).
   */
  public static final int EARLY_HALF = 141;
}
