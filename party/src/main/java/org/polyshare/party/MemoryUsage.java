package org.polyshare.party;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.polyshare.core.store.MaterialStore;

/**
 * What a party process held at its peak, for its JSON report ({@code "memory"}).
 *
 * @param peakHeapBytes the sum over the heap's memory pools of each pool's peak usage since the JVM
 *     started ({@link MemoryPoolMXBean#getPeakUsage}): an upper bound on the heap's peak, garbage
 *     not yet collected included
 * @param maxHeapBytes the heap's limit ({@code -Xmx}), -1 if undefined
 * @param peakRssBytes the process's peak resident set ({@code VmHWM} of {@code /proc/self/status},
 *     Linux only; -1 elsewhere). It counts the material store's mapped pages while they are touched
 *     (file-backed pages the kernel can write out and drop)
 * @param materialPeakBytes the most bytes the session's material store held at once
 * @param materialFileBacked whether that store was files ({@code --material-dir} or the temporary
 *     directory) or the heap
 * @param liveHeapPeakBytes the most heap in use right after a garbage collection ({@link
 *     LiveHeapPeak}): live data plus garbage that collection left; -1 if unknown
 * @param peerQueuePeakBytes the most bytes from the other party waiting unread at once in this
 *     process's link mailbox (bounded by the link's cap: back-pressure); -1 if unknown
 * @param dealerQueuePeakBytes the same for the dealer's link; -1 if unknown
 */
public record MemoryUsage(
    long peakHeapBytes,
    long maxHeapBytes,
    long peakRssBytes,
    long materialPeakBytes,
    boolean materialFileBacked,
    long liveHeapPeakBytes,
    long peerQueuePeakBytes,
    long dealerQueuePeakBytes) {

  /** Heap, RSS and store figures only; the live-heap and queue peaks unknown. */
  public MemoryUsage(
      long peakHeapBytes,
      long maxHeapBytes,
      long peakRssBytes,
      long materialPeakBytes,
      boolean materialFileBacked) {
    this(
        peakHeapBytes,
        maxHeapBytes,
        peakRssBytes,
        materialPeakBytes,
        materialFileBacked,
        -1,
        -1,
        -1);
  }

  /**
   * The process's peaks now, {@code store}'s, and the link mailboxes' peaks of unread bytes from
   * the peer and the dealer (-1 where unknown).
   */
  public static MemoryUsage of(MaterialStore store, long peerQueuePeak, long dealerQueuePeak) {
    MemoryUsage m = of(store);
    return new MemoryUsage(
        m.peakHeapBytes,
        m.maxHeapBytes,
        m.peakRssBytes,
        m.materialPeakBytes,
        m.materialFileBacked,
        LiveHeapPeak.bytes(),
        peerQueuePeak,
        dealerQueuePeak);
  }

  /** The process's peaks now, and {@code store}'s. */
  public static MemoryUsage of(MaterialStore store) {
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        heap += pool.getPeakUsage().getUsed();
      }
    }
    return new MemoryUsage(
        heap,
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax(),
        peakRss(Path.of("/proc/self/status")),
        store.peakBytes(),
        store.fileBacked());
  }

  /** {@code VmHWM} in bytes from a {@code /proc/PID/status} file, -1 if absent or unreadable. */
  static long peakRss(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          String[] f = line.substring(6).trim().split("\\s+");
          return Long.parseLong(f[0]) * (f.length > 1 && f[1].equalsIgnoreCase("kB") ? 1024 : 1);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no procfs: absent
    }
    return -1;
  }

  /**
   * The JSON object of the party report; {@code peak_rss_bytes}, {@code peak_live_heap_bytes} and
   * the queue peaks are absent where unknown.
   */
  String json() {
    StringBuilder b =
        new StringBuilder("{\"peak_heap_bytes\": ")
            .append(peakHeapBytes)
            .append(", \"max_heap_bytes\": ")
            .append(maxHeapBytes);
    if (peakRssBytes >= 0) {
      b.append(", \"peak_rss_bytes\": ").append(peakRssBytes);
    }
    if (liveHeapPeakBytes >= 0) {
      b.append(", \"peak_live_heap_bytes\": ").append(liveHeapPeakBytes);
    }
    if (peerQueuePeakBytes >= 0) {
      b.append(", \"peer_queue_peak_bytes\": ").append(peerQueuePeakBytes);
    }
    if (dealerQueuePeakBytes >= 0) {
      b.append(", \"dealer_queue_peak_bytes\": ").append(dealerQueuePeakBytes);
    }
    return b.append(", \"material_store_peak_bytes\": ")
        .append(materialPeakBytes)
        .append(", \"material_store\": \"")
        .append(materialFileBacked ? "files" : "heap")
        .append("\"}")
        .toString();
  }
}
