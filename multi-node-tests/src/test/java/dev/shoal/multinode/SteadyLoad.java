package dev.shoal.multinode;

import com.google.protobuf.ByteString;
import dev.shoal.node.NodeProcess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * OTLP/HTTP protobuf trace exports at a steady rate, spread over some members, counting per member
 * the spans it acknowledged (answered 200). A request refused, failed or unanswered is not
 * acknowledged, and nothing is promised about it: a client would send it again.
 */
final class SteadyLoad {
  static final int SPANS_PER_REQUEST = 10;

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final byte[] body = request().toByteArray();
  private final long interval;
  private final Map<String, LongAdder> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> notAcknowledged = new ConcurrentHashMap<>();
  private final Queue<CompletableFuture<?>> sent = new ConcurrentLinkedQueue<>();
  private long next = System.nanoTime();
  private long requests;

  SteadyLoad(int requestsPerSecond) {
    interval = TimeUnit.SECONDS.toNanos(1) / requestsPerSecond;
  }

  /**
   * Sends for {@code duration}, round robin over {@code targets}, at the rate given; returns
   * without waiting for the answers. Calls that follow each other continue the same pace, so that a
   * test can act on the cluster between two calls while the load keeps going.
   */
  void send(Duration duration, List<NodeProcess> targets) {
    long end = System.nanoTime() + duration.toNanos();
    next = Math.max(next, System.nanoTime());
    while (next < end) {
      LockSupport.parkNanos(next - System.nanoTime()); // pacing, not waiting for a condition
      NodeProcess target = targets.get((int) (requests++ % targets.size()));
      String endpoint = target.httpEndpoint();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(endpoint + "/v1/traces"))
              .timeout(REQUEST_TIMEOUT)
              .header("Content-Type", "application/x-protobuf")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      sent.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .handle(
                  (response, failure) -> {
                    if (failure == null && response.statusCode() == 200) {
                      acknowledged
                          .computeIfAbsent(endpoint, e -> new LongAdder())
                          .add(SPANS_PER_REQUEST);
                    } else {
                      String why =
                          failure != null
                              ? (failure.getCause() != null ? failure.getCause() : failure)
                                  .getClass()
                                  .getSimpleName()
                              : "HTTP " + response.statusCode();
                      notAcknowledged.computeIfAbsent(why, w -> new LongAdder()).increment();
                    }
                    return null;
                  }));
      next += interval;
    }
  }

  /** Waits until every request sent was answered or timed out. */
  void awaitAnswers() throws Exception {
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
        .get(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
  }

  /** Spans acknowledged by these members. */
  long acknowledgedBy(List<NodeProcess> members) {
    return members.stream()
        .map(m -> acknowledged.get(m.httpEndpoint()))
        .filter(a -> a != null)
        .mapToLong(LongAdder::sum)
        .sum();
  }

  long requestsSent() {
    return requests;
  }

  long requestsNotAcknowledged() {
    return notAcknowledged.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Requests not acknowledged, by status or exception. */
  Map<String, LongAdder> notAcknowledgedBy() {
    return notAcknowledged;
  }

  /** One request of {@link #SPANS_PER_REQUEST} spans of one trace, sent again and again. */
  private static ExportTraceServiceRequest request() {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    ByteString traceId =
        ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8});
    long start = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    for (int i = 0; i < SPANS_PER_REQUEST; i++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(traceId)
              .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 1, (byte) (i + 1)}))
              .setName("delivery-" + i)
              .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
              .setStartTimeUnixNano(start)
              .setEndTimeUnixNano(start + 1_000_000L));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("delivery-it"))))
                .addScopeSpans(scope))
        .build();
  }
}
