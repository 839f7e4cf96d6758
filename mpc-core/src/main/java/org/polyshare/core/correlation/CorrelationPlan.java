package org.polyshare.core.correlation;

import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.util.ArrayList;
import java.util.List;

/**
 * The ordered list of correlation requests one session (or one inference) will consume, derived
 * from the model's architecture alone. Both parties hand it (or its hash) to the dealer, which
 * serves only when they agree.
 *
 * <p>Canonical encoding: {@code [count, len_1, req_1..., len_2, req_2...]} with each request in its
 * {@link CorrelationRequest#encode} form; {@link #sha256} hashes those longs little-endian.
 */
public record CorrelationPlan(List<CorrelationRequest> requests) {
  public CorrelationPlan {
    requests = ImmutableList.copyOf(requests);
  }

  public static CorrelationPlan of(CorrelationRequest... requests) {
    return new CorrelationPlan(List.of(requests));
  }

  public int size() {
    return requests.size();
  }

  public long[] encode() {
    List<long[]> parts = new ArrayList<>(requests.size());
    int total = 1;
    for (CorrelationRequest r : requests) {
      long[] e = r.encode();
      parts.add(e);
      total += 1 + e.length;
    }
    long[] out = new long[total];
    out[0] = requests.size();
    int o = 1;
    for (long[] e : parts) {
      out[o++] = e.length;
      System.arraycopy(e, 0, out, o, e.length);
      o += e.length;
    }
    return out;
  }

  public static CorrelationPlan decode(long[] e) {
    if (e.length < 1 || e[0] < 0 || e[0] > e.length) {
      throw new IllegalArgumentException("malformed correlation plan encoding");
    }
    int count = (int) e[0];
    List<CorrelationRequest> out = new ArrayList<>(count);
    int o = 1;
    for (int i = 0; i < count; i++) {
      if (o >= e.length || e[o] < 1 || o + 1 + e[o] > e.length) {
        throw new IllegalArgumentException("malformed correlation plan encoding at request " + i);
      }
      int len = (int) e[o];
      long[] r = new long[len];
      System.arraycopy(e, o + 1, r, 0, len);
      out.add(CorrelationRequest.decode(r));
      o += 1 + len;
    }
    if (o != e.length) {
      throw new IllegalArgumentException("trailing data after correlation plan encoding");
    }
    return new CorrelationPlan(out);
  }

  /** SHA-256 of the canonical encoding: equal plans hash equal, on every JVM. */
  public byte[] sha256() {
    Hasher h = Hashing.sha256().newHasher();
    for (long v : encode()) {
      h.putLong(v);
    }
    return h.hash().asBytes();
  }

  public String sha256Hex() {
    return toHex(sha256());
  }

  private static String toHex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >>> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
    }
    return sb.toString();
  }

  /**
   * Fails unless {@code asked} is {@code planned}, the next request of a plan: a computation that
   * departs from its plan would otherwise be served another kind of correlation. {@code who} asked,
   * {@code plan} names the plan in the error.
   */
  public static void checkNext(
      CorrelationRequest planned, CorrelationRequest asked, String who, String plan) {
    if (!planned.equals(asked)) {
      throw new IllegalStateException(
          who + " asked for " + asked + " but " + plan + " has " + planned + " next");
    }
  }
}
