package org.polyshare.core.gc;

import org.polyshare.core.store.LongFile;

/**
 * Party 1's offline material for {@code n} instances: on the heap its random {@code s} (one word
 * per value) and the decoding words (one per instance), and the garbling's tweak nonce; in the
 * material store, per chunk of {@link SharedGc#CHUNK} instances, one record (see {@link
 * SharedEvaluator}): the garbled tables, the active labels of {@code s}, those of party 0's {@code
 * u}.
 */
record EvaluatorMaterial(long[] s, long[] decode, LongFile chunks, long nonce)
    implements GcMaterial {
  @Override
  public int partyId() {
    return 1;
  }

  @Override
  public long storedBytes() {
    return 8L * (s.length + decode.length + chunks.length());
  }

  @Override
  public long heapBytes() {
    return 8L * (s.length + decode.length);
  }

  @Override
  public void close() {
    chunks.close();
  }
}
