package org.polyshare.core.correlation;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.polyshare.core.prg.Seed;

/**
 * A {@link Dealer} and both parties' {@link CorrelationSource}s in one JVM. Each party's source
 * asks for its next request; the first of the two to ask for request #k makes the dealer deal it,
 * the other picks up its message later. Each party expands only its own {@link DealerMessage},
 * exactly as over a network, and the traffic each party would have received is counted. The two
 * parties must ask for the same requests in the same order; divergence is an error naming both
 * requests. Thread-safe.
 */
public final class InProcessDealer {
  private final Dealer dealer;
  private final Map<Long, Pending> pending = new HashMap<>();
  private final long[] nextIndex = new long[2];
  private final long[] bytesTo = new long[2];
  private final long[] messagesTo = new long[2];
  private final long[] correctionsTo = new long[2];
  private final Source[] sources = {new Source(0), new Source(1)};

  private static final class Pending {
    final CorrelationRequest request;
    final Dealer.Dealt dealt;
    int taken;

    Pending(CorrelationRequest request, Dealer.Dealt dealt) {
      this.request = request;
      this.dealt = dealt;
    }
  }

  /** Counters of what the dealer sent one party. */
  public record Traffic(long bytes, long messages, long messagesWithCorrection) {}

  public InProcessDealer() {
    this(new Dealer());
  }

  public InProcessDealer(Supplier<Seed> seeds) {
    this(new Dealer(seeds));
  }

  private InProcessDealer(Dealer dealer) {
    this.dealer = dealer;
  }

  /** Party {@code partyId}'s source (the same object on every call). */
  public CorrelationSource source(int partyId) {
    CorrelationExpander.checkParty(partyId);
    return sources[partyId];
  }

  /** What party {@code partyId} has received so far. */
  public synchronized Traffic trafficTo(int partyId) {
    CorrelationExpander.checkParty(partyId);
    return new Traffic(bytesTo[partyId], messagesTo[partyId], correctionsTo[partyId]);
  }

  /** Party {@code partyId}'s message for its next request; deals it if the peer has not yet. */
  public synchronized DealerMessage take(int partyId, CorrelationRequest request) {
    long k = nextIndex[partyId]++;
    Pending p = pending.get(k);
    if (p == null) {
      p = new Pending(request, dealer.deal(request));
      pending.put(k, p);
    } else if (!p.request.equals(request)) {
      throw new IllegalStateException(
          "correlation plans diverge at request #"
              + k
              + ": party "
              + (1 - partyId)
              + " asked for "
              + p.request
              + " but party "
              + partyId
              + " asked for "
              + request);
    }
    if (++p.taken == 2) {
      pending.remove(k);
    }
    DealerMessage m = p.dealt.to(partyId);
    bytesTo[partyId] += m.wireBytes();
    messagesTo[partyId]++;
    if (m.hasCorrection()) {
      correctionsTo[partyId]++;
    }
    return m;
  }

  private final class Source implements CorrelationSource {
    private final int partyId;

    Source(int partyId) {
      this.partyId = partyId;
    }

    @Override
    public int partyId() {
      return partyId;
    }

    @Override
    public Correlation next(CorrelationRequest request) {
      // Expansion (the PRG work) runs outside the dealer's lock, on the party's own thread.
      return CorrelationExpander.expand(partyId, request, take(partyId, request));
    }

    @Override
    public String toString() {
      return "InProcessDealer.source(" + partyId + ")";
    }
  }
}
