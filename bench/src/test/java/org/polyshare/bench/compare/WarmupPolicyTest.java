package org.polyshare.bench.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.models.secure.ReluMode;
import picocli.CommandLine;

/**
 * {@code bench compare}'s warm-ups: per arm by default, one {@code --warmup} for all, and each
 * variant's count in the report (without running a comparison: the end-to-end tests pass {@code
 * --warmup 0} to stay fast).
 */
class WarmupPolicyTest {
  private static final List<ReluMode> ARMS = List.of(ReluMode.GC, ReluMode.FSS);

  private static int[] warmups(String... args) {
    CompareCommand c = new CompareCommand();
    new CommandLine(c).parseArgs(args);
    return c.warmups(ARMS);
  }

  @Test
  void eachArmHasItsDefaultAndTheOptionSetsThemAll() {
    assertArrayEquals(new int[] {1, 3, 5}, warmups("--model", "tiny"), "gc, fss, pkn");
    assertArrayEquals(new int[] {2, 2, 2}, warmups("--model", "tiny", "--warmup", "2"));
    assertArrayEquals(new int[] {0, 0, 0}, warmups("--model", "tiny", "--warmup", "0"));
    CompareCommand fssOnly = new CompareCommand();
    new CommandLine(fssOnly).parseArgs("--model", "tiny");
    assertArrayEquals(new int[] {3, 5}, fssOnly.warmups(List.of(ReluMode.FSS)));
  }

  private static VariantResult variant(String model, int warmup) {
    Measurement m = new Measurement(1, 2, 3, 1, 1, 1, 10, 10, 10, 10, 5, 7, 7, 2, 4, 1, List.of());
    return new VariantResult(
        model, warmup, List.of(m), List.of(new ReferenceCheck.Outcome(true, 1, 0, 1, 1, 0)));
  }

  @Test
  void theReportNamesEachArmsWarmups() {
    ComparisonReport per =
        new ComparisonReport(
            "tiny",
            NetworkProfile.named("lan"),
            1,
            1,
            false,
            "in-process",
            List.of(
                new ReluArm(ReluMode.GC, variant("tiny-relu", 1), -1),
                new ReluArm(ReluMode.FSS, variant("tiny-relu+fss", 3), -1)),
            variant("tiny-pkn", 5));
    assertTrue(per.title().contains("median of 1 after warm-ups per arm (gc 1, fss 3, pkn 5)"));
    String md = per.markdown();
    assertTrue(md.contains("| warm-up inferences (unmeasured) | 1 | 3 | 5 | | |"), md);
    JsonObject json = JsonParser.parseString(per.json()).getAsJsonObject();
    assertEquals(
        JsonParser.parseString("{\"gc\": 1, \"fss\": 3, \"pkn\": 5}"), json.get("warmups"));
    assertEquals("per-arm defaults", json.get("warmup_source").getAsString());
    for (int i = 0; i < 3; i++) {
      assertEquals(
          new int[] {1, 3, 5}[i],
          json.getAsJsonArray("variants").get(i).getAsJsonObject().get("warmup").getAsInt());
    }
  }
}
