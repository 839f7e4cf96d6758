package org.polyshare.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The JSON and Markdown literals the report writers share. */
class ReportLiteralsTest {
  @Test
  void anObjectWritesEachValueAsItsKindAndNullBare() {
    assertEquals(
        "{\"passed\": true, \"inputs\": 3, \"max_error\": 0.125000, \"kind\": \"conv \\\"a\\\"\","
            + " \"rss\": null, \"ms\": null}",
        Json.object(
            "passed",
            true,
            "inputs",
            3,
            "max_error",
            0.125,
            "kind",
            "conv \"a\"",
            "rss",
            null,
            "ms",
            Double.NaN));
    assertEquals("{}", Json.object());
  }

  @Test
  void aKeyWithoutItsValueIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Json.object("passed"));
  }

  @Test
  void aMarkdownRowSeparatesItsCellsByBars() {
    assertEquals("| conv1 | 3 | 1.5 KB |\n", Markdown.row("conv1", 3, "1.5 KB"));
  }
}
