package org.polyshare.core.gc;

/**
 * Party 0's offline material for {@code n} instances of {@code k} values: Δ, the zero-labels of its
 * online input {@code a} (2 longs per bit, layout of {@link SharedGc}) and its output masks {@code
 * r}. The garbled tables went to party 1.
 */
record GarblerMaterial(long deltaLo, long deltaHi, long[] aZero, long[] mask)
    implements GcMaterial {
  @Override
  public int partyId() {
    return 0;
  }

  @Override
  public long storedBytes() {
    return 8L * (aZero.length + mask.length);
  }
}
