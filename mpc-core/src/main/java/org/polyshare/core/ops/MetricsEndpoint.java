package org.polyshare.core.ops;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} (Prometheus text format) and {@code GET /health} over the JDK's HTTP server.
 * Scrapes are rare and cheap, so two threads and a queue of 16 serve them; past that the accepting
 * thread runs the request itself, which slows further accepts instead of queueing without bound.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ThreadPoolExecutor executor;

  private MetricsEndpoint(HttpServer server, ThreadPoolExecutor executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * The {@code /health} body of a session server (the dealer, party 0's service): up, and how many
   * sessions it is serving now.
   */
  public static Supplier<String> sessionsHealth(IntSupplier activeSessions) {
    return () -> "{\"status\": \"up\", \"sessions\": " + activeSessions.getAsInt() + "}";
  }

  /**
   * Serves {@code metrics} at {@code address}; {@code health} is the body of {@code /health} (a
   * small JSON object), answered with 200 while the endpoint runs.
   */
  public static MetricsEndpoint start(
      InetSocketAddress address, ServiceMetrics metrics, Supplier<String> health) {
    HttpServer s;
    try {
      s = HttpServer.create(address, 16);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot listen for metrics on " + address + ": " + e.getMessage(), e);
    }
    ThreadPoolExecutor ex =
        new ThreadPoolExecutor(
            1,
            2,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(16),
            new ThreadFactoryBuilder().setNameFormat("metrics-http").setDaemon(true).build(),
            new ThreadPoolExecutor.CallerRunsPolicy());
    s.setExecutor(ex);
    s.createContext("/metrics", x -> answer(x, PROMETHEUS_TEXT, metrics::scrape));
    s.createContext("/health", x -> answer(x, "application/json", health));
    s.start();
    MetricsEndpoint e = new MetricsEndpoint(s, ex);
    LOG.info(
        "metrics on http://{}:{}/metrics, health on /health", address.getHostString(), e.port());
    return e;
  }

  private static void answer(HttpExchange x, String type, Supplier<String> body)
      throws IOException {
    try (x) {
      if (!"GET".equals(x.getRequestMethod()) && !"HEAD".equals(x.getRequestMethod())) {
        x.getResponseHeaders().set("Allow", "GET, HEAD");
        x.sendResponseHeaders(405, -1);
        return;
      }
      String path = x.getRequestURI().getPath();
      if (!path.equals(x.getHttpContext().getPath())) {
        x.sendResponseHeaders(404, -1);
        return;
      }
      byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", type);
      boolean head = "HEAD".equals(x.getRequestMethod());
      x.sendResponseHeaders(200, head ? -1 : b.length);
      if (!head) {
        try (OutputStream out = x.getResponseBody()) {
          out.write(b);
        }
      }
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
