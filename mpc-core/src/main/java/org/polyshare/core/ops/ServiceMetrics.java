package org.polyshare.core.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.link.LinkTimeoutException;
import org.polyshare.core.net.HandshakeException;
import org.polyshare.core.net.PeerAbortedException;

/**
 * The meters every PolyShare server has, in a Prometheus registry tagged {@code service=NAME}:
 *
 * <ul>
 *   <li>{@code polyshare_sessions_started_total}, {@code _finished_total}, {@code
 *       _failed_total{reason}}
 *   <li>{@code polyshare_sessions_active} (gauge)
 *   <li>{@code polyshare_connections_refused_total{reason}}: {@link Refusal}
 *   <li>{@code polyshare_traffic_bytes_total{link, direction}}: payload bytes per link kind, sent /
 *       received
 * </ul>
 *
 * Each server side adds its own (the dealer's material, party 0's inferences). Hooks are cheap (a
 * counter increment) and called once per session or connection, never per message.
 */
public class ServiceMetrics {
  /** Why a connection was refused before a session began. */
  public enum Refusal {
    /** The server already runs as many sessions as it may. */
    BUSY,
    /** TLS failed: a certificate from another CA, the wrong role, or no TLS at all. */
    CERTIFICATE,
    /** The peer's plan hash is not the plan this server runs. */
    PLAN_MISMATCH,
    /** Any other failure of the connection before the session began. */
    HANDSHAKE;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  protected final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter started;
  private final Counter finished;

  protected ServiceMetrics(String service) {
    registry.config().commonTags("service", service);
    started =
        Counter.builder("polyshare.sessions.started")
            .description("sessions begun")
            .register(registry);
    finished =
        Counter.builder("polyshare.sessions.finished")
            .description("sessions that ended normally")
            .register(registry);
  }

  /** Exposes {@code current} as the number of sessions running now. */
  public void trackActive(IntSupplier current) {
    Gauge.builder("polyshare.sessions.active", current, IntSupplier::getAsInt)
        .strongReference(true)
        .description("sessions running now")
        .register(registry);
  }

  public void sessionStarted() {
    started.increment();
  }

  public void sessionFinished() {
    finished.increment();
  }

  /**
   * A session that ended in failure; {@code reason} is a short lower-case tag ({@link #reasonOf}).
   */
  public void sessionFailed(String reason) {
    Counter.builder("polyshare.sessions.failed")
        .description("sessions that ended in failure")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public void refused(Refusal why) {
    Counter.builder("polyshare.connections.refused")
        .description("connections refused before a session began")
        .tag("reason", why.tag())
        .register(registry)
        .increment();
  }

  /**
   * A refusal before admission read off its cause: none is the acceptor turning a connection away
   * ({@link Refusal#BUSY}), a TLS or role failure is {@link Refusal#CERTIFICATE}, the rest (hello,
   * pre-session timeout) {@link Refusal#HANDSHAKE}.
   */
  public void refused(Throwable cause) {
    refused(
        cause == null
            ? Refusal.BUSY
            : cause instanceof HandshakeException ? Refusal.CERTIFICATE : Refusal.HANDSHAKE);
  }

  /**
   * Adds one link's payload traffic; {@code link} names its kind ({@code peer}, {@code dealer},
   * {@code party}).
   */
  public void traffic(String link, LinkStats stats) {
    bytes(link, "sent").increment(stats.bytesSent());
    bytes(link, "received").increment(stats.bytesReceived());
  }

  private Counter bytes(String link, String direction) {
    return Counter.builder("polyshare.traffic")
        .baseUnit("bytes")
        .description("payload bytes on the service's links")
        .tag("link", link)
        .tag("direction", direction)
        .register(registry);
  }

  /**
   * A failure's tag from its exception: timeout, peer_aborted, link, refused, protocol or internal.
   */
  public static String reasonOf(RuntimeException e) {
    if (e instanceof LinkTimeoutException) {
      return "timeout";
    }
    if (e instanceof PeerAbortedException) {
      return "peer_aborted";
    }
    if (e instanceof LinkException) {
      return "link";
    }
    if (e instanceof IllegalStateException) {
      return "refused";
    }
    if (e instanceof IllegalArgumentException) {
      return "protocol";
    }
    return "internal";
  }

  /** The registry's state in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
