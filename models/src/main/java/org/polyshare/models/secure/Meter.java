package org.polyshare.models.secure;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.polyshare.core.link.LinkStats;

/** Measures one phase on the calling thread: wall clock, thread CPU, link bytes and rounds. */
final class Meter {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final LinkStats stats;
  private final LinkStats.Snapshot traffic0;
  private final long cpu0;
  private final long wall0;

  private Meter(LinkStats stats) {
    this.stats = stats;
    this.traffic0 = stats.snapshot();
    this.cpu0 = THREADS.getCurrentThreadCpuTime();
    this.wall0 = System.nanoTime();
  }

  static Meter start(LinkStats stats) {
    return new Meter(stats);
  }

  LayerCost stop() {
    long wall = System.nanoTime() - wall0;
    long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
    LinkStats.Snapshot d = stats.snapshot().minus(traffic0);
    return new LayerCost(wall, cpu, d.bytesSent() + d.bytesReceived(), d.rounds());
  }
}
