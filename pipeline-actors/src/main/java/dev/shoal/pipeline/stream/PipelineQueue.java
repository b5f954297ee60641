package dev.shoal.pipeline.stream;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * The entrance of one pipeline: a bounded queue whose bound is in bytes.
 *
 * <p>Bytes are reserved when a request is offered and released only when its batch has been
 * exported, so the bound covers everything the pipeline holds: the queue, the batch being formed
 * and the exports in flight. {@link #offer} answers at once, never blocks, and is safe from any
 * thread: a receiver acknowledges a request only after it returned {@link Admission#ACCEPTED}.
 */
public final class PipelineQueue {
  private final String pipeline;
  private final Signal signal;
  private final ByteBudget budget;
  private final BoundedSourceQueue<ExportRequest> queue;
  private final PipelineCounters counters;
  private volatile boolean closed;

  PipelineQueue(
      String pipeline,
      Signal signal,
      ByteBudget budget,
      BoundedSourceQueue<ExportRequest> queue,
      PipelineCounters counters) {
    this.pipeline = pipeline;
    this.signal = signal;
    this.budget = budget;
    this.queue = queue;
    this.counters = counters;
  }

  public String pipeline() {
    return pipeline;
  }

  public Signal signal() {
    return signal;
  }

  /** Puts the request into the queue if there is room for its bytes; never blocks. */
  public Admission offer(ExportRequest request) {
    if (!budget.tryReserve(request.bytes())) {
      // A draining pipeline holds its bytes until its last export: it is closed, not full, so
      // that the router offers the request to the pipeline that replaced it.
      if (closed) return Admission.CLOSED;
      counters.refused.add(request.items());
      return Admission.QUEUE_FULL;
    }
    QueueOfferResult result = queue.offer(request);
    if (result.isEnqueued()) {
      counters.accepted.add(request.items());
      return Admission.ACCEPTED;
    }
    budget.release(request.bytes());
    if (result == QueueOfferResult.dropped()) {
      counters.refused.add(request.items());
      return Admission.QUEUE_FULL;
    }
    return Admission.CLOSED;
  }

  /** Bytes held by the pipeline now: queued, batching or being exported. */
  public long usedBytes() {
    return budget.used();
  }

  public long capacityBytes() {
    return budget.capacity();
  }

  public PipelineCounters counters() {
    return counters;
  }

  /** Takes nothing more; what is queued still flows to the output. */
  void close() {
    closed = true;
    queue.complete();
  }
}
