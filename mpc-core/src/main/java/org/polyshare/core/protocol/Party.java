package org.polyshare.core.protocol;

import org.polyshare.core.correlation.CorrelationSource;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;
import org.polyshare.core.ring.FixedPoint;
import org.polyshare.core.store.MaterialStore;

/**
 * One party's view of a two-party session: its id (0 = model owner, 1 = client), the link to the
 * peer, its correlation source, the fixed-point codec and the truncation mode. Also owns the
 * party's private PRG (fresh {@link Seed#random()} seed) used to mask its own inputs. Not
 * thread-safe: one protocol thread per party.
 */
public final class Party {
  private final int id;
  private final PartyLink link;
  private final CorrelationSource correlations;
  private final FixedPoint fp;
  private final TruncationMode truncationMode;
  private Prg localPrg;
  private MaterialStore materialStore;

  public Party(int id, PartyLink link, CorrelationSource correlations, FixedPoint fp) {
    this(id, link, correlations, fp, TruncationMode.DEALER);
  }

  public Party(
      int id,
      PartyLink link,
      CorrelationSource correlations,
      FixedPoint fp,
      TruncationMode truncationMode) {
    if (id != 0 && id != 1) {
      throw new IllegalArgumentException(
          "party id must be 0 (model owner) or 1 (client), got " + id);
    }
    if (link == null || correlations == null || fp == null || truncationMode == null) {
      throw new IllegalArgumentException(
          "party "
              + id
              + " needs a link, a correlation source, a fixed-point codec and a truncation mode");
    }
    if (correlations.partyId() != id) {
      throw new IllegalArgumentException(
          "party " + id + " was given the correlation source of party " + correlations.partyId());
    }
    this.id = id;
    this.link = link;
    this.correlations = correlations;
    this.fp = fp;
    this.truncationMode = truncationMode;
  }

  public int id() {
    return id;
  }

  public PartyLink link() {
    return link;
  }

  public CorrelationSource correlations() {
    return correlations;
  }

  public FixedPoint fixedPoint() {
    return fp;
  }

  public TruncationMode truncationMode() {
    return truncationMode;
  }

  /** The same party with another truncation mode (same link, source and private PRG). */
  public Party withTruncation(TruncationMode mode) {
    Party p = new Party(id, link, correlations, fp, mode);
    p.localPrg = localPrg();
    p.materialStore = materialStore;
    return p;
  }

  /**
   * The same party keeping its large precomputed material (garbled tables, labels) in {@code
   * store}; the caller owns the store and closes it at session end.
   */
  public Party withMaterialStore(MaterialStore store) {
    if (store == null) {
      throw new IllegalArgumentException("material store is null");
    }
    Party p = new Party(id, link, correlations, fp, truncationMode);
    p.localPrg = localPrg();
    p.materialStore = store;
    return p;
  }

  /** Where large precomputed material goes: the store given, else the Java heap. */
  public MaterialStore materialStore() {
    if (materialStore == null) {
      materialStore = MaterialStore.onHeap();
    }
    return materialStore;
  }

  /** True for party 0, which adds public constants to its share. */
  public boolean isFirst() {
    return id == 0;
  }

  /** This party's private randomness (for masking its own secrets). */
  public Prg localPrg() {
    if (localPrg == null) {
      localPrg = new Prg(Seed.random());
    }
    return localPrg;
  }

  @Override
  public String toString() {
    return "Party(" + id + ")";
  }
}
