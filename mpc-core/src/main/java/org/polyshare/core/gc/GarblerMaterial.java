package org.polyshare.core.gc;

import org.polyshare.core.store.LongFile;

/**
 * Party 0's offline material for {@code n} instances of {@code k} values: Δ, the zero-labels of its
 * online input {@code a} (2 longs per bit, layout of {@link SharedGc}; 1 KiB per value, so in the
 * material store) and its output masks {@code r} (heap). The garbled tables went to party 1.
 */
record GarblerMaterial(long deltaLo, long deltaHi, LongFile aZero, long[] mask)
    implements GcMaterial {
  @Override
  public int partyId() {
    return 0;
  }

  @Override
  public long storedBytes() {
    return 8L * (aZero.length() + mask.length);
  }

  @Override
  public long heapBytes() {
    return 8L * mask.length;
  }

  @Override
  public void close() {
    aZero.close();
  }
}
