package org.polyshare.bench.compare;

import java.util.concurrent.locks.LockSupport;
import org.polyshare.core.correlation.Correlation;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.CorrelationSource;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.link.NetworkProfile;

/**
 * An in-process dealer's source for one party, delayed as if the dealer sat across a link with
 * the given {@link NetworkProfile} — the dealer↔party counterpart of
 * {@link org.polyshare.core.link.ShapedLink}, for the in-process mode of {@code bench compare}.
 *
 * <p>Model (that of the networked dealer, which streams a submitted plan): at {@link #beginBatch}
 * the party's plan goes up (half a round trip); the dealer then streams its messages back to back
 * on one wire, message {@code k} of {@code b_k} bytes departing at
 * {@code max(wireFree, planArrival) + 8·b_k / bandwidth} and arriving half a round trip later.
 * {@link #next} returns no earlier than its message's arrival; the local PRG expansion runs on
 * the caller's thread as before. Bytes are the dealer's wire bytes (seed or correction).
 */
final class ShapedDealerSource implements CorrelationSource {
  private final InProcessDealer dealer;
  private final CorrelationSource inner;
  private final NetworkProfile profile;
  private final long halfRtt;
  private long wireFreeAt;

  ShapedDealerSource(InProcessDealer dealer, int partyId, NetworkProfile profile) {
    this.dealer = dealer;
    this.inner = dealer.source(partyId);
    this.profile = profile;
    this.halfRtt = profile.roundTrip().toNanos() / 2;
    beginBatch();
  }

  /** The party submits the next batch of its plan now; the dealer starts streaming on arrival. */
  void beginBatch() {
    wireFreeAt = System.nanoTime() + halfRtt;
  }

  @Override
  public int partyId() {
    return inner.partyId();
  }

  @Override
  public Correlation next(CorrelationRequest request) {
    if (!profile.shaped()) {
      return inner.next(request);
    }
    long before = dealer.trafficTo(inner.partyId()).bytes();
    Correlation c = inner.next(request);
    long bytes = dealer.trafficTo(inner.partyId()).bytes() - before;
    long serialize =
        profile.bitsPerSecond() == 0 ? 0 : bytes * 8L * 1_000_000_000L / profile.bitsPerSecond();
    wireFreeAt += serialize;
    long arrive = wireFreeAt + halfRtt;
    for (long wait; (wait = arrive - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(wait);
    }
    return c;
  }
}
