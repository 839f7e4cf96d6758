package org.polyshare.core.net;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM for a server process: a JVM shutdown hook that drains the server (stop accepting, let
 * running sessions finish up to the drain timeout, end the rest with an error to their peers) and
 * then ends the JVM with the {@link DrainReport#exitCode}. A shutdown hook cannot call {@code
 * System.exit}; {@code Runtime.halt} sets the status the supervisor sees, which would be 143 for
 * any SIGTERM otherwise.
 *
 * <p>When the server stops on its own first (e.g. after {@code --max-sessions}), the main thread
 * calls {@link #serverStopped} and the hook, run by that exit, does nothing.
 */
public final class GracefulShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

  private static final int SERVING = 0;
  private static final int DRAINING = 1;
  private static final int STOPPED = 2;

  private final AtomicInteger state = new AtomicInteger(SERVING);
  private final CountDownLatch never = new CountDownLatch(1);

  private GracefulShutdown() {}

  /**
   * Installs the hook. {@code drain} is the server's drain method; {@code name} prefixes the log
   * lines, e.g. {@code "dealer"}.
   */
  public static GracefulShutdown install(
      String name, Function<Duration, DrainReport> drain, Duration timeout) {
    GracefulShutdown g = new GracefulShutdown();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (!g.state.compareAndSet(SERVING, DRAINING)) {
                    return;
                  }
                  LOG.info(
                      "{}: shutting down: no new connections; running sessions may finish within {} s (--drain-timeout)",
                      name,
                      timeout.toSeconds());
                  int code;
                  try {
                    DrainReport r = drain.apply(timeout);
                    code = r.exitCode();
                    LOG.info("{}: drained: {}; exit code {}", name, r, code);
                  } catch (RuntimeException e) {
                    code = 1;
                    LOG.error("{}: the drain failed: {}", name, e.toString());
                  }
                  System.out.flush();
                  System.err.flush();
                  Runtime.getRuntime().halt(code);
                },
                name + "-shutdown"));
    return g;
  }

  /**
   * As above, then closes {@code afterDrain} (e.g. the metrics endpoint; null for none) before the
   * JVM ends.
   */
  public static GracefulShutdown install(
      String name,
      Function<Duration, DrainReport> drain,
      Duration timeout,
      AutoCloseable afterDrain) {
    return install(
        name,
        t -> {
          DrainReport r = drain.apply(t);
          if (afterDrain != null) {
            try {
              afterDrain.close();
            } catch (Exception e) {
              LOG.warn("{}: closing {} after the drain failed: {}", name, afterDrain, e.toString());
            }
          }
          return r;
        },
        timeout);
  }

  /**
   * The server stopped on its own: the hook will not drain. If a drain already runs, this waits for
   * it to end the JVM (and never returns), so the caller does not close what it drains.
   */
  public void serverStopped() throws InterruptedException {
    if (!state.compareAndSet(SERVING, STOPPED)) {
      never.await();
    }
  }

  /** For a server that only stops on a signal: blocks until the hook ends the JVM. */
  public void awaitSignal() throws InterruptedException {
    never.await();
  }
}
