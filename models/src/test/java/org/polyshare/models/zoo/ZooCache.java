package org.polyshare.models.zoo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.polyshare.models.graph.Model;

/** Calibrated zoo models shared by the test classes of one JVM (calibrating ResNet-18 takes seconds). */
public final class ZooCache {
  private ZooCache() {}

  private static final Map<String, Model> CACHE = new ConcurrentHashMap<>();

  public static Model get(String name) {
    return CACHE.computeIfAbsent(name, Zoo::load);
  }
}
