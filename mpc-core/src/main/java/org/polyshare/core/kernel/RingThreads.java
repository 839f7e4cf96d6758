package org.polyshare.core.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The kernels' thread pool: {@code threads − 1} fixed daemon workers plus the calling thread. One
 * per process ({@link #shared()}, sized once at startup by {@link #configure} from {@code
 * --threads}, all cores by default); no thread is created per call.
 *
 * <p>{@link #forEachBlock} cuts {@code [0, count)} into at most {@code threads} contiguous blocks
 * of at least {@code grain} items. The blocks are claimed from one counter by the caller and by the
 * helpers it queued, so a caller never waits for a block nobody has started: it runs the unclaimed
 * ones itself. That makes nested calls (a kernel inside a block) and concurrent callers (both
 * parties of an in-process run share the pool) deadlock-free, and a busy pool degrades to the
 * single-thread path rather than stalling it. The block bounds depend only on {@code count}, {@code
 * grain} and the thread count, never on scheduling; the kernels' blocks write disjoint outputs, and
 * ring arithmetic is exact, so results are bit-identical for every thread count.
 *
 * <p><b>No oversubscription under concurrent callers.</b> The pool counts the threads that are
 * running blocks ({@code running}: callers and helpers inside a claim loop, single-block calls
 * included). A helper that would raise that count above {@code threads} returns without claiming
 * anything, leaving the blocks to their caller. In process both parties call one pool from their
 * own threads: when both compute, each runs its blocks inline (two busy threads on two cores, not
 * two callers plus helpers); when one waits on the link, it is not counted, and the helpers work
 * for the other. Only who runs a block changes, never the blocks, so results stay bit-identical.
 */
public final class RingThreads implements AutoCloseable {
  /** A contiguous block {@code [from, to)} of the work. */
  @FunctionalInterface
  public interface Block {
    void run(int from, int to);
  }

  /** Everything on the calling thread: for work already inside a block. */
  static final RingThreads INLINE = new RingThreads(1);

  /** The pool {@link #shared()} answers on this thread inside {@link #onCallingThread}. */
  private static final ThreadLocal<RingThreads> LOCAL = new ThreadLocal<>();

  private static final Object LOCK = new Object();
  private static int configured;
  private static volatile RingThreads shared;

  private final int threads;
  private final ThreadPoolExecutor helpers;

  /** Threads running blocks now (callers and helpers); helpers stay out above {@code threads}. */
  private final AtomicInteger running = new AtomicInteger();

  /** A pool of {@code threads} threads in all (the caller included); 1 runs everything inline. */
  public RingThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("kernel threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    if (threads == 1) {
      this.helpers = null;
    } else {
      AtomicInteger id = new AtomicInteger();
      this.helpers =
          new ThreadPoolExecutor(
              threads - 1,
              threads - 1,
              0L,
              TimeUnit.MILLISECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "ring-kernel-" + id.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      helpers.prestartAllCoreThreads();
    }
  }

  /**
   * Sets the process pool's size before its first use ({@code --threads}); {@code 0} means all
   * cores. Repeating the same size is allowed; another size after the pool exists is refused.
   */
  public static void configure(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be >= 0 (0 = all cores), got " + threads);
    }
    int n = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    synchronized (LOCK) {
      if (shared != null && shared.threads != n) {
        throw new IllegalStateException(
            "kernel pool already runs "
                + shared.threads
                + " threads; --threads "
                + n
                + " must be set once, before the first kernel call");
      }
      configured = n;
    }
  }

  /**
   * The process pool: {@link #configure}d size, else all cores; inside {@link #onCallingThread}, on
   * that thread, the single-thread pool.
   */
  public static RingThreads shared() {
    RingThreads local = LOCAL.get();
    if (local != null) {
      return local;
    }
    RingThreads s = shared;
    if (s != null) {
      return s;
    }
    synchronized (LOCK) {
      if (shared == null) {
        shared =
            new RingThreads(
                configured > 0 ? configured : Runtime.getRuntime().availableProcessors());
      }
      return shared;
    }
  }

  /**
   * Runs {@code body} with every kernel it calls on the calling thread alone ({@link #shared()}
   * answers a one-thread pool there): a single-thread figure, e.g. a plaintext reference, in the
   * same process as a multi-thread run. No thread is created; other threads keep the process pool,
   * and this thread gets it back on return.
   */
  public static <T> T onCallingThread(Supplier<T> body) {
    RingThreads before = LOCAL.get();
    LOCAL.set(INLINE);
    try {
      return body.get();
    } finally {
      if (before == null) {
        LOCAL.remove();
      } else {
        LOCAL.set(before);
      }
    }
  }

  public int threads() {
    return threads;
  }

  /**
   * Runs {@code body} over {@code [0, count)} in at most {@link #threads} contiguous blocks of at
   * least {@code grain} items each, returning when all are done; a block's exception is rethrown.
   */
  public void forEachBlock(int count, int grain, Block body) {
    int blocks = blocks(count, grain);
    if (blocks <= 1) {
      if (count > 0) {
        runCounted(body, count);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(blocks);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable claim =
        () -> {
          int b;
          while ((b = next.getAndIncrement()) < blocks) {
            try {
              body.run(bound(b, blocks, count), bound(b + 1, blocks, count));
            } catch (Throwable t) {
              failure.compareAndSet(null, t);
            } finally {
              done.countDown();
            }
          }
        };
    Runnable helper =
        () -> {
          if (running.incrementAndGet() <= threads) {
            claim.run();
          }
          running.decrementAndGet();
        };
    // The caller counts itself before any helper can look, and always claims: its blocks never
    // wait for a helper.
    running.incrementAndGet();
    for (int h = 1; h < blocks; h++) {
      helpers.execute(helper);
    }
    try {
      claim.run();
    } finally {
      running.decrementAndGet(); // from here it only waits, leaving its core to others
    }
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the blocks write into the caller's arrays: wait them out regardless
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }

  /** A single-block call: run inline, counted so that helpers see this thread's core as taken. */
  private void runCounted(Block body, int count) {
    if (helpers == null) {
      body.run(0, count);
      return;
    }
    running.incrementAndGet();
    try {
      body.run(0, count);
    } finally {
      running.decrementAndGet();
    }
  }

  /** Threads running blocks right now (for tests). */
  int running() {
    return running.get();
  }

  /** How many blocks {@link #forEachBlock} uses for {@code count} items of {@code grain}. */
  public int blocks(int count, int grain) {
    if (helpers == null || count <= 0) {
      return 1;
    }
    long byGrain = count / Math.max(1, grain);
    return (int) Math.max(1, Math.min(threads, byGrain));
  }

  /**
   * Start of block {@code b} of {@code blocks} over {@code count}: an even split (sizes differ by
   * at most one).
   */
  static int bound(int b, int blocks, int count) {
    return (int) ((long) count * b / blocks);
  }

  /** Live helper threads (for tests: the pool never grows). */
  int helperThreads() {
    return helpers == null ? 0 : helpers.getPoolSize();
  }

  /**
   * Stops the helpers of a private pool; the {@link #shared()} pool lives as long as the process.
   */
  @Override
  public void close() {
    if (this == shared) {
      throw new IllegalStateException("the shared kernel pool is not closed");
    }
    if (helpers != null) {
      helpers.shutdown();
    }
  }
}
