package org.polyshare.party;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.ops.ServiceMetrics;

/**
 * Party 0's service meters ({@code service="party0"}): the common ones of {@link ServiceMetrics},
 * with traffic on {@code link="peer"} (the client) and {@code link="dealer"}, plus {@code
 * polyshare_inferences_total} and the per-inference latency histograms {@code
 * polyshare_inference_offline_seconds} and {@code polyshare_inference_online_seconds} (buckets from
 * 1 ms to 10 min).
 */
public final class PartyMetrics extends ServiceMetrics {
  private final Counter inferences;
  private final Timer offline;
  private final Timer online;

  public PartyMetrics() {
    super("party0");
    inferences =
        Counter.builder("polyshare.inferences").description("inferences run").register(registry);
    offline =
        latency(
            "polyshare.inference.offline",
            "offline phase of one inference (dealer material, precomputation)");
    online =
        latency("polyshare.inference.online", "online phase of one inference (party to party)");
  }

  private Timer latency(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry);
  }

  /** A session that ran to its end: its inferences' phases and its links' traffic. */
  public void sessionFinished(PartyRunner.Report r, LinkStats peer, LinkStats dealer) {
    for (PartyRunner.Inference i : r.inferences()) {
      inferences.increment();
      offline.record((long) (i.offlineMs() * 1e6), TimeUnit.NANOSECONDS);
      online.record((long) (i.onlineMs() * 1e6), TimeUnit.NANOSECONDS);
    }
    traffic("peer", peer);
    traffic("dealer", dealer);
    sessionFinished();
  }

  /** A session that failed: its reason tag and the client link's traffic so far. */
  public void sessionFailed(RuntimeException e, LinkStats peer) {
    traffic("peer", peer);
    sessionFailed(reasonOf(e));
  }
}
