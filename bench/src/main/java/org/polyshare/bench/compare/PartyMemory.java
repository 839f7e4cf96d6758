package org.polyshare.bench.compare;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import org.polyshare.bench.harness.Json;
import org.polyshare.bench.harness.Markdown;

/**
 * One party process's memory at the end of its session, from the {@code "memory"} object of its
 * {@code party run --json} report: peak heap (sum of the heap pools' peaks), the heap limit, peak
 * resident set ({@code VmHWM}, -1 where unknown) and the peak of its garbled-material store; the
 * most heap in use right after a collection (live data plus garbage it left) and the most bytes
 * waiting unread in its link mailboxes from the peer and the dealer (-1 where the party did not
 * report them). Separate-JVM runs only: in process the two parties share one heap.
 */
public record PartyMemory(
    int party,
    long peakHeapBytes,
    long maxHeapBytes,
    long peakRssBytes,
    long materialPeakBytes,
    long liveHeapPeakBytes,
    long peerQueuePeakBytes,
    long dealerQueuePeakBytes) {

  /** Without the live-heap and queue peaks (unknown). */
  public PartyMemory(
      int party, long peakHeapBytes, long maxHeapBytes, long peakRssBytes, long materialPeakBytes) {
    this(party, peakHeapBytes, maxHeapBytes, peakRssBytes, materialPeakBytes, -1, -1, -1);
  }

  /** The memory of {@code report}, or null for a report without one (an older party). */
  static PartyMemory of(int party, JsonObject report) {
    JsonElement m = report.get("memory");
    if (m == null || !m.isJsonObject()) {
      return null;
    }
    JsonObject o = m.getAsJsonObject();
    return new PartyMemory(
        party,
        get(o, "peak_heap_bytes"),
        get(o, "max_heap_bytes"),
        get(o, "peak_rss_bytes"),
        get(o, "material_store_peak_bytes"),
        get(o, "peak_live_heap_bytes"),
        get(o, "peer_queue_peak_bytes"),
        get(o, "dealer_queue_peak_bytes"));
  }

  private static long get(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? -1 : e.getAsLong();
  }

  /** A Markdown table, one row per party of each variant that has them; empty if none has. */
  static String markdown(List<VariantResult> variants) {
    StringBuilder sb = new StringBuilder();
    for (VariantResult v : variants) {
      for (PartyMemory p : v.memory()) {
        sb.append(
            Markdown.row(
                v.model(),
                "party " + p.party(),
                ComparisonReport.bytes(p.peakHeapBytes()),
                ComparisonReport.bytes(p.maxHeapBytes()),
                ComparisonReport.bytes(p.peakRssBytes()),
                ComparisonReport.bytes(p.materialPeakBytes()),
                ComparisonReport.bytes(p.liveHeapPeakBytes()),
                ComparisonReport.bytes(p.peerQueuePeakBytes()),
                ComparisonReport.bytes(p.dealerQueuePeakBytes())));
      }
    }
    return sb.isEmpty()
        ? ""
        : "\n| memory | party | peak heap | heap limit | peak RSS | material store peak"
            + " | live heap peak | peer queue peak | dealer queue peak |\n"
            + "|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
            + sb;
  }

  /** The JSON array of a variant's party memories. */
  static String json(List<PartyMemory> ms) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < ms.size(); i++) {
      PartyMemory p = ms.get(i);
      sb.append(i == 0 ? "" : ", ")
          .append(
              Json.object(
                  "party",
                  p.party(),
                  "peak_heap_bytes",
                  p.peakHeapBytes(),
                  "max_heap_bytes",
                  p.maxHeapBytes(),
                  "peak_rss_bytes",
                  orNull(p.peakRssBytes()),
                  "material_store_peak_bytes",
                  p.materialPeakBytes(),
                  "peak_live_heap_bytes",
                  orNull(p.liveHeapPeakBytes()),
                  "peer_queue_peak_bytes",
                  orNull(p.peerQueuePeakBytes()),
                  "dealer_queue_peak_bytes",
                  orNull(p.dealerQueuePeakBytes())));
    }
    return sb.append(']').toString();
  }

  private static Long orNull(long v) {
    return v < 0 ? null : v;
  }
}
