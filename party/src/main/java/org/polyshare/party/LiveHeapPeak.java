package org.polyshare.party;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The most heap in use right after a garbage collection, over this process's life since {@link
 * #start}: the live data plus whatever garbage that collection left (old regions a young pause did
 * not visit), so an upper bound on the live heap that, unlike the pools' peaks, does not count the
 * garbage a roomy {@code -Xmx} lets pile up between collections. It is the figure that shows
 * whether a session's heap grows with a layer's width. From the JVM's collection notifications; -1
 * before the first collection, or where the JVM sends none.
 */
final class LiveHeapPeak {
  private static final AtomicLong PEAK = new AtomicLong(-1);
  private static boolean started;

  private LiveHeapPeak() {}

  /** Starts listening (idempotent); call early, before the session allocates. */
  static synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    Set<String> heapPools = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!(gc instanceof NotificationEmitter emitter)) {
        continue;
      }
      emitter.addNotificationListener(
          (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                notification.getType())) {
              return;
            }
            GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
              MemoryUsage u = e.getValue();
              if (heapPools.contains(e.getKey()) && u != null) {
                used += u.getUsed();
              }
            }
            long after = used;
            PEAK.accumulateAndGet(after, Math::max);
          },
          null,
          null);
    }
  }

  /** Bytes: the largest heap use seen right after a collection, -1 if none was seen. */
  static long bytes() {
    return PEAK.get();
  }
}
