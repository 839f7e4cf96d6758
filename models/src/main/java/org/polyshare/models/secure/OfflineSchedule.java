package org.polyshare.models.secure;

/**
 * When an inference's offline phase runs relative to its online phase ({@link
 * SecureSession#schedule}). Both parties of a session choose alike.
 */
public enum OfflineSchedule {
  /**
   * The whole offline phase first, then the online phase: the online clock times the online phase
   * alone, input to logits, as Delphi's preprocessing model does. The inference's material is held
   * at once (about 1.3 GB per party for ResNet-18's FSS keys; garbled tables wait in files).
   */
  AHEAD,
  /**
   * Each layer's offline step just before its online step (at party 1 also its hand-off readers'):
   * one layer's material held, the dealer serving while the inference runs. A party's online time
   * is then its wall time less its own offline steps. Those steps overlap the peer's online work,
   * so the figure is optimistic as a latency; benchmarks that compare online times run {@link
   * #AHEAD}.
   */
  STREAMED;

  /** Parses {@code ahead} or {@code streamed} (any case), naming the choices otherwise. */
  public static OfflineSchedule parse(String s) {
    for (OfflineSchedule m : values()) {
      if (m.name().equalsIgnoreCase(s.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown offline schedule '" + s + "': expected ahead or streamed");
  }
}
