package org.polyshare.core.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bounded mailbox's rules, without a network: tag set, pause and resume, the cap. */
class MailboxTest {
  private static final int CAP = 1000 + 4 * Mailbox.OVERHEAD; // four 250-byte messages
  private static final TagSet TAGS = TagSet.of(new TagSet.Family("test", 1, 9));

  /** Records the reading switches the mailbox asks for. */
  private static final class Switches implements Mailbox.Flow {
    final List<Boolean> calls = new ArrayList<>();

    @Override
    public synchronized void reading(boolean on) {
      calls.add(on);
    }

    synchronized List<Boolean> calls() {
      return List.copyOf(calls);
    }
  }

  @Test
  void anUnexpectedTagIsRefusedWithTheTagsThisEndReads() {
    Mailbox m = new Mailbox(TAGS, CAP, Mailbox.Flow.NONE);
    LinkException e =
        assertThrows(LinkException.class, () -> m.deliver(42, new byte[1], "party 1"));
    assertTrue(
        e.getMessage().contains("refused tag 0x2a from party 1")
            && e.getMessage().contains("test (0x1–0x9)"),
        e.getMessage());
  }

  @Test
  void withNobodyWaitingReadingPausesAtHalfAndResumesBelowAQuarter() {
    Switches flow = new Switches();
    Mailbox m = new Mailbox(TAGS, CAP, flow);
    m.deliver(3, new byte[250], "p");
    assertEquals(List.of(), flow.calls());
    m.deliver(3, new byte[250], "p"); // half the cap: pause
    assertEquals(List.of(false), flow.calls());
    for (int i = 0;
        i < 4;
        i++) { // bytes read before the pause took effect still queue, past the cap
      m.deliver(4, new byte[250], "p");
    }
    assertTrue(m.queuedBytes() > CAP);
    for (int i = 0; i < 4; i++) {
      m.take(4, Duration.ofSeconds(1), "p");
    }
    m.take(3, Duration.ofSeconds(1), "p"); // a quarter of the cap still queued
    assertEquals(List.of(false), flow.calls(), "not yet below a quarter");
    m.take(3, Duration.ofSeconds(1), "p");
    assertEquals(List.of(false, true), flow.calls());
  }

  @Test
  void aWaitingReceiverReadsOnAndAFloodOfOtherTagsEndsAtTheCap() throws Exception {
    Switches flow = new Switches();
    Mailbox m = new Mailbox(TAGS, CAP, flow);
    m.deliver(7, new byte[250], "p");
    m.deliver(7, new byte[250], "p"); // paused
    CompletableFuture<Object> waiting =
        CompletableFuture.supplyAsync(() -> m.take(5, Duration.ofSeconds(10), "p"));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (flow.calls().size() < 2 && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertEquals(
        List.of(false, true), flow.calls(), "what the receiver waits for is behind the queue");
    m.deliver(7, new byte[250], "p");
    m.deliver(7, new byte[250], "p"); // at the cap
    LinkException e =
        assertThrows(LinkException.class, () -> m.deliver(8, new byte[250], "party 1"));
    assertTrue(
        e.getMessage().contains("party 1 sent more than " + CAP + " bytes that are not read")
            && e.getMessage().contains("4 message(s), 1000 bytes under tag 0x7")
            && e.getMessage().contains("waits for tag 0x5"),
        e.getMessage());
    // the awaited tag itself is never refused for the cap
    m.deliver(5, new byte[250], "p");
    assertEquals(250, ((byte[]) waiting.get(5, TimeUnit.SECONDS)).length);
    assertFalse(m.failed());
  }
}
