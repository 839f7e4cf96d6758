package org.polyshare.core.correlation;

/**
 * One party's share of a batch of correlated randomness, the answer to one {@link
 * CorrelationRequest}. All arrays are that party's additive shares over Z_2^64 (except the OT
 * material, which is not shared). {@code toString} never shows contents.
 */
public sealed interface Correlation
    permits BeaverTriples,
        SquarePairs,
        TruncationTuples,
        ExactTruncationTuples,
        FssReluKeys,
        FusedPowerTuples,
        WeightMaskShare,
        FixedMaskTriple,
        RandomOts {}
