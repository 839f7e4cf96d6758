package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.link.LinkStats;

/** One inference's outputs (party 1; null at party 0) and this party's per-layer costs. */
public record SecureResult(
    double[][] logits,
    List<LayerReport> layers,
    long offlineNanos,
    long onlineNanos,
    LinkStats.Snapshot offlineTraffic,
    LinkStats.Snapshot onlineTraffic) {}
