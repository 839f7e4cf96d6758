package org.polyshare.bench.harness;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.TwoParties;

/**
 * The two parties of a benchmark on two threads over an in-memory link pair, sharing one {@link
 * Barrier}. A party that fails abandons the barrier, and the first failure is the one reported (not
 * the other party's broken barrier or closed link).
 */
public final class TwoPartyRun {
  private TwoPartyRun() {}

  /** What a party sees: its id, its end of the link and the barrier shared with the other. */
  public record PartyContext(int id, PartyLink link, Barrier barrier) {}

  /** One party's side of a benchmark. */
  @FunctionalInterface
  public interface PartyBody<T> {
    T run(PartyContext ctx);
  }

  /** {@code timeout} bounds every receive on the link and every wait at the barrier. */
  public static <T> TwoParties.Result<T> run(
      Duration timeout, PartyBody<T> party0, PartyBody<T> party1) {
    Barrier barrier = new Barrier(timeout);
    AtomicReference<Throwable> first = new AtomicReference<>();
    try {
      return TwoParties.run(
          timeout,
          link -> guarded(party0, new PartyContext(0, link, barrier), first),
          link -> guarded(party1, new PartyContext(1, link, barrier), first));
    } catch (RuntimeException | Error e) {
      Throwable root = first.get();
      if (root == null || root == e) {
        throw e;
      }
      if (root instanceof RuntimeException re) {
        throw re;
      }
      throw (Error) root;
    }
  }

  private static <T> T guarded(
      PartyBody<T> body, PartyContext ctx, AtomicReference<Throwable> first) {
    try {
      return body.run(ctx);
    } catch (RuntimeException | Error e) {
      if (first.compareAndSet(null, e)) {
        ctx.barrier().abandon();
      }
      throw e;
    }
  }
}
