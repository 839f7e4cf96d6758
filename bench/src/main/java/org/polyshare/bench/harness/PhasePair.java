package org.polyshare.bench.harness;

/**
 * One phase as both parties saw it. The phase is over when both have finished it, so its time is
 * the slower party's; rounds are the larger count; bytes are kept per direction.
 */
public record PhasePair(PhaseCost party0, PhaseCost party1) {
  public PhaseCost party(int id) {
    return id == 0 ? party0 : party1;
  }

  public double wallMs() {
    return Math.max(party0.wallNanos(), party1.wallNanos()) / 1e6;
  }

  /** CPU time of the busier party thread. */
  public double cpuMs() {
    return Math.max(party0.cpuNanos(), party1.cpuNanos()) / 1e6;
  }

  public long rounds() {
    return Math.max(party0.rounds(), party1.rounds());
  }

  public long bytes01() {
    return party0.bytesSent();
  }

  public long bytes10() {
    return party1.bytesSent();
  }
}
