package dev.shoal.bench.load;

import java.util.concurrent.CompletionStage;

/** Sends encoded export requests to one target over one protocol. */
interface Transport extends AutoCloseable {

  /** Sends one request. The stage always completes normally, with what became of the request. */
  CompletionStage<Outcome> send(RequestPool.Payload payload);

  /** Requests that may be in flight at once over all connections. */
  int maxInFlight();

  /** Closes the connections; requests still in flight fail. */
  @Override
  void close();

  /** What became of one request. */
  record Outcome(Result result, long rejectedSpans, String detail) {
    static final Outcome ACKNOWLEDGED = new Outcome(Result.ACKNOWLEDGED, 0, "");

    static Outcome refused(String detail) {
      return new Outcome(Result.REFUSED, 0, detail);
    }

    static Outcome failed(String detail) {
      return new Outcome(Result.FAILED, 0, detail);
    }
  }

  enum Result {
    /** The target took the request (possibly rejecting some spans: partial success). */
    ACKNOWLEDGED,
    /**
     * The target said "not now, retry later": HTTP 429/503, gRPC UNAVAILABLE/RESOURCE_EXHAUSTED.
     */
    REFUSED,
    /** Anything else: a permanent rejection, a timeout, a broken connection. */
    FAILED
  }
}
