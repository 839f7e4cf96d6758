package org.polyshare.core.correlation;

/**
 * Shares of a fresh {@code a} (shaped like the layer input) and {@code c = op(a, B)} where {@code
 * B} is the session-fixed weight mask {@code maskId} and op is the layer's bilinear map.
 */
public record FixedMaskTriple(int maskId, long[] a, long[] c) implements Correlation {}
