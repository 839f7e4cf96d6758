package org.polyshare.bench.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.polyshare.core.link.TwoParties;

class TwoPartyRunTest {
  @Test
  void phaseTimerCountsTheBytesAndRoundsOfItsPhaseOnly() {
    TwoParties.Result<PhaseCost> r =
        TwoPartyRun.run(
            Duration.ofSeconds(30),
            ctx -> {
              ctx.link().send(1, new long[3]); // before the phase: not counted
              ctx.link().receiveLongs(1);
              ctx.barrier().await();
              PhaseTimer t = PhaseTimer.start(ctx.link().stats());
              ctx.link().send(2, new long[10]);
              ctx.link().receiveLongs(2);
              ctx.link().send(3, new long[1]);
              ctx.link().send(4, new long[1]);
              ctx.link().receiveLongs(3);
              ctx.link().receiveLongs(4);
              return t.stop();
            },
            ctx -> {
              ctx.link().receiveLongs(1);
              ctx.link().send(1, new long[3]);
              ctx.barrier().await();
              PhaseTimer t = PhaseTimer.start(ctx.link().stats());
              ctx.link().receiveLongs(2);
              ctx.link().send(2, new long[5]);
              ctx.link().receiveLongs(3);
              ctx.link().receiveLongs(4);
              ctx.link().send(3, new long[1]);
              ctx.link().send(4, new long[1]);
              return t.stop();
            });
    PhasePair phase = new PhasePair(r.party0(), r.party1());
    assertEquals(12 * 8, phase.bytes01());
    assertEquals(7 * 8, phase.bytes10());
    assertEquals(7 * 8, r.party0().bytesReceived());
    assertEquals(2, r.party0().rounds(), "send, wait, send twice: two rounds");
    assertEquals(2, phase.rounds());
    assertTrue(phase.wallMs() >= 0 && r.party0().wallNanos() > 0);
  }

  @Test
  void theFirstFailureIsReportedAndReleasesTheWaitingParty() {
    IllegalArgumentException e =
        assertTimeout(
            Duration.ofSeconds(30),
            () ->
                assertThrows(
                    IllegalArgumentException.class,
                    () ->
                        TwoPartyRun.run(
                            Duration.ofSeconds(60),
                            ctx -> {
                              ctx.barrier().await();
                              return 0;
                            },
                            ctx -> {
                              throw new IllegalArgumentException("party 1 rejects its input");
                            })),
            "party 0 did not wait out the timeout");
    assertEquals("party 1 rejects its input", e.getMessage());
  }

  @Test
  void aPartyThatNeverArrivesTimesOutWithAClearMessage() {
    Barrier b = new Barrier(Duration.ofMillis(200));
    IllegalStateException e = assertThrows(IllegalStateException.class, b::await);
    assertTrue(e.getMessage().contains("did not reach the next phase"), e.getMessage());
  }

  @Test
  void theBarrierIsReusableAcrossPhases() {
    TwoParties.Result<long[]> r =
        TwoPartyRun.run(
            Duration.ofSeconds(30),
            ctx -> {
              long[] seen = new long[3];
              for (int k = 0; k < 3; k++) {
                ctx.barrier().await();
                seen[k] = ctx.link().receiveLongs(k)[0];
              }
              return seen;
            },
            ctx -> {
              for (int k = 0; k < 3; k++) {
                ctx.barrier().await();
                ctx.link().send(k, new long[] {10 + k});
              }
              return null;
            });
    assertArrayEquals(new long[] {10, 11, 12}, r.party0());
  }
}
