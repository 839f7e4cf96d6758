package org.polyshare.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void jsonAndTextCarryTheSameKeysInOrder() {
    Report r =
        new Report("bench x: title")
            .put("op", "a \"quoted\" \\ name\n")
            .put("online_ms", 12.3456789)
            .put("rounds", 3L)
            .put("ratio", Double.POSITIVE_INFINITY)
            .put("passed", true);
    JsonObject j = JsonParser.parseString(r.json()).getAsJsonObject();
    assertEquals(List.of("op", "online_ms", "rounds", "ratio", "passed"), List.copyOf(j.keySet()));
    assertEquals("a \"quoted\" \\ name\n", j.get("op").getAsString());
    assertEquals(12.3457, j.get("online_ms").getAsDouble(), 1e-9);
    assertEquals(3, j.get("rounds").getAsLong());
    assertTrue(j.get("ratio").isJsonNull(), "infinity is not JSON");
    assertTrue(j.get("passed").getAsBoolean());
    String text = r.text();
    assertTrue(text.startsWith("bench x: title\n"), text);
    assertTrue(text.contains("  online_ms") && text.contains(" 12.346\n"), text);
    assertTrue(text.indexOf("online_ms") < text.indexOf("rounds"), text);
  }

  @Test
  void aKeyPutTwiceIsAnError() {
    Report r = new Report("t").put("a", 1L);
    assertThrows(IllegalArgumentException.class, () -> r.put("a", 2L));
  }

  @Test
  void mediansAndMiddle() {
    assertEquals(2.0, Medians.median(new double[] {3, 1, 2}));
    assertEquals(2.5, Medians.median(new double[] {4, 1, 3, 2}));
    assertEquals(20.0, Medians.median(List.of(30L, 10L, 20L), x -> x));
    assertEquals("c", Medians.middle(List.of("d", "a", "c", "b"), String::compareTo));
    assertThrows(IllegalArgumentException.class, () -> Medians.median(new double[0]));
  }

  @Test
  void repetitionsDropTheWarmUps() {
    Repetitions reps = new Repetitions(2, 3);
    assertEquals(List.of(2, 3, 4), reps.run(k -> k));
    assertEquals("warm-up 2/2", reps.label(1));
    assertEquals("rep 1/3", reps.label(2));
    assertThrows(IllegalArgumentException.class, () -> new Repetitions(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Repetitions(-1, 1));
  }
}
