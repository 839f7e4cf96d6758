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
    // per ReLU and party the DCF key's correction words, 8·(4k + 2) + k/4 B at k = 62 (FssRelu's
    // class comment), plus the seed-compressed mask shares' corrections and message headers
    double perParty = 8 * (4 * 62 + 2) + 62 / 4.0;
    double both = j.get("key_bytes_per_relu").getAsDouble();
    System.out.printf(
        "FSS key bytes per ReLU at k = 62: %.2f (party 0 %.2f, party 1 %.2f)%n",
        both,
        j.get("key_bytes_per_relu_party0").getAsDouble(),
        j.get("key_bytes_per_relu_party1").getAsDouble());
    assertTrue(both >= 2 * perParty && both <= 2 * perParty + 64, "key bytes per ReLU " + both);
    assertTrue(j.get("eval_relu_per_second_per_core_party0").getAsDouble() > 0);
    // the evaluation walks one child a level: 2 AES blocks per level and key, and 1 at the leaf
    assertEquals(2 * 62 + 1, j.get("aes_blocks_per_relu_party").getAsLong());
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
  }
}
