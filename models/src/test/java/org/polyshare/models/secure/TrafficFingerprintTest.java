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
   * With the fused PolyKerv off, every message is as recorded before the fused path existed ({@code
   * secure/traffic-fingerprint-chain.txt}, the pins of the square-and-multiply lowering).
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

  @Test
  @EnabledIfSystemProperty(named = "fingerprint.light", matches = ".+")
  void writeLightFingerprints() throws Exception {
    java.nio.file.Files.writeString(
        Path.of(System.getProperty("fingerprint.light")), TrafficFingerprint.light(false));
  }

  @Test
  @EnabledIfSystemProperty(named = "fingerprint.out", matches = ".+")
  void writeFingerprints() throws Exception {
    TrafficFingerprint.write(Path.of(System.getProperty("fingerprint.out")));
  }
}
