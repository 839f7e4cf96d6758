package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.gc.GcMaxPool;
import org.polyshare.core.gc.GcOffline;
import org.polyshare.core.protocol.Party;
import org.polyshare.models.graph.MaxPool;

/**
 * Max pooling by the garbled max-pool circuit ({@link GcMaxPool}, shift 0: exact). Online, each
 * party lays its shares out window by window; a cell outside the input is a public constant, so
 * party 0 holds it and party 1 a zero share: the ring minimum {@code −2^63} (never above a real
 * value, so it never wins: ONNX's −∞ padding, and the overhang of a ceil-mode window, which takes
 * no part), or 0 for a zero {@code Pad} folded into the pool. All of its cost is activation.
 */
final class MaxPoolLayer extends SecureLayer {
  /** The largest window the max circuit takes. */
  static final int MAX_WINDOW = 1024;

  private final PoolGeometry geometry;
  private final long padValue;
  private final int windows;
  private final List<CorrelationRequest> requests;

  MaxPoolLayer(Program.Step step, Lowering low) {
    super(step, low);
    MaxPool mp = (MaxPool) step.layer();
    this.geometry = PoolGeometry.of(step.inShape(), mp.window(), mp.name());
    if (geometry.window > MAX_WINDOW) {
      throw new IllegalArgumentException(
          "layer '"
              + mp.name()
              + "': a "
              + mp.kernel()
              + "x"
              + mp.kernel()
              + " max-pool window has "
              + geometry.window
              + " cells; the garbled"
              + " max-pool takes at most "
              + MAX_WINDOW);
    }
    this.padValue = mp.zeroPads() ? 0 : Long.MIN_VALUE;
    this.windows = n();
    this.requests = List.of(new CorrelationRequest.RandomOt(64 * geometry.window * windows));
  }

  @Override
  List<CorrelationRequest> linearRequests() {
    return List.of();
  }

  @Override
  List<CorrelationRequest> activationRequests() {
    return requests;
  }

  @Override
  boolean hasActivation() {
    return true;
  }

  @Override
  Session open(Party party) {
    return () ->
        new Inference() {
          private GcOffline max;

          @Override
          void offlineActivation(Party q) {
            max = GcMaxPool.prepare(q, windows, geometry.window, 0);
          }

          @Override
          long[] onlineLinear(Party q, long[][] in) {
            boolean owner = q.id() == 0;
            return geometry.gather(in[0], batch, owner ? padValue : 0, owner ? Long.MIN_VALUE : 0);
          }

          @Override
          long[] onlineActivation(Party q, long[] cells) {
            return GcMaxPool.online(q, max, cells);
          }
        };
  }

  @Override
  long[] ring(long[][] in) {
    long[] cells = geometry.gather(in[0], batch, padValue, Long.MIN_VALUE);
    int w = geometry.window;
    long[] out = new long[windows];
    for (int g = 0; g < windows; g++) {
      long m = cells[g * w];
      for (int j = g * w + 1, end = g * w + w; j < end; j++) {
        m = Math.max(m, cells[j]);
      }
      out[g] = m;
    }
    return out;
  }
}
