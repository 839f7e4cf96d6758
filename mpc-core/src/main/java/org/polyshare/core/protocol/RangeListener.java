package org.polyshare.core.protocol;

/**
 * Told, range by range in increasing order, which elements of an online result are final: an
 * opening whose pieces arrive one after the other ({@link Truncation#finish(Party,
 * Truncation.Prepared, long[], RangeListener)}, {@link FusedPower#power(Party, FusedPower.Prepared,
 * long[], RangeListener)}) hands each finished range to the next protocol step before the rest is
 * in, so that step's message can leave while the opening is still on the wire.
 */
@FunctionalInterface
public interface RangeListener {
  /** Nothing to do with the ranges. */
  RangeListener NONE = (out, from, to) -> {};

  /**
   * {@code out[from, to)} is final; the ranges of one result are contiguous, start at 0 and end at
   * {@code out.length}. The listener must not change {@code out}.
   */
  void ready(long[] out, int from, int to);
}
