package org.polyshare.bench.ops;

import org.polyshare.bench.harness.PhaseCost;

/** One party's side of an op after setup: an offline and an online step. */
public interface OpSession {
  /** Offline: the op's input-independent precomputation (the dealer's material comes first). */
  default void prepare() {}

  /** Online: the op on party 1's shared input; returns this party's share of the result. */
  long[] online(long[] inputShare);

  /** The ring product inside the last {@link #online}, for ops that have one. */
  default PhaseCost linear() {
    return PhaseCost.NONE;
  }
}
