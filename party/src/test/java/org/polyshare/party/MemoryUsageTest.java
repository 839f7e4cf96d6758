package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.store.MaterialStore;

class MemoryUsageTest {
  @Test
  void peakRssIsVmHwmInBytesAndAbsentWithoutProcfs(@TempDir Path dir) throws Exception {
    Path status = dir.resolve("status");
    Files.writeString(
        status, "Name:\tjava\nVmPeak:\t  9000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 1 kB\n");
    assertEquals(123456L * 1024, MemoryUsage.peakRss(status));
    assertEquals(-1, MemoryUsage.peakRss(dir.resolve("missing")));
    String json = new MemoryUsage(10, 20, -1, 30, true).json();
    assertFalse(json.contains("peak_rss_bytes"), "absent where unknown: " + json);
    assertTrue(json.contains("\"material_store_peak_bytes\": 30") && json.contains("\"files\""));
    assertFalse(json.contains("queue"), "queue peaks absent where unknown: " + json);
    String full = new MemoryUsage(10, 20, 40, 30, true, 15, 7, 9).json();
    assertTrue(
        full.contains("\"peak_live_heap_bytes\": 15")
            && full.contains("\"peer_queue_peak_bytes\": 7")
            && full.contains("\"dealer_queue_peak_bytes\": 9"),
        full);
  }

  @Test
  void theLiveHeapPeakSeesWhatACollectionKeeps() {
    LiveHeapPeak.start();
    long[][] kept = new long[8][];
    for (int i = 0; i < kept.length; i++) {
      kept[i] = new long[1 << 20]; // 64 MiB held across the collection
    }
    System.gc();
    // notifications are delivered on a JMX thread: wait for the one of this collection
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (LiveHeapPeak.bytes() < 64L << 20 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(LiveHeapPeak.bytes() >= 64L << 20, "live peak " + LiveHeapPeak.bytes());
    assertEquals(1 << 20, kept[kept.length - 1].length);
  }

  @Test
  void theStoresPeakAndThisJvmsHeapAreReported() {
    try (MaterialStore store = MaterialStore.onHeap()) {
      store.create("a", 1000).close();
      store.create("b", 10);
      MemoryUsage m = MemoryUsage.of(store);
      assertEquals(8000, m.materialPeakBytes());
      assertFalse(m.materialFileBacked());
      assertTrue(m.peakHeapBytes() > 0 && m.maxHeapBytes() > 0);
      if (Files.isReadable(Path.of("/proc/self/status"))) {
        assertTrue(m.peakRssBytes() > m.peakHeapBytes() / 100, m.toString());
      }
    }
  }
}
