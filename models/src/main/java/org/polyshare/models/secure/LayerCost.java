package org.polyshare.models.secure;

/**
 * What one phase of one layer cost one party: wall time, this thread's CPU time, bytes sent plus
 * received on the party link, and rounds (see {@link org.polyshare.core.link.LinkStats}).
 */
public record LayerCost(long wallNanos, long cpuNanos, long bytes, long rounds) {
  public static final LayerCost ZERO = new LayerCost(0, 0, 0, 0);

  /** Both phases together (for phases that follow each other, e.g. setup and offline). */
  public LayerCost plus(LayerCost o) {
    return new LayerCost(
        wallNanos + o.wallNanos, cpuNanos + o.cpuNanos, bytes + o.bytes, rounds + o.rounds);
  }
}
