package org.polyshare.core.correlation;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.polyshare.core.link.NetworkProfile;

/**
 * A party's {@link CorrelationSource} delayed as if the dealer sat across a link with the given
 * {@link NetworkProfile}: the dealer→party counterpart of {@link
 * org.polyshare.core.link.ShapedLink} (used by the LAN/WAN benchmark profiles, for the in-process
 * dealer and the dealer process alike).
 *
 * <p>Model (that of the dealer process, which streams a submitted plan): at {@link #beginBatch} the
 * party submits the next part of its plan, which takes half a round trip to arrive; the dealer then
 * streams its messages back to back on one wire, message {@code k} of {@code b_k} bytes leaving at
 * {@code planArrival + Σ_{j≤k} 8·b_j / bandwidth} and arriving half a round trip later. {@link
 * #next} returns no earlier than its message's arrival. {@code b_k} is what the dealer really sent
 * for it (seed or correction), read from {@code bytesReceived} around the inner call. Any real
 * latency of the underlying transport adds on top.
 */
public final class ShapedCorrelationSource implements CorrelationSource {
  private final CorrelationSource inner;
  private final LongSupplier bytesReceived;
  private final NetworkProfile profile;
  private final long halfRtt;
  private long wireFreeAt;

  /**
   * @param bytesReceived cumulative dealer bytes this party has received (consumed), e.g. {@code ()
   *     -> inProcessDealer.trafficTo(id).bytes()}
   */
  public ShapedCorrelationSource(
      CorrelationSource inner, LongSupplier bytesReceived, NetworkProfile profile) {
    this.inner = inner;
    this.bytesReceived = bytesReceived;
    this.profile = profile;
    this.halfRtt = profile.roundTrip().toNanos() / 2;
    beginBatch();
  }

  /** The party submits the next batch of its plan now; the dealer streams it on arrival. */
  public void beginBatch() {
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
    long before = bytesReceived.getAsLong();
    Correlation c = inner.next(request);
    long bytes = bytesReceived.getAsLong() - before;
    long serialize =
        profile.bitsPerSecond() == 0 ? 0 : bytes * 8L * 1_000_000_000L / profile.bitsPerSecond();
    wireFreeAt += serialize;
    long arrive = wireFreeAt + halfRtt;
    for (long wait; (wait = arrive - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(wait);
    }
    return c;
  }

  @Override
  public String toString() {
    return "Shaped(" + inner + ", " + profile + ")";
  }
}
