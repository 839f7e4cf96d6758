package org.polyshare.models.train;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a range of minibatch samples over a few worker threads. Each worker gets a contiguous
 * block and its index, so it can accumulate gradients into its own buffer (summed afterwards): no
 * locks and no false sharing in the kernels.
 */
public final class Parallel implements AutoCloseable {

  /** Work on samples {@code [lo, hi)} by worker {@code worker}. */
  @FunctionalInterface
  public interface Body {
    void run(int lo, int hi, int worker);
  }

  private final int threads;
  private final ExecutorService pool;

  public Parallel(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    this.pool =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads - 1,
                new ThreadFactoryBuilder()
                    .setNameFormat("polyshare-train")
                    .setDaemon(true)
                    .build());
  }

  public int threads() {
    return threads;
  }

  /** Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} blocks. */
  public void forRange(int n, Body body) {
    int parts = Math.min(threads, n);
    if (parts <= 1) {
      body.run(0, n, 0);
      return;
    }
    List<Future<?>> futures = new ArrayList<>(parts - 1);
    for (int w = 1; w < parts; w++) {
      int lo = (int) ((long) n * w / parts), hi = (int) ((long) n * (w + 1) / parts);
      int worker = w;
      futures.add(pool.submit(() -> body.run(lo, hi, worker)));
    }
    body.run(0, (int) ((long) n / parts), 0); // the caller does block 0
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("training interrupted", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException re) {
          throw re;
        }
        if (c instanceof Error er) {
          throw er;
        }
        throw new IllegalStateException(c);
      }
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
