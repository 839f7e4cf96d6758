package org.polyshare.bench.harness;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the calling thread. On a shared machine it is the steadier figure: wall time also
 * counts the time other processes hold the core.
 */
public final class Cpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported();

  private Cpu() {}

  /** Whether this JVM measures thread CPU time; if not, {@link #threadNanos()} is always 0. */
  public static boolean supported() {
    return SUPPORTED;
  }

  /** This thread's CPU time in nanoseconds (0 when the JVM cannot measure it). */
  public static long threadNanos() {
    return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : 0;
  }
}
