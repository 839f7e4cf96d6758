package org.polyshare.models.zoo;

import java.lang.ref.SoftReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.polyshare.models.graph.Model;

/**
 * Calibrated zoo models shared by the test classes of one JVM (calibrating ResNet-18 takes
 * seconds). Softly held: under memory pressure a model is dropped and recalibrated on demand (the
 * zoo is deterministic, so it comes back identical).
 */
public final class ZooCache {
  private ZooCache() {}

  private static final Map<String, SoftReference<Model>> CACHE = new ConcurrentHashMap<>();

  public static Model get(String name) {
    SoftReference<Model> ref = CACHE.get(name);
    Model m = ref == null ? null : ref.get();
    if (m == null) {
      m = Zoo.load(name);
      CACHE.put(name, new SoftReference<>(m));
    }
    return m;
  }
}
