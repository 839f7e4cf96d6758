package org.polyshare.dealer;

import io.micrometer.core.instrument.Counter;
import org.polyshare.core.ops.ServiceMetrics;

/**
 * The dealer's meters ({@code service="dealer"}): the common ones of {@link ServiceMetrics}, with
 * traffic on {@code link="party"}, plus {@code polyshare_dealer_material_bytes_total} (seed and
 * correction messages sent to both parties) and {@code polyshare_dealer_requests_total}
 * (correlation requests dealt).
 */
public final class DealerMetrics extends ServiceMetrics {
  private final Counter material;
  private final Counter requests;

  public DealerMetrics() {
    super("dealer");
    material = Counter.builder("polyshare.dealer.material").baseUnit("bytes")
        .description("dealer messages (seeds, corrections) sent to the parties").register(registry);
    requests = Counter.builder("polyshare.dealer.requests").description("correlation requests dealt")
        .register(registry);
  }

  /** One dealt batch: {@code n} requests, {@code bytes} of messages to both parties. */
  public void dealt(int n, long bytes) {
    requests.increment(n);
    material.increment(bytes);
  }

  /**
   * Tag of a session end from the dealer's reason sentence. The sentences are the dealer's own
   * (see DealerServer), so this reads them rather than widening every call of its {@code end}.
   */
  public static String reasonOf(String why) {
    if (why.contains("plan mismatch") || why.contains("hashes to")) {
      return "plan_mismatch";
    }
    if (why.contains("did not join")) {
      return "pair_timeout";
    }
    if (why.contains("shutting down")) {
      return "shutdown";
    }
    if (why.contains("internal dealer error")) {
      return "internal";
    }
    if (why.contains("timed out") || why.contains("within")) {
      return "timeout";
    }
    return "peer";
  }
}
