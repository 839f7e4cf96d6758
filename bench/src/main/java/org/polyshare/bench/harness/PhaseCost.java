package org.polyshare.bench.harness;

import org.polyshare.core.link.LinkStats;

/**
 * What one phase cost one party: wall time, the thread's CPU time and the traffic on its link
 * (payload bytes each way and rounds, see {@link LinkStats}).
 */
public record PhaseCost(long wallNanos, long cpuNanos, LinkStats.Snapshot traffic) {
  /** No traffic: for phases without a link (plaintext references, kernels). */
  public static final LinkStats.Snapshot NO_TRAFFIC = new LinkStats.Snapshot(0, 0, 0, 0, 0);

  /** A phase that did not happen (e.g. the linear part of an op that has none). */
  public static final PhaseCost NONE = new PhaseCost(0, 0, NO_TRAFFIC);

  public PhaseCost {
    if (traffic == null) {
      throw new IllegalArgumentException("traffic must not be null; use PhaseCost.NO_TRAFFIC");
    }
  }

  public double wallMs() {
    return wallNanos / 1e6;
  }

  public double cpuMs() {
    return cpuNanos / 1e6;
  }

  public long bytesSent() {
    return traffic.bytesSent();
  }

  public long bytesReceived() {
    return traffic.bytesReceived();
  }

  public long rounds() {
    return traffic.rounds();
  }

  /** Two parts of one phase added up (e.g. the engine calls of a phase timed one by one). */
  public PhaseCost plus(PhaseCost o) {
    LinkStats.Snapshot a = traffic;
    LinkStats.Snapshot b = o.traffic;
    return new PhaseCost(
        wallNanos + o.wallNanos,
        cpuNanos + o.cpuNanos,
        new LinkStats.Snapshot(
            a.bytesSent() + b.bytesSent(),
            a.bytesReceived() + b.bytesReceived(),
            a.messagesSent() + b.messagesSent(),
            a.messagesReceived() + b.messagesReceived(),
            a.rounds() + b.rounds()));
  }

  /** The faster of two runs on each clock separately (for short, easily disturbed references). */
  public static PhaseCost best(PhaseCost a, PhaseCost b) {
    return new PhaseCost(
        Math.min(a.wallNanos, b.wallNanos), Math.min(a.cpuNanos, b.cpuNanos), a.traffic);
  }
}
