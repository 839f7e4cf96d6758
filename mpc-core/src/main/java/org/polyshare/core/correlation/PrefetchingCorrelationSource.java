package org.polyshare.core.correlation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Separates the offline phase from the online one: {@link #prefetch} pulls a plan's correlations
 * from the underlying source ahead of time (dealer traffic and PRG expansion happen then), and
 * {@link #next} serves them in order, checking each request against the plan. Requests beyond the
 * prefetched ones go straight to the underlying source. Every request served is also recorded, so a
 * first run can capture the plan that later runs prefetch.
 */
public final class PrefetchingCorrelationSource implements CorrelationSource {
  private final CorrelationSource inner;
  private final ArrayDeque<CorrelationRequest> plannedRequests = new ArrayDeque<>();
  private final ArrayDeque<Correlation> buffered = new ArrayDeque<>();
  private final List<CorrelationRequest> recorded = new ArrayList<>();

  public PrefetchingCorrelationSource(CorrelationSource inner) {
    this.inner = inner;
  }

  @Override
  public int partyId() {
    return inner.partyId();
  }

  /** Fetches every request of {@code plan} now, in order. */
  public void prefetch(CorrelationPlan plan) {
    for (CorrelationRequest r : plan.requests()) {
      buffered.addLast(inner.next(r));
      plannedRequests.addLast(r);
    }
  }

  /** Correlations fetched but not yet used. */
  public int buffered() {
    return buffered.size();
  }

  @Override
  public Correlation next(CorrelationRequest request) {
    recorded.add(request);
    if (buffered.isEmpty()) {
      return inner.next(request);
    }
    CorrelationPlan.checkNext(
        plannedRequests.pollFirst(), request, "the computation", "the prefetched plan");
    return buffered.pollFirst();
  }

  /** The requests served since construction or the last {@link #clearRecorded}. */
  public CorrelationPlan recorded() {
    return new CorrelationPlan(recorded);
  }

  public void clearRecorded() {
    recorded.clear();
  }
}
