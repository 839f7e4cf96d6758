package org.polyshare.bench.tradeoff;

import java.util.Locale;

/** How a network's activations are evaluated securely: one point colour of the trade-off chart. */
public enum Arm {
  /** Polynomial kervolution {@code (cp + ⟨x,w⟩)^dp}. */
  PKN("PKN", "#3182bd"),
  /** Regularised PKN {@code ap·(cp + ⟨x,w⟩)^dp}, bounded activations. */
  R_PKN("R-PKN", "#31a354"),
  /** ReLU by garbled circuits. */
  RELU_GC("ReLU-GC", "#e6550d"),
  /** ReLU by function secret sharing (the dealer's DCF keys). */
  RELU_FSS("ReLU-FSS", "#756bb1");

  private final String label;
  private final String color;

  Arm(String label, String color) {
    this.label = label;
    this.color = color;
  }

  public String label() {
    return label;
  }

  public String color() {
    return color;
  }

  /** By label, any case: {@code PKN}, {@code R-PKN}, {@code ReLU-GC}, {@code ReLU-FSS}. */
  public static Arm named(String s) {
    for (Arm a : values()) {
      if (a.label.equalsIgnoreCase(s) || a.name().equalsIgnoreCase(s)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation arm '" + s + "'; use PKN, R-PKN, ReLU-GC or ReLU-FSS");
  }

  /**
   * The activation family a model's name says: {@code R_PKN} for "rpkn"/"r-pkn", {@code PKN} for
   * "pkn", {@code RELU_GC} for "relu" (its FSS arm is the same model); null if none.
   */
  public static Arm ofModelName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.matches(".*(^|[^a-z])r-?pkn([^a-z]|$).*")) {
      return R_PKN;
    }
    if (n.matches(".*(^|[^a-z])pkn([^a-z]|$).*")) {
      return PKN;
    }
    return n.matches(".*(^|[^a-z])relu([^a-z]|$).*") ? RELU_GC : null;
  }
}
