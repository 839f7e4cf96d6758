package org.polyshare.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.polyshare.core.gc.Circuit;
import org.polyshare.core.gc.Evaluator;
import org.polyshare.core.gc.Garbler;
import org.polyshare.core.gc.GcRelu;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;
import org.polyshare.core.store.LongFile;
import org.polyshare.core.store.MaterialStore;

/**
 * Half-gates engine throughput on the GC ReLU circuit (shift 16, 173 AND gates), single thread, 256
 * instances per call as {@code GcRelu} runs it. Scores are AND gates per second. {@code
 * evaluateFromStore} reads the tables from a memory-mapped material file, gate by gate, as party 1
 * does online; set against {@code evaluate} (tables in a heap array) it shows what the store costs
 * the engine.
 *
 * <pre>java -cp bench/target/polyshare-bench.jar org.openjdk.jmh.Main GarblingBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GarblingBenchmark {
  static final int INSTANCES = 256;
  static final int ANDS = 173 * INSTANCES;

  private Garbler garbler;
  private Evaluator evaluator;
  private long[] tables;
  private long instance;
  private MaterialStore store;
  private LongFile stored;

  @Setup(Level.Trial)
  public void setup() {
    Circuit c = GcRelu.circuit(16);
    if (c.andCount() * INSTANCES != ANDS) {
      throw new IllegalStateException("the ReLU circuit no longer has 173 AND gates; update ANDS");
    }
    Prg prg = new Prg(Seed.random());
    long[] delta = Garbler.randomDelta(prg);
    long nonce = prg.nextLong();
    garbler = new Garbler(c, INSTANCES, delta[0], delta[1], nonce);
    evaluator = new Evaluator(c, INSTANCES, nonce);
    for (int b = 0; b < c.inputBits(); b++) {
      prg.fill(garbler.inputLabels(b));
      prg.fill(evaluator.inputLabels(b));
    }
    tables = new long[(int) garbler.tableLongs(INSTANCES)];
    garbler.garble(INSTANCES, 0, tables, 0);
    store = MaterialStore.temporary();
    stored = store.create("jmh-tables", tables.length);
    stored.put(0, tables, 0, tables.length);
  }

  @TearDown(Level.Trial)
  public void removeStore() {
    store.close();
  }

  @Benchmark
  @OperationsPerInvocation(ANDS)
  public long[] garble() {
    instance = (instance + INSTANCES) & 0x7fff_ffffL; // tweaks need instances below 2^32
    garbler.garble(INSTANCES, instance, tables, 0);
    return tables;
  }

  @Benchmark
  @OperationsPerInvocation(ANDS)
  public long evaluate() {
    instance = (instance + INSTANCES) & 0x7fff_ffffL; // tweaks need instances below 2^32
    evaluator.evaluate(INSTANCES, instance, tables, 0);
    return evaluator.outputLsb(0, 0);
  }

  @Benchmark
  @OperationsPerInvocation(ANDS)
  public long evaluateFromStore() {
    instance = (instance + INSTANCES) & 0x7fff_ffffL;
    evaluator.evaluate(INSTANCES, instance, stored, 0);
    return evaluator.outputLsb(0, 0);
  }
}
