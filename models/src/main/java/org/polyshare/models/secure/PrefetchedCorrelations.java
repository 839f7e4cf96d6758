package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.List;
import org.polyshare.core.correlation.Correlation;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.CorrelationSource;

/**
 * Correlations fetched from the real source during the offline phase, served afterwards without
 * contacting the dealer. A request is answered by the first unconsumed prefetched batch equal to
 * it: batches of the same request are interchangeable (independent and fresh), and both parties
 * make the same calls in the same order, so they consume the same batches.
 */
final class PrefetchedCorrelations implements CorrelationSource {
  private final int partyId;
  private final List<CorrelationRequest> requests = new ArrayList<>();
  private final List<Correlation> batches = new ArrayList<>();
  private int firstFree;

  PrefetchedCorrelations(int partyId) {
    this.partyId = partyId;
  }

  /** Fetches {@code plan} from {@code source}, in order. */
  void fetch(CorrelationSource source, List<CorrelationRequest> plan) {
    for (CorrelationRequest r : plan) {
      requests.add(r);
      batches.add(source.next(r));
    }
  }

  @Override
  public int partyId() {
    return partyId;
  }

  @Override
  public Correlation next(CorrelationRequest request) {
    for (int i = firstFree; i < requests.size(); i++) {
      if (batches.get(i) != null && requests.get(i).equals(request)) {
        Correlation c = batches.get(i);
        batches.set(i, null); // single use
        while (firstFree < batches.size() && batches.get(firstFree) == null) {
          firstFree++;
        }
        return c;
      }
    }
    throw new IllegalStateException(
        "correlation request "
            + request
            + " is not in the prefetched plan (or was already used): the plan and the evaluation"
            + " diverge");
  }

  /** Prefetched batches not yet used. */
  int remaining() {
    int n = 0;
    for (Correlation c : batches) {
      if (c != null) {
        n++;
      }
    }
    return n;
  }
}
