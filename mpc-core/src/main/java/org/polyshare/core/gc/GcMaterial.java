package org.polyshare.core.gc;

/**
 * One role's precomputed material of a {@link GcOffline}: a few words per instance on the heap, the
 * bulk (tables, labels) in a {@link org.polyshare.core.store.LongFile} of the party's material
 * store. Immutable once made; {@link #close} releases the file.
 */
sealed interface GcMaterial permits GarblerMaterial, EvaluatorMaterial {
  int partyId();

  /** Bytes of precomputed material held (memory and file, not traffic). */
  long storedBytes();

  /** The part of {@link #storedBytes} on the Java heap: per-instance words, none per gate. */
  long heapBytes();

  /** Removes the file part; idempotent. */
  void close();
}
