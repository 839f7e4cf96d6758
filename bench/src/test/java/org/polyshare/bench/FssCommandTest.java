package org.polyshare.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench fss} on small sizes: every ReLU checked, key bytes as the construction defines them.
 */
class FssCommandTest {
  @TempDir Path dir;

  private JsonObject run(String... args) throws Exception {
    return BenchRun.json(dir.resolve("fss.json"), "fss", 0, args);
  }

  @Test
  void keysEvaluateToReluAndWeighTheirCorrectionWords() throws Exception {
    int n = 2000;
    JsonObject j = run("--relu", Integer.toString(n));
    assertEquals(n + " relus, all equal", j.get("checked_against_plain").getAsString());
    // per ReLU and party the sign key's correction blocks, 16 B for each of the 55 inner levels
    // and the leaf at k = 62 (FssRelu's class comment), plus the seed-compressed ρ, ρ·r (16 B, to
    // one party) and the messages' seeds
    long perParty = 16 * 56;
    assertEquals(perParty, j.get("dcf_key_bytes_per_relu_party").getAsLong());
    double both = j.get("key_bytes_per_relu").getAsDouble();
    System.out.printf(
        "FSS key bytes per ReLU at k = 62: %.2f (party 0 %.2f, party 1 %.2f)%n",
        both,
        j.get("key_bytes_per_relu_party0").getAsDouble(),
        j.get("key_bytes_per_relu_party1").getAsDouble());
    // the two messages' seeds and headers: a few dozen bytes per batch
    assertEquals(2 * perParty + 16 + 32.0 / n, both, 32.0 / n, "key bytes per ReLU");
    assertTrue(j.get("eval_relu_per_second_per_core_party0").getAsDouble() > 0);
    // one AES block per inner level and one for the leaf
    assertEquals(56, j.get("aes_blocks_per_relu_party").getAsLong());
  }

  @Test
  void theFoldedTruncationAddsTheBorrowKey() throws Exception {
    JsonObject j = run("--relu", "700", "--shift", "16");
    assertEquals("700 relus, all equal", j.get("checked_against_plain").getAsString());
    assertEquals(56 + 10, j.get("aes_blocks_per_relu_party").getAsLong());
    assertEquals(16 * (56 + 10), j.get("dcf_key_bytes_per_relu_party").getAsLong());
  }

  @Test
  void smallerInputBoundsMakeSmallerKeys() throws Exception {
    double k62 = run("--relu", "500").get("key_bytes_per_relu").getAsDouble();
    double k20 = run("--relu", "500", "--bits", "20").get("key_bytes_per_relu").getAsDouble();
    assertTrue(k20 < k62 / 2, k20 + " vs " + k62);
  }

  @Test
  void badSizesAreRefused() {
    assertNotEquals(0, BenchCli.commandLine().execute("fss", "--relu", "10", "--bits", "63"));
    assertNotEquals(0, BenchCli.commandLine().execute("fss", "--relu", "0"));
    assertNotEquals(
        0, BenchCli.commandLine().execute("fss", "--relu", "10", "--bits", "8", "--shift", "9"));
  }
}
