package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import org.polyshare.core.protocol.Party;

/**
 * One party's precomputed garbled-circuit material for {@code n} instances of a {@link GcFunction}
 * (ReLU or max-pool alike): party 0 holds a {@link GarblerMaterial}, party 1 an {@link
 * EvaluatorMaterial}. Single use: one online call consumes it (evaluating a garbled circuit on two
 * inputs leaks) and removes its file from the party's {@link
 * org.polyshare.core.store.MaterialStore}; {@link #close} does the same for material that will not
 * be used.
 */
public class GcOffline implements AutoCloseable {
  final GcFunction function;
  final int n;
  final GcMaterial material;
  private boolean used;

  GcOffline(GcFunction function, int n, GcMaterial material) {
    this.function = function;
    this.n = n;
    this.material = material;
  }

  /** For the {@link GcRelu.Offline} alias: takes over {@code other}, which is then discarded. */
  GcOffline(GcOffline other) {
    this(other.function, other.n, other.material);
    this.used = other.used;
  }

  public final int partyId() {
    return material.partyId();
  }

  /** Number of instances prepared (ReLUs, pooling windows). */
  public final int size() {
    return n;
  }

  public final GcFunction function() {
    return function;
  }

  /** Whether an online call has consumed this material. */
  public final boolean isUsed() {
    return used;
  }

  /** Bytes of precomputed material this party holds (heap and file, not traffic). */
  public final long storedBytes() {
    return material.storedBytes();
  }

  /**
   * The part of {@link #storedBytes} on the Java heap: a few words per instance (masks, decoding
   * words, the evaluator's {@code s}), nothing per gate; the rest is in the material store.
   */
  public final long heapBytes() {
    return material.heapBytes();
  }

  /** Removes this material's file (after use, or unused); idempotent. */
  @Override
  public final void close() {
    material.close();
  }

  /**
   * Checks that this material fits an online call of {@code party} in protocol family {@code
   * family} on {@code shares} and marks it used; returns the role's material.
   */
  final <M extends GcMaterial> M consume(
      Party party, SharedGc.Tags family, long[] shares, Class<M> role) {
    Preconditions.checkArgument(
        partyId() == party.id(),
        "offline material of party %s given to party %s",
        partyId(),
        party.id());
    Preconditions.checkArgument(
        function.tags.equals(family),
        "offline material of %s given to an online call of another garbled-circuit family",
        function);
    Preconditions.checkArgument(
        shares.length == (long) n * function.k,
        "%s shares given but the offline phase prepared %s instances of %s values",
        shares.length,
        n,
        function.k);
    Preconditions.checkState(
        !used, "this garbled-circuit material was already used; prepare fresh material per call");
    used = true;
    return role.cast(material);
  }

  @Override
  public String toString() {
    return "GcOffline["
        + function
        + ", party "
        + partyId()
        + ", "
        + n
        + " instances"
        + (used ? ", used]" : "]");
  }
}
