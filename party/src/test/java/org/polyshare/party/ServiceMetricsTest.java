package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.polyshare.core.ops.MetricsEndpoint;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.dealer.DealerServer;
import org.polyshare.models.zoo.Zoo;

/**
 * The dealer and party 0's service with their metrics endpoints, one real session and one refused
 * client, then real HTTP requests: the counters show the session, its inferences and its bytes.
 */
class ServiceMetricsTest {
  private static final Duration T = Duration.ofSeconds(30);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(T).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the sample {@code name{labels}} (labels in the registry's order). */
  private static double sample(String body, String name, String labels) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$")
            .matcher(body);
    assertTrue(m.find(), "no sample " + name + "{" + labels + "} in\n" + body);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void aSessionShowsInTheCountersOfBothServices() throws Exception {
    InetSocketAddress local = new InetSocketAddress("127.0.0.1", 0);
    try (LoopbackDealer loopback =
            LoopbackDealer.started(DealerServer.Settings.defaults().withPairTimeout(T));
        PartyService service = loopback.service(Zoo.load("tiny-pkn"), T, 1, 0, 10);
        MetricsEndpoint dealerHttp =
            MetricsEndpoint.start(
                local, loopback.server().metrics(), () -> "{\"status\": \"up\"}");
        MetricsEndpoint partyHttp =
            MetricsEndpoint.start(
                local,
                service.metrics(),
                MetricsEndpoint.sessionsHealth(service::activeSessions))) {
      Parties client = loopback.parties("tiny-pkn");
      PartyRunner.Report r =
          client.clientModel("tiny-pkn").session("metrics").inferences(2).runClient(service.port());
      // another truncation than the service's: another plan, refused by party 0
      assertThrows(
          RuntimeException.class,
          () ->
              client.session("other").truncation(TruncationMode.DEALER).runClient(service.port()));
      DealerServer dealer = loopback.server();
      Await.until(
          () ->
              service.completedSessions() >= 1
                  && service.failedSessions() >= 1
                  && dealer.completedSessions() >= 1,
          T);

      HttpResponse<String> health = get(partyHttp.port(), "/health");
      assertEquals(200, health.statusCode());
      assertEquals("{\"status\": \"up\", \"sessions\": 0}", health.body());
      assertEquals(200, get(dealerHttp.port(), "/health").statusCode());

      HttpResponse<String> party = get(partyHttp.port(), "/metrics");
      assertEquals(200, party.statusCode());
      assertTrue(
          party
              .headers()
              .firstValue("Content-Type")
              .orElse("")
              .startsWith("text/plain; version=0.0.4"));
      String p = party.body();
      String svc = "service=\"party0\"";
      assertEquals(2, sample(p, "polyshare_sessions_started_total", svc));
      assertEquals(1, sample(p, "polyshare_sessions_finished_total", svc));
      assertEquals(1, sample(p, "polyshare_sessions_failed_total", "reason=\"refused\"," + svc));
      assertEquals(
          1, sample(p, "polyshare_connections_refused_total", "reason=\"plan_mismatch\"," + svc));
      assertEquals(0, sample(p, "polyshare_sessions_active", svc));
      assertEquals(2, sample(p, "polyshare_inferences_total", svc));
      assertEquals(2, sample(p, "polyshare_inference_online_seconds_count", svc));
      assertEquals(2, sample(p, "polyshare_inference_offline_seconds_count", svc));
      assertTrue(
          p.contains("polyshare_inference_online_seconds_bucket{service=\"party0\",le="),
          "a histogram:\n" + p);
      double peerIn =
          sample(p, "polyshare_traffic_bytes_total", "direction=\"received\",link=\"peer\"," + svc);
      double peerOut =
          sample(p, "polyshare_traffic_bytes_total", "direction=\"sent\",link=\"peer\"," + svc);
      double fromDealer0 =
          sample(
              p, "polyshare_traffic_bytes_total", "direction=\"received\",link=\"dealer\"," + svc);
      assertTrue(peerIn > 0 && peerOut > 0 && fromDealer0 > 0, p);

      String d = get(dealerHttp.port(), "/metrics").body();
      String dsvc = "service=\"dealer\"";
      assertEquals(1, sample(d, "polyshare_sessions_started_total", dsvc));
      assertEquals(1, sample(d, "polyshare_sessions_finished_total", dsvc));
      // what the dealer dealt is what the two parties received from it
      double material = sample(d, "polyshare_dealer_material_bytes_total", dsvc);
      assertEquals(fromDealer0 + r.dealerBytesReceived(), material, d);
      assertEquals(
          material,
          sample(d, "polyshare_traffic_bytes_total", "direction=\"sent\",link=\"party\"," + dsvc));

      assertEquals(
          405,
          HTTP.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + partyHttp.port() + "/metrics"))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
      assertEquals(404, get(partyHttp.port(), "/metrics/else").statusCode());
    }
  }
}
