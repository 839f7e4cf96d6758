package org.polyshare.core.gc;

/**
 * Party 1's offline material for {@code n} instances: its random {@code s} (one word per value),
 * the active labels of {@code s} and of party 0's {@code u}, the decoding words, the garbled tables
 * per chunk of {@link SharedGc#CHUNK} instances, and the garbling's tweak nonce.
 */
record EvaluatorMaterial(
    long[] s, long[] sActive, long[] uActive, long[] decode, long[][] tables, long nonce)
    implements GcMaterial {
  @Override
  public int partyId() {
    return 1;
  }

  @Override
  public long storedBytes() {
    long longs = s.length + sActive.length + uActive.length + decode.length;
    for (long[] t : tables) {
      longs += t.length;
    }
    return 8 * longs;
  }
}
