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
    material =
        Counter.builder("polyshare.dealer.material")
            .baseUnit("bytes")
            .description("dealer messages (seeds, corrections) sent to the parties")
            .register(registry);
    requests =
        Counter.builder("polyshare.dealer.requests")
            .description("correlation requests dealt")
            .register(registry);
  }

  /** One dealt batch: {@code n} requests, {@code bytes} of messages to both parties. */
  public void dealt(int n, long bytes) {
    requests.increment(n);
    material.increment(bytes);
  }
}
