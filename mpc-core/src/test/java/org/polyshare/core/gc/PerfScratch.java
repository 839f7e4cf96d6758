package org.polyshare.core.gc;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;

public class PerfScratch {
  static final java.lang.management.ThreadMXBean TM = java.lang.management.ManagementFactory.getThreadMXBean();
  public static void main(String[] args) throws Exception {
    Circuit c = args.length > 0 && args[0].equals("relu") ? GcRelu.circuit(16)
        : BristolReader.read(new InputStreamReader(PerfScratch.class.getResourceAsStream("/circuits/aes_128.txt"), StandardCharsets.US_ASCII), "aes");
    int cap = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    Prg prg = new Prg(Seed.random());
    long[] d = Garbler.randomDelta(prg);
    Garbler g = new Garbler(c, cap, d[0], d[1]);
    Evaluator e = new Evaluator(c, cap);
    prg.fill(g.labels());
    prg.fill(e.labels());
    long[] tables = new long[(int) g.tableLongs(cap)];
    int reps = Math.max(1, 20_000_000 / (c.andCount() * cap));
    for (int round = 0; round < 5; round++) {
      long t0 = TM.getCurrentThreadCpuTime();
      for (int r = 0; r < reps; r++) g.garble(cap, (long) r * cap, tables, 0);
      long t1 = TM.getCurrentThreadCpuTime();
      for (int r = 0; r < reps; r++) e.evaluate(cap, (long) r * cap, tables, 0);
      long t2 = TM.getCurrentThreadCpuTime();
      double ands = (double) c.andCount() * cap * reps;
      System.out.printf("%s cap=%d garble %.1f M AND/s, eval %.1f M AND/s, both %.1f M AND/s%n", c.name(), cap,
          ands / (t1 - t0) * 1e3, ands / (t2 - t1) * 1e3, ands / (t2 - t0) * 1e3);
    }
  }
}
