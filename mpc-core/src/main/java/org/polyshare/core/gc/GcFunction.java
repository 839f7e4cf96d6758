package org.polyshare.core.gc;

/**
 * A function of {@code k} additively shared 64-bit values per instance, garbled in the shared-input
 * layout of {@link SharedGc}: its circuit and the message tags of its family. Made by {@link
 * GcRelu#function} and {@link GcMaxPool#function}.
 */
public final class GcFunction {
  final Circuit circuit;
  final int k;
  final SharedGc.Tags tags;

  GcFunction(Circuit circuit, int k, SharedGc.Tags tags) {
    SharedGc.checkCircuit(circuit, k);
    this.circuit = circuit;
    this.k = k;
    this.tags = tags;
  }

  public Circuit circuit() {
    return circuit;
  }

  /** Shared 64-bit values per instance (1 for a ReLU, the window for a max). */
  public int valuesPerInstance() {
    return k;
  }

  @Override
  public String toString() {
    return circuit.name();
  }
}
