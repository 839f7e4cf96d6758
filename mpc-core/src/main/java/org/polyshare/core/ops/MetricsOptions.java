package org.polyshare.core.ops;

import java.net.InetSocketAddress;
import java.util.function.IntSupplier;
import picocli.CommandLine.Option;

/** {@code --metrics-port} and {@code --metrics-bind} of a server command. */
public final class MetricsOptions {
  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "serve /metrics (Prometheus text format) and /health over HTTP on this port (default: none)")
  Integer port;

  @Option(
      names = "--metrics-bind",
      paramLabel = "ADDRESS",
      defaultValue = "0.0.0.0",
      description =
          "address the metrics port listens on (default: ${DEFAULT-VALUE}; 127.0.0.1 keeps it local)")
  String bind;

  /**
   * The endpoint for {@code metrics}, its {@code /health} naming {@code activeSessions} ({@link
   * MetricsEndpoint#sessionsHealth}); null without {@code --metrics-port}.
   */
  public MetricsEndpoint start(ServiceMetrics metrics, IntSupplier activeSessions) {
    if (port == null) {
      return null;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--metrics-port must be 0..65535, got " + port);
    }
    return MetricsEndpoint.start(
        new InetSocketAddress(bind, port), metrics, MetricsEndpoint.sessionsHealth(activeSessions));
  }
}
