package org.polyshare.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench gc} end to end on small sizes: results checked, traffic as the protocol defines it.
 */
class GcCommandTest {
  @TempDir Path dir;

  private JsonObject run(String... args) throws Exception {
    return BenchRun.json(dir.resolve("gc.json"), "gc", 0, args);
  }

  @Test
  void reluOnlineTrafficIsTheMaskedShareAndSixtyFourLabels() throws Exception {
    JsonObject j = run("--relu", "300");
    assertEquals("300 relus, all equal", j.get("checked_against_plain").getAsString());
    assertEquals(173, j.get("and_gates_per_relu").getAsInt());
    // party 1 sends x1 − s (8 B), party 0 the 64 active labels of a (16 B each), in one round
    assertEquals(8 + 64 * 16, j.get("online_bytes_per_relu").getAsDouble());
    assertEquals(1, j.get("online_rounds").getAsInt());
  }

  @Test
  void bothStoresHoldTheSameMaterial() throws Exception {
    for (String store : new String[] {"file", "heap"}) {
      JsonObject j = run("--relu", "300", "--store", store);
      assertEquals(store, j.get("store").getAsString());
      assertEquals("300 relus, all equal", j.get("checked_against_plain").getAsString());
      // party 1 per ReLU: 173 ANDs × 4 longs of tables, 64 s-labels and 64 u-labels of 2 longs
      assertEquals(
          300L * (4 * 173 + 2 * 64 + 2 * 64) * 8, j.get("evaluator_store_peak_bytes").getAsLong());
      // party 0 per ReLU: the 64 zero-labels of a
      assertEquals(300L * 2 * 64 * 8, j.get("garbler_store_peak_bytes").getAsLong());
    }
  }

  @Test
  void maxPoolChecksEveryWindow() throws Exception {
    JsonObject j = run("--maxpool", "40", "--window", "2");
    assertEquals("40 windows, all equal", j.get("checked_against_plain").getAsString());
    assertEquals(2, j.get("window").getAsInt());
  }

  @Test
  void aBristolCircuitIsGarbledChunkByChunk() throws Exception {
    // one AND of the garbler's bit and the evaluator's bit
    Path and = Files.writeString(dir.resolve("and.txt"), "1 3\n2 1 1\n1 1\n\n2 1 0 1 2 AND\n");
    JsonObject j = run("--circuit", and.toString(), "--instances", "100", "--capacity", "7");
    assertEquals("100 instances, all equal", j.get("checked_against_plain").getAsString());
    // per instance: the AND's two 16-byte rows, party 0's active label, one decoding long
    assertEquals(32 + 16 + 8, j.get("garbler_sent_bytes_per_and").getAsDouble());
    assertNotEquals(0, j.get("dealer_bytes").getAsLong());
  }

  @Test
  void wrongInputCountIsRefused() throws Exception {
    Path and = Files.writeString(dir.resolve("and.txt"), "1 3\n2 1 1\n1 1\n\n2 1 0 1 2 AND\n");
    assertEquals(
        2, BenchCli.commandLine().execute("gc", "--circuit", and.toString(), "--input", "1"));
  }
}
