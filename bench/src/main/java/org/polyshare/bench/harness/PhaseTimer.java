package org.polyshare.bench.harness;

import org.polyshare.core.link.LinkStats;

/**
 * Measures one phase on the calling thread: wall clock, the thread's CPU time and, given a link's
 * counters, the bytes and rounds of the phase. Start and stop on the same thread.
 */
public final class PhaseTimer {
  private final LinkStats stats;
  private final LinkStats.Snapshot traffic0;
  private final long cpu0;
  private final long wall0;

  private PhaseTimer(LinkStats stats) {
    this.stats = stats;
    this.traffic0 = stats == null ? null : stats.snapshot();
    this.cpu0 = Cpu.threadNanos();
    this.wall0 = System.nanoTime();
  }

  /** A phase without link traffic. */
  public static PhaseTimer start() {
    return new PhaseTimer(null);
  }

  /** A phase whose traffic is read from {@code stats} (the difference of two snapshots). */
  public static PhaseTimer start(LinkStats stats) {
    if (stats == null) {
      throw new IllegalArgumentException(
          "link stats must not be null; use start() for a phase without a link");
    }
    return new PhaseTimer(stats);
  }

  public PhaseCost stop() {
    long wall = System.nanoTime() - wall0;
    long cpu = Cpu.threadNanos() - cpu0;
    return new PhaseCost(
        wall, cpu, stats == null ? PhaseCost.NO_TRAFFIC : stats.snapshot().minus(traffic0));
  }
}
