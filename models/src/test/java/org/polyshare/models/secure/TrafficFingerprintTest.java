package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The protocol's messages are pinned: plan hashes, dealer traffic and every layer's bytes and
 * rounds at both parties equal those recorded (in {@code secure/traffic-fingerprint.txt}) before
 * the secure evaluator was split into one class per layer kind. A change to any message size,
 * count, round or correlation request fails here; a deliberate protocol change re-records the file
 * ({@code -Dfingerprint.out=FILE} writes the full set, large nets included).
 */
class TrafficFingerprintTest {
  @Test
  void protocolTrafficIsAsRecorded() throws Exception {
    String expected;
    try (InputStream in = getClass().getResourceAsStream("/secure/traffic-fingerprint.txt")) {
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(expected.strip(), TrafficFingerprint.light(false).strip());
  }

  /**
   * With the fused PolyKerv off, every message is as recorded ({@code
   * secure/traffic-fingerprint-chain.txt}, the pins of the square-and-multiply lowering; since
   * protocol 5 the first truncation's party-1 half is offline, {@code -Dfingerprint.chain=FILE}
   * re-records).
   */
  @Test
  void theChainLoweringIsUnchanged() throws Exception {
    String expected;
    try (InputStream in = getClass().getResourceAsStream("/secure/traffic-fingerprint-chain.txt")) {
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(
        expected.strip(),
        TrafficFingerprint.light(false, SecureOptions.defaults().withFusedPolyKerv(false)).strip());
  }

  /**
   * Online bytes and rounds of the chain and the fused lowering, batch 1, for the comma-separated
   * zoo models in {@code -Dfingerprint.online} (DEALER: the same online messages as EXACT, whose
   * DCF keys are offline material).
   */
  @Test
  @EnabledIfSystemProperty(named = "fingerprint.online", matches = ".+")
  void printOnlineCounts() {
    SecureOptions fused = SecureOptions.defaults();
    for (String name : System.getProperty("fingerprint.online").split(",")) {
      org.polyshare.models.graph.Model model = org.polyshare.models.zoo.ZooCache.get(name);
      double[][] xs = org.polyshare.models.zoo.Zoo.sampleInputs(model, 1, 7);
      for (SecureOptions o : new SecureOptions[] {fused.withFusedPolyKerv(false), fused}) {
        SecureRun.Outcome r =
            SecureRun.run(model, org.polyshare.models.zoo.Zoo.architecture(name), xs, 1, o);
        org.polyshare.core.link.LinkStats.Snapshot t1 = r.last1().onlineTraffic();
        org.polyshare.core.link.LinkStats.Snapshot t0 =
            r.party0().get(r.party0().size() - 1).onlineTraffic();
        org.polyshare.core.link.LinkStats.Snapshot off = r.last1().offlineTraffic();
        System.out.printf(
            "ONLINE %s %s: %d B (0->1 %d, 1->0 %d), rounds p0 %d p1 %d; offline: party link %d B, dealer %d B%n",
            name,
            o.fusedPolyKerv() ? "fused" : "chain",
            t1.bytesSent() + t1.bytesReceived(),
            t1.bytesReceived(),
            t1.bytesSent(),
            t0.rounds(),
            t1.rounds(),
            off.bytesSent() + off.bytesReceived(),
            r.dealerTraffic()[0].bytes() + r.dealerTraffic()[1].bytes());
      }
      System.out.print(SecureModel.compile(model, 1, fused).carryPlan().format());
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "fingerprint.light", matches = ".+")
  void writeLightFingerprints() throws Exception {
    java.nio.file.Files.writeString(
        Path.of(System.getProperty("fingerprint.light")), TrafficFingerprint.light(false));
  }

  @Test
  @EnabledIfSystemProperty(named = "fingerprint.chain", matches = ".+")
  void writeChainFingerprints() throws Exception {
    java.nio.file.Files.writeString(
        Path.of(System.getProperty("fingerprint.chain")),
        TrafficFingerprint.light(false, SecureOptions.defaults().withFusedPolyKerv(false)));
  }

  @Test
  @EnabledIfSystemProperty(named = "fingerprint.out", matches = ".+")
  void writeFingerprints() throws Exception {
    TrafficFingerprint.write(Path.of(System.getProperty("fingerprint.out")));
  }
}
