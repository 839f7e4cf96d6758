package org.polyshare.bench.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.bench.BenchCli;
import org.polyshare.bench.compare.BenchCliRun;

/** {@code bench throughput} run tiny: real dealer, service and client JVMs over loopback TLS. */
class ThroughputCommandTest {
  @Test
  void twoClientsOfTwoQueriesOverTwoReplicasAllAnsweredExactly(@TempDir Path dir) throws Exception {
    BenchCliRun.assumePackagedJars();
    Path json = dir.resolve("tp.json");
    Path md = dir.resolve("tp.md");
    int exit =
        BenchCli.commandLine()
            .execute(
                "throughput",
                "--model",
                "tiny-pkn",
                "--clients",
                "2",
                "--queries",
                "2",
                "--batch",
                "2",
                "--replicas",
                "2",
                "--jvm-opt=-Xmx256m",
                "--jvm-opt=-XX:TieredStopAtLevel=1",
                "--json",
                json.toString(),
                "--markdown",
                md.toString());
    assertEquals(0, exit);
    JsonObject r = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals(4, r.get("queries").getAsLong());
    assertEquals(8, r.get("inputs_answered").getAsLong());
    assertEquals(8, r.get("answers_matching_plaintext").getAsLong());
    assertEquals(8, r.get("answers_bit_exact").getAsLong());
    assertTrue(r.get("all_answers_correct").getAsBoolean());
    // round-robin: one client per replica
    assertEquals(2, r.get("service_0_queries").getAsLong());
    assertEquals(2, r.get("service_1_queries").getAsLong());
    double p50 = r.get("latency_p50_ms").getAsDouble();
    double p99 = r.get("latency_p99_ms").getAsDouble();
    assertTrue(p50 > 0 && p50 <= r.get("latency_p90_ms").getAsDouble() && p99 >= p50, r.toString());
    assertTrue(r.get("inferences_per_second").getAsDouble() > 0);
    assertTrue(r.get("batch_online_bytes").getAsDouble() > 0);
    assertTrue(Files.readString(md).contains("| `inferences_per_second` |"));
  }

  @Test
  void percentilesAreNearestRank() {
    Percentiles p = new Percentiles(new double[] {5, 1, 4, 2, 3, 6, 7, 8, 9, 10});
    assertEquals(5, p.at(50));
    assertEquals(9, p.at(90));
    assertEquals(10, p.at(99));
    assertEquals(1, p.at(1));
    assertEquals(10, p.max());
    assertThrows(IllegalArgumentException.class, () -> p.at(0));
    assertThrows(IllegalArgumentException.class, () -> new Percentiles(new double[0]));
  }

  @Test
  void externalServicesNeedTheirDealerAndCertificates() {
    assertEquals(
        2,
        BenchCli.commandLine().execute("throughput", "--service", "127.0.0.1:1", "--queries", "1"));
  }
}
