package org.polyshare.core.protocol;

import java.time.Duration;
import java.util.function.Function;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.correlation.PrefetchingCorrelationSource;
import org.polyshare.core.link.InMemoryLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.ring.FixedPoint;

/**
 * Both parties and the dealer in one JVM: two threads over an {@link InMemoryLink} pair, each party
 * with its source from one shared {@link InProcessDealer}. For tests, benchmarks and demos.
 */
public final class InProcessSession {
  private final FixedPoint fp;
  private final TruncationMode mode;
  private final Duration timeout;
  private final InProcessDealer dealer = new InProcessDealer();

  public InProcessSession(FixedPoint fp, TruncationMode mode) {
    this(fp, mode, InMemoryLink.DEFAULT_TIMEOUT);
  }

  public InProcessSession(FixedPoint fp, TruncationMode mode, Duration timeout) {
    this.fp = fp;
    this.mode = mode;
    this.timeout = timeout;
  }

  public InProcessDealer dealer() {
    return dealer;
  }

  /** Runs {@code party0} and {@code party1} concurrently; their link stats are in the result. */
  public <T> TwoParties.Result<T> run(Function<Party, T> party0, Function<Party, T> party1) {
    return TwoParties.run(
        timeout,
        link -> party0.apply(new Party(0, link, dealer.source(0), fp, mode)),
        link -> party1.apply(new Party(1, link, dealer.source(1), fp, mode)));
  }

  /**
   * The correlation plan of a computation: runs {@code body} once on both parties (typically on
   * zero inputs — plans depend on shapes only) and returns the requests it made, checking that both
   * parties made the same ones.
   */
  public CorrelationPlan recordPlan(Function<Party, ?> body) {
    TwoParties.Result<CorrelationPlan> r =
        TwoParties.run(timeout, link -> record(0, link, body), link -> record(1, link, body));
    if (!r.party0().equals(r.party1())) {
      throw new IllegalStateException(
          "the two parties made different correlation requests; the computation is not symmetric");
    }
    return r.party0();
  }

  private CorrelationPlan record(
      int id, org.polyshare.core.link.PartyLink link, Function<Party, ?> body) {
    PrefetchingCorrelationSource src = new PrefetchingCorrelationSource(dealer.source(id));
    // Only the correlation requests the body makes matter here, not what it computes.
    var unused = body.apply(new Party(id, link, src, fp, mode));
    return src.recorded();
  }

  /** Runs the same body on both parties (it branches on {@link Party#id()} where they differ). */
  public <T> TwoParties.Result<T> run(Function<Party, T> body) {
    return run(body, body);
  }
}
