package org.polyshare.core.correlation;

/**
 * This party's share of the session-fixed weight mask {@code B} registered under {@code maskId}.
 */
public record WeightMaskShare(int maskId, long[] b) implements Correlation {}
