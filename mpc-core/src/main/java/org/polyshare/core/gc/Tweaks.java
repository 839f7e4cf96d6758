package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import org.polyshare.core.prg.Prg;

/**
 * The 128-bit tweaks of the half-gates hash {@code H(L, T) = π(2L ⊕ T) ⊕ 2L ⊕ T}, made unique
 * across garblings by a 64-bit per-garbling nonce in bits the gate numbering leaves unused.
 *
 * <p>Layout, for AND gate {@code t} (garbler half {@code 2t}, evaluator half {@code 2t+1}) of
 * instance {@code i < 2^32}:
 *
 * <pre>
 *   lo word = (nonce mod 2^32) · 2^32  |  i
 *   hi word = (nonce div 2^32) · 2^32  |  2t (+1)
 * </pre>
 *
 * <p>Why: within one garbling the pair (instance, gate) is unique, which the single-instance
 * half-gates proof needs. Without the nonce every layer, inference and session reuses the same
 * tweaks {@code (i, 2t)} under its own fresh Δ, so an observer of many garblings gets many hash
 * targets per tweak and the multi-instance margin of the fixed-key hash shrinks by their number.
 * With a uniform nonce per garbling a tweak repeats only if two garblings draw the same nonce:
 * probability at most {@code G²/2^65} over {@code G} garblings (below 2^-25 for a million). A
 * global counter would need state both parties keep in step across sessions and restarts; a
 * tweakable circular-correlation-robust hash ({@code π(π(x) ⊕ T) ⊕ π(x)}) costs two AES calls per
 * hash, halving the engine rate. The nonce costs nothing: {@code base + k} replaces {@code first +
 * k}, and the gate word was XORed in already.
 */
final class Tweaks {
  /** Instance numbers of one garbling stay below this (they fill the low half of a word). */
  static final long MAX_INSTANCES = 1L << 32;

  private static final long LOW = 0xFFFF_FFFFL;

  private final long nonce;
  private final long nonceLo;
  private final long nonceHi;

  Tweaks(long nonce) {
    this.nonce = nonce;
    this.nonceLo = nonce << 32;
    this.nonceHi = nonce & ~LOW;
  }

  /** A fresh uniform nonce; both parties must then use the same value. */
  static long freshNonce(Prg prg) {
    return prg.nextLong();
  }

  long nonce() {
    return nonce;
  }

  /** Low tweak word of instance {@code first}; instance {@code first + k} is {@code base + k}. */
  long instanceBase(long first) {
    return nonceLo | first;
  }

  /** High tweak word of AND gate {@code t}'s garbler half; the evaluator half is this + 1. */
  long gate(int t) {
    return nonceHi | (2L * t);
  }

  static void checkInstances(long first, int n) {
    Preconditions.checkArgument(
        first >= 0 && first + n <= MAX_INSTANCES,
        "instances [%s, %s) outside [0, 2^32): number instances per garbling from 0",
        first,
        first + n);
  }
}
