package org.polyshare.party;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling for a condition another thread or process brings about. */
final class Await {
  private Await() {}

  /** Waits until {@code done} holds or {@code limit} has passed; returns whether it holds. */
  static boolean until(BooleanSupplier done, Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
