package org.polyshare.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.link.PartyLink;

/**
 * Per-message and per-byte cost of a party link: one {@code roundTrip} sends {@code longs} ring
 * elements to an echo thread at the other end, which receives them whole and answers with one
 * element. {@code link=netty} is {@link org.polyshare.core.net.NettyLink} over TLS 1.3 on loopback
 * (the separate-JVM path, both ends in this JVM on one transport); {@code link=memory} is {@link
 * org.polyshare.core.link.InMemoryLink} (the in-process path). {@code chunked=true} sends the
 * message as a chunked run ({@code sendChunked}, pieces of {@code -Dpolyshare.chunkBytes}, default
 * 128 KiB) and receives it piece by piece, as the owner-held linear layers do.
 *
 * <p>{@code longs=1}: the per-message cost (a ping-pong of two 8-byte messages). {@code
 * longs=16384} (128 KiB, one piece of a chunked layer message), {@code 131072} (1 MiB) and {@code
 * 1048576} (8 MiB, a whole ResNet-18 opening): add the per-byte cost; the time per op over the
 * bytes is the link's throughput.
 *
 * <p>{@code net=lan} wraps both ends in a {@link org.polyshare.core.link.ShapedLink} with the
 * {@code lan} profile, as {@code bench compare} does in both modes: the same message then costs the
 * profile's wire time plus what the link adds on top of it, so {@code link=netty} against {@code
 * link=memory} at {@code net=lan} is the per-message and per-byte price of separate JVMs under the
 * profile (the emulated wire hands a message to the real link only when it arrives, so the real
 * link's latency adds to the profile's). Under {@code -prof gc} the allocation per op shows what
 * each message costs the heap (load-independent, unlike the timings: run those on an idle machine).
 *
 * <pre>
 * java -cp bench/target/polyshare-bench.jar org.openjdk.jmh.Main LinkBenchmark
 * java -cp bench/target/polyshare-bench.jar org.openjdk.jmh.Main LinkBenchmark -p longs=1 -prof gc
 * java -cp bench/target/polyshare-bench.jar org.openjdk.jmh.Main LinkBenchmark -p net=lan -p chunked=true
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LinkBenchmark {
  @Param({"netty", "memory"})
  public String link;

  @Param({"1", "16384", "131072", "1048576"})
  public int longs;

  @Param({"loopback", "lan"})
  public String net = "loopback";

  @Param({"false", "true"})
  public boolean chunked;

  private LinkPair pair;
  private Echo echo;
  private long[] message;

  @Setup(Level.Trial)
  public void setup() {
    pair = LinkPair.open(link).shaped(NetworkProfile.named(net));
    message = new SplittableRandom(1).longs(longs).toArray();
    echo = new Echo(pair.end(1), longs, chunked);
    echo.start();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    pair.close();
    echo.join(5000);
    if (echo.failure != null) {
      throw new IllegalStateException("the echo end failed", echo.failure);
    }
  }

  @Benchmark
  public long roundTrip() {
    PartyLink a = pair.end(0);
    if (chunked) {
      a.sendChunked(Echo.REQUEST, message);
    } else {
      a.send(Echo.REQUEST, message);
    }
    return a.receiveLongs(Echo.REPLY)[0];
  }

  /**
   * The far end: receives each request whole and replies with its last element, until the link
   * closes.
   */
  static final class Echo extends Thread {
    static final int REQUEST = 1;
    static final int REPLY = 2;

    private final PartyLink end;
    private final int longs;
    private final boolean chunked;
    volatile Throwable failure;

    Echo(PartyLink end, int longs, boolean chunked) {
      super("link-benchmark-echo");
      setDaemon(true);
      this.end = end;
      this.longs = longs;
      this.chunked = chunked;
    }

    @Override
    public void run() {
      long[] last = new long[1];
      try {
        while (true) {
          if (chunked) {
            end.receiveLongs(
                REQUEST,
                longs,
                (piece, at) -> last[0] = piece.length > 0 ? piece[piece.length - 1] : 0);
          } else {
            long[] m = end.receiveLongs(REQUEST);
            last[0] = m[m.length - 1];
          }
          end.send(REPLY, last.clone());
        }
      } catch (org.polyshare.core.link.LinkException e) {
        // closed by tearDown: the trial is over
      } catch (RuntimeException e) {
        failure = e;
      }
    }
  }
}
