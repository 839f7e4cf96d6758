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
