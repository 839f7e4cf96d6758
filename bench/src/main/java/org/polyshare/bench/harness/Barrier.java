package org.polyshare.bench.harness;

import java.time.Duration;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where the two party threads meet between phases, so that each phase starts on both sides together
 * and its clock measures that phase alone. A party that fails {@link #abandon()}s the barrier: the
 * other one then fails at once, now or at its next meeting, instead of waiting out the timeout.
 */
public final class Barrier {
  private final Phaser phaser = new Phaser(2);
  private final Duration timeout;

  public Barrier(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("barrier timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
  }

  /** Waits for the other party; fails if it failed or did not arrive within the timeout. */
  public void await() {
    int phase = phaser.arrive();
    try {
      if (phase < 0
          || phaser.awaitAdvanceInterruptibly(phase, timeout.toMillis(), TimeUnit.MILLISECONDS)
              < 0) {
        throw new IllegalStateException("the other party failed before the next phase");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      phaser.forceTermination();
      throw new IllegalStateException("interrupted while waiting for the other party", e);
    } catch (TimeoutException e) {
      phaser.forceTermination();
      throw new IllegalStateException(
          "the other party did not reach the next phase within " + timeout.toSeconds() + " s", e);
    }
  }

  /** This party will not come again: the other one's waits (current and next) fail at once. */
  public void abandon() {
    phaser.forceTermination();
  }
}
