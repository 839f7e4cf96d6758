package org.polyshare.bench.accuracy;

import java.time.Duration;
import org.polyshare.core.protocol.InProcessSession;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.ReluMode;
import org.polyshare.models.secure.SecureModel;
import org.polyshare.models.secure.SecureOptions;
import org.polyshare.models.secure.SecureResult;
import org.polyshare.models.secure.SecureSession;

/**
 * {@code bench accuracy --mode in_process}: both parties as threads of this JVM over an in-memory
 * link with an in-process dealer, the same protocol code the party processes run, without sockets.
 * One session; the images go through in batches, the last padded with copies of an image whose
 * logits are dropped. Times are party 1's clock.
 */
public final class InProcessAccuracy {
  private InProcessAccuracy() {}

  /** {@code owner}: party 0's model; {@code client}: what party 1 is given of it. */
  public static void run(
      Model owner,
      Model client,
      Mnist.Split test,
      int batch,
      TruncationMode truncation,
      ReluMode relu,
      SecurePass secure) {
    int n = test.n();
    SecureOptions opts = SecureOptions.defaults().withTruncation(truncation).withRelu(relu);
    SecureModel sm0 = SecureModel.compile(owner, batch, opts);
    SecureModel sm1 = SecureModel.compile(client, batch, opts);
    int batches = (n + batch - 1) / batch;
    InProcessSession session =
        new InProcessSession(owner.fixedPoint(), truncation, Duration.ofSeconds(300));
    System.err.printf(
        "secure inference of %d images (mode in_process, f = %d, truncation %s, ReLU by %s,"
            + " batch %d)%n",
        n, owner.fracBits(), truncation, relu, batch);
    session.run(
        p -> {
          SecureSession s = sm0.open(p);
          for (int k = 0; k < batches; k++) {
            s.offline();
            s.online(null);
          }
          return 0;
        },
        p -> {
          SecureSession s = sm1.open(p);
          for (int k = 0; k < batches; k++) {
            int lo = k * batch;
            double[][] in = new double[batch][];
            for (int j = 0; j < batch; j++) {
              in[j] = test.image(Math.min(lo + j, n - 1));
            }
            s.offline();
            SecureResult res = s.online(in);
            secure.addTimes(res.offlineNanos(), res.onlineNanos());
            secure.addOnlineBytes(
                res.onlineTraffic().bytesSent() + res.onlineTraffic().bytesReceived());
            for (int j = 0; j < batch && lo + j < n; j++) {
              secure.logits(lo + j, res.logits()[j]);
            }
            if (k % 10 == 9 || k == batches - 1) {
              System.err.printf("\r  %d / %d images", Math.min(lo + batch, n), n);
            }
          }
          System.err.println();
          return 0;
        });
  }
}
