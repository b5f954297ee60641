package dev.shoal.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * A fixed set of distinct, already encoded ExportTraceServiceRequests that the load generator sends
 * in turn. Encoding happens once, before the load starts, so the generator's own CPU goes into
 * sending only. The pool is bounded in bytes.
 */
public final class RequestPool {
  /**
   * Upper bound of the pool's encoded bytes; fewer requests are built when they would exceed it.
   */
  public static final long MAX_POOL_BYTES = 64L * 1024 * 1024;

  /**
   * One encoded request.
   *
   * @param index its place in the pool, so transports can keep their own form of it
   * @param protobuf the encoded ExportTraceServiceRequest; never modified
   * @param spans how many spans it holds
   */
  public record Payload(int index, byte[] protobuf, int spans) {}

  private final List<Payload> payloads;
  private final long bytes;
  private int next;

  private RequestPool(List<Payload> payloads, long bytes) {
    this.payloads = List.copyOf(payloads);
    this.bytes = bytes;
  }

  /**
   * Builds up to {@code requests} requests of {@code spansPerRequest} spans each, padding spans to
   * about {@code spanBytes} bytes when that is more than their natural size (0: no padding).
   */
  public static RequestPool build(int requests, int spansPerRequest, int spanBytes, long seed) {
    return build(requests, spansPerRequest, spanBytes, seed, MAX_POOL_BYTES);
  }

  static RequestPool build(
      int requests, int spansPerRequest, int spanBytes, long seed, long maxBytes) {
    if (requests < 1 || spansPerRequest < 1) {
      throw new IllegalArgumentException("a pool needs at least one request of at least one span");
    }
    SyntheticSpans spans = new SyntheticSpans(seed, spanBytes);
    long start = System.currentTimeMillis() * 1_000_000L;
    List<Payload> payloads = new ArrayList<>(requests);
    long bytes = 0;
    for (int i = 0; i < requests; i++) {
      byte[] encoded = spans.request(spansPerRequest, i % 16, start).toByteArray();
      if (!payloads.isEmpty() && bytes + encoded.length > maxBytes) break;
      payloads.add(new Payload(i, encoded, spansPerRequest));
      bytes += encoded.length;
    }
    return new RequestPool(payloads, bytes);
  }

  public List<Payload> payloads() {
    return payloads;
  }

  public int size() {
    return payloads.size();
  }

  /** Encoded bytes of all requests. */
  public long bytes() {
    return bytes;
  }

  /** The next request, round robin. Called by the one thread that sends. */
  Payload next() {
    Payload p = payloads.get(next);
    next = (next + 1) % payloads.size();
    return p;
  }
}
