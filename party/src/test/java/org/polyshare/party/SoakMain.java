package org.polyshare.party;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.polyshare.dealer.DealerServer;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.ErrorBound;
import org.polyshare.models.zoo.Zoo;

/**
 * The soak run, in its own JVM (so that heap figures and Netty's leak detector see only it): one
 * dealer, party 0 as a service and party 1 as repeated clients, all over loopback TLS in this
 * process, {@code sessions × perSession} inferences of tiny-pkn, each checked against the plaintext
 * model. Prints one {@code SOAK ...} line of results for {@link SoakTest}.
 */
public final class SoakMain {
  private SoakMain() {}

  private static long usedHeapAfterGc() throws InterruptedException {
    var mem = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return mem.getHeapMemoryUsage().getUsed();
  }

  public static void main(String[] args) throws Exception {
    // Before any other Netty class logs: leak reports go to java.util.logging, counted here.
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    AtomicInteger leaks = new AtomicInteger();
    Logger.getLogger("")
        .addHandler(
            new Handler() {
              @Override
              public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("LEAK")) {
                  leaks.incrementAndGet();
                  System.out.println(
                      "LEAK REPORT: " + r.getMessage().lines().findFirst().orElse(""));
                }
              }

              @Override
              public void flush() {}

              @Override
              public void close() {}
            });
    int sessions = Integer.parseInt(args[0]);
    int perSession = Integer.parseInt(args[1]);
    String name = "tiny-pkn";
    Model model = Zoo.load(name);
    double[][] xs = Demo.inputs(model, perSession); // the demo inputs every client uses
    double[][] plain = new double[perSession][];
    for (int k = 0; k < perSession; k++) {
      plain[k] = PlainEvaluator.forward(model, xs[k]);
    }
    double bound = ErrorBound.logits(model, xs);
    Duration t = Duration.ofSeconds(30);
    int mismatches = 0;
    int done = 0;
    long heapAt100 = -1;
    long t0 = System.nanoTime();
    try (LoopbackDealer dealer =
            LoopbackDealer.started(
                DealerServer.Settings.defaults().withPairTimeout(Duration.ofSeconds(10)));
        PartyService service = dealer.service(model, t, 1, 0, perSession)) {
      Parties client =
          dealer.parties(name).clientModel(name).session("soak").inferences(perSession).timeout(t);
      for (int s = 0; s < sessions; s++) {
        PartyRunner.Report r = client.runClient(service.port());
        for (int k = 0; k < perSession; k++) {
          double[] secure = r.inferences().get(k).logits();
          for (int j = 0; j < secure.length; j++) {
            if (!(Math.abs(secure[j] - plain[k][j]) <= bound)) {
              mismatches++;
            }
          }
        }
        done += perSession;
        if (heapAt100 < 0 && done >= 100) {
          heapAt100 = usedHeapAfterGc();
        }
      }
      // the service logs a session's end after the client returns: wait for the last one
      Await.until(
          () -> service.completedSessions() + service.failedSessions() >= sessions,
          Duration.ofSeconds(10));
      long heapAtEnd = usedHeapAfterGc();
      System.out.printf(
          Locale.ROOT,
          "SOAK inferences=%d sessions=%d completed=%d failed=%d mismatches=%d heap100=%d"
              + " heapEnd=%d seconds=%.1f%n",
          done,
          sessions,
          service.completedSessions(),
          service.failedSessions(),
          mismatches,
          heapAt100,
          heapAtEnd,
          (System.nanoTime() - t0) / 1e9);
    }
    // collected buffers are reported on the next allocations: make some, then collect again
    for (int i = 0; i < 3; i++) {
      System.gc();
      io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
      Thread.sleep(50);
    }
    int found = leaks.get();
    System.out.println("SOAK leaks=" + found);
    // Canary: a buffer dropped unreleased on purpose must be reported, or the count above means
    // nothing.
    io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(64).writeLong(1);
    for (int i = 0; i < 20 && leaks.get() == found; i++) {
      System.gc();
      Thread.sleep(50);
      io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
    }
    System.out.println("SOAK canary=" + (leaks.get() > found ? 1 : 0));
  }
}
