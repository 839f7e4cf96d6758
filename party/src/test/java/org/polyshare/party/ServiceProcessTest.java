package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.ops.ChildJvm;
import org.polyshare.dealer.DealerCli;

/**
 * {@code dealer serve} and {@code party serve} as processes, configured the way an operator does:
 * the dealer from a {@code --config} file (JSON logs, metrics port), party 0 from flags (DEBUG,
 * metrics port). One client session later, both answer /health and party 0's /metrics counts it.
 */
class ServiceProcessTest {
  private static final Pattern METRICS = Pattern.compile("metrics on http:[^:]+:(\\d+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servicesConfiguredByFileAndFlagsExposeHealthAndMetrics(@TempDir Path dir) throws Exception {
    Path certs = NetFixtures.certs();
    Path config = dir.resolve("dealer.properties");
    Files.writeString(
        config,
        "port = 0\ncerts = "
            + certs.toString().replace("\\", "\\\\")
            + "\nlog-format = json\nmetrics-port = 0\nmetrics-bind = 127.0.0.1\n");
    ChildJvm dealer = ChildJvm.launch(DealerCli.class, "serve", "--config", config.toString());
    ChildJvm service = null;
    try {
      int dealerPort = dealer.awaitNumber(Pattern.compile("dealer listening on port (\\d+)"));
      int dealerMetrics = dealer.awaitNumber(METRICS);
      service =
          ServeJvm.launch(
              "paranoid",
              dealerPort,
              certs,
              "tiny-pkn",
              "--metrics-port",
              "0",
              "--metrics-bind",
              "127.0.0.1",
              "--log-level",
              "debug",
              "--timeout",
              "30",
              "--connect-deadline",
              "30");
      int servicePort = ServeJvm.port(service, "tiny-pkn");
      int serviceMetrics = service.awaitNumber(METRICS);

      Duration t = Duration.ofSeconds(30);
      try (NetTransport net = NetTransport.create(1)) {
        PartyRunner.run(
            new PartyRunner.Config(
                1,
                "localhost",
                servicePort,
                null,
                "localhost",
                dealerPort,
                certs,
                "tiny-pkn",
                null,
                "proc",
                1,
                t,
                t,
                NetworkProfile.LOOPBACK,
                null,
                null,
                null,
                null,
                1,
                null),
            net,
            null,
            p -> {});
      }
      service.awaitNumber(Pattern.compile("DEBUG .* party \\d: inference 0: offline"));

      assertEquals(200, get(dealerMetrics, "/health").statusCode());
      HttpResponse<String> health = get(serviceMetrics, "/health");
      assertEquals(200, health.statusCode());
      assertTrue(health.body().contains("\"status\": \"up\""), health.body());
      String m = get(serviceMetrics, "/metrics").body();
      assertTrue(m.contains("polyshare_sessions_finished_total{service=\"party0\"} 1.0"), m);
      assertTrue(m.contains("polyshare_inferences_total{service=\"party0\"} 1.0"), m);

      // the dealer's log is JSON, one object per line
      List<String> lines = dealer.lines();
      synchronized (lines) {
        assertTrue(lines.size() >= 3, dealer.output());
        for (String l : lines) {
          assertTrue(l.startsWith("{\"timestamp\":") && l.endsWith("}"), l);
        }
      }
      assertTrue(dealer.output().contains("\"mdc\": {\"session\":\"proc@"), dealer.output());
    } finally {
      dealer.process().destroy();
      if (service != null) {
        service.process().destroy();
      }
    }
  }
}
