package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.List;
import org.polyshare.core.protocol.Party;

/**
 * One party's session of a {@link SecureModel} ({@link SecureModel#open}): every layer set up once
 * (the masked weights), then offline/online per inference.
 */
public final class SecureSession {
  private final Party party;
  private final List<MeteredLayer.Session> sessions = new ArrayList<>();
  private SecureInference pending;
  private boolean streamed;
  private int peakLiveMaterials;
  private final SecureModel model;

  SecureSession(SecureModel model, Party party) {
    this.model = model;
    this.party = party;
    for (SecureLayer l : model.layers()) {
      sessions.add(new MeteredLayer(l).open(party));
    }
  }

  public Party party() {
    return party;
  }

  /**
   * Streamed offline ({@link SecureInference}): each layer's offline step runs just before its
   * online step, so one layer's material is held instead of the inference's; the offline cost is
   * the layers' sum. Same dealer requests in the same order. Both parties must choose alike.
   */
  public SecureSession streamOffline(boolean on) {
    this.streamed = on;
    return this;
  }

  /** {@link #streamOffline} by name: streamed for {@link OfflineSchedule#STREAMED}. */
  public SecureSession schedule(OfflineSchedule schedule) {
    return streamOffline(schedule == OfflineSchedule.STREAMED);
  }

  /** Most layers' offline material held at once in the last inference run. */
  int peakLiveMaterials() {
    return peakLiveMaterials;
  }

  /** Offline phase of the next inference: all its correlations and input-free work. */
  public void offline() {
    if (pending != null) {
      throw new IllegalStateException("offline material for the next inference already exists");
    }
    pending =
        new SecureInference(
            model.program(),
            model.layers(),
            sessions,
            party,
            model.batch(),
            streamed,
            model.handOff());
  }

  /**
   * Online phase: party 1 passes {@code batch} inputs and gets the outputs; party 0 passes null.
   * Runs {@link #offline} first if it was not called.
   */
  public SecureResult online(double[][] inputs) {
    if (pending == null) {
      offline();
    }
    SecureInference inf = pending;
    pending = null; // single use
    SecureResult r = inf.run(inputs);
    peakLiveMaterials = inf.peakLiveMaterials();
    return r;
  }
}
