package org.polyshare.core.gc;

/** One role's precomputed material of a {@link GcOffline}; immutable once made. */
sealed interface GcMaterial permits GarblerMaterial, EvaluatorMaterial {
  int partyId();

  /** Bytes of precomputed material held (memory, not traffic). */
  long storedBytes();
}
