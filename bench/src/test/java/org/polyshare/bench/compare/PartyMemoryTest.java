package org.polyshare.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartyMemoryTest {
  @Test
  void aPartyReportsMemoryReachesTheComparisonPerParty() {
    PartyMemory p1 =
        PartyMemory.of(
            1,
            JsonParser.parseString(
                    "{\"memory\": {\"peak_heap_bytes\": 1073741824, \"max_heap_bytes\": 2147483648,"
                        + " \"peak_rss_bytes\": 3221225472, \"material_store_peak_bytes\": 524288000,"
                        + " \"material_store\": \"files\", \"peak_live_heap_bytes\": 1048576,"
                        + " \"peer_queue_peak_bytes\": 2048, \"dealer_queue_peak_bytes\": 4096}}")
                .getAsJsonObject());
    PartyMemory p0 =
        PartyMemory.of(
            0,
            JsonParser.parseString(
                    "{\"memory\": {\"peak_heap_bytes\": 10, \"max_heap_bytes\": 20,"
                        + " \"material_store_peak_bytes\": 0, \"material_store\": \"files\"}}")
                .getAsJsonObject());
    assertEquals(
        new PartyMemory(1, 1L << 30, 2L << 30, 3L << 30, 500L << 20, 1L << 20, 2048, 4096), p1);
    assertEquals(-1, p0.peakRssBytes(), "no VmHWM (not Linux): unknown");
    assertEquals(-1, p0.liveHeapPeakBytes(), "an older party's report: unknown");
    assertNull(PartyMemory.of(0, JsonParser.parseString("{}").getAsJsonObject()));

    VariantResult v = new VariantResult("resnet18-relu", 0, List.of(), List.of(), List.of(p0, p1));
    String md = PartyMemory.markdown(List.of(v));
    assertTrue(
        md.contains(
            "| resnet18-relu | party 1 | 1.0 GiB | 2.0 GiB | 3.0 GiB | 500.0 MiB | 1.0 MiB"
                + " | 2.0 KiB | 4.0 KiB |"),
        md);
    assertTrue(md.contains("| resnet18-relu | party 0 | 10 B | 20 B | n/a | 0 B | n/a |"), md);
    assertEquals(
        "", PartyMemory.markdown(List.of(new VariantResult("x", 0, List.of(), List.of()))));
    String json = PartyMemory.json(v.memory());
    assertEquals(
        2, JsonParser.parseString(json).getAsJsonArray().size(), "one object per party: " + json);
    assertTrue(json.contains("\"peak_rss_bytes\": null"), json);
    assertTrue(json.contains("\"peer_queue_peak_bytes\": 2048"), json);
  }
}
