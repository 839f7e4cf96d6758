package org.polyshare.core.link;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs the two parties of a protocol on two threads over an {@link InMemoryLink} pair and returns
 * both results. A failure on either side closes both links so the other side fails fast too.
 */
public final class TwoParties {
  private TwoParties() {}

  /** The two parties' results. */
  public record Result<T>(
      T party0, T party1, LinkStats.Snapshot stats0, LinkStats.Snapshot stats1) {}

  public static <T> Result<T> run(Function<PartyLink, T> party0, Function<PartyLink, T> party1) {
    return run(InMemoryLink.DEFAULT_TIMEOUT, party0, party1);
  }

  public static <T> Result<T> run(
      Duration timeout, Function<PartyLink, T> party0, Function<PartyLink, T> party1) {
    InMemoryLink[] links = InMemoryLink.pair(timeout);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            2,
            new ThreadFactoryBuilder().setNameFormat("in-process-party").setDaemon(true).build());
    try {
      Future<T> f0 = pool.submit(() -> guarded(party0, links[0]));
      Future<T> f1 = pool.submit(() -> guarded(party1, links[1]));
      long waitMs = timeout.toMillis() * 4 + 1000;
      Outcome<T> o0 = await(f0, waitMs);
      Outcome<T> o1 = await(f1, waitMs);
      // When one side fails, the other usually fails with a closed link: report the root cause.
      Throwable failure = rootFailure(o0.failure, o1.failure);
      if (failure instanceof RuntimeException re) {
        throw re;
      }
      if (failure instanceof Error err) {
        throw err;
      }
      return new Result<>(
          o0.value, o1.value, links[0].stats().snapshot(), links[1].stats().snapshot());
    } finally {
      links[0].close();
      links[1].close();
      pool.shutdownNow();
    }
  }

  private record Outcome<T>(T value, Throwable failure) {}

  private static <T> Outcome<T> await(Future<T> f, long waitMs) {
    try {
      return new Outcome<>(f.get(waitMs, TimeUnit.MILLISECONDS), null);
    } catch (ExecutionException e) {
      return new Outcome<>(null, e.getCause());
    } catch (TimeoutException e) {
      f.cancel(true);
      return new Outcome<>(
          null, new LinkTimeoutException("in-process party did not finish in time"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome<>(null, new IllegalStateException("interrupted", e));
    }
  }

  private static Throwable rootFailure(Throwable a, Throwable b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a instanceof LinkClosedException && !(b instanceof LinkClosedException) ? b : a;
  }

  private static <T> T guarded(Function<PartyLink, T> body, InMemoryLink link) {
    try {
      return body.apply(link);
    } catch (RuntimeException | Error e) {
      link.close();
      throw e;
    }
  }
}
