package dev.shoal.pipeline.stream;

import dev.shoal.pipeline.durable.DurableLog;
import dev.shoal.pipeline.durable.Handoff;
import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.DropReason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * The entrance of one pipeline: a bounded queue whose bound is in bytes.
 *
 * <p>Bytes are reserved when a request is offered and released only when its batch has been
 * exported, so the bound covers everything the pipeline holds: the queue, the batch being formed
 * and the exports in flight. Every method answers at once, never blocks, and is safe from any
 * thread: a receiver acknowledges a request only after it was enqueued.
 *
 * <p>Closing waits for reservations in flight: a request whose room was reserved before the close
 * is still enqueued (and exported), so a request is never taken by only some of the pipelines it
 * was routed to because one of them closed in between.
 *
 * <p>With the durable queue on, room is reserved on disk as well, and a reserved request goes to
 * the pipeline's {@link DurableLog}, whose writer thread enqueues it once its record is written:
 * {@link #enqueueReservedAsync} completes only then.
 */
public final class PipelineQueue {
  private final String pipeline;
  private final Signal signal;
  private final ByteBudget budget;
  private final BoundedSourceQueue<ExportRequest> queue;
  private final PipelineCounters counters;
  private final DurableLog durable;
  // A draining pipeline keeps its bytes until its last export: it answers CLOSED, not full, so
  // that the router offers the request to the pipeline that replaced it.
  private volatile boolean closed;
  private final AtomicInteger reservationsInFlight = new AtomicInteger();
  private final AtomicBoolean completed = new AtomicBoolean();

  PipelineQueue(
      String pipeline,
      Signal signal,
      ByteBudget budget,
      BoundedSourceQueue<ExportRequest> queue,
      PipelineCounters counters,
      DurableLog durable) {
    this.pipeline = pipeline;
    this.durable = durable;
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

  /**
   * Puts the request into the queue if there is room for its bytes; never blocks. A full queue
   * counts the request as refused. The router uses the two steps {@link #reserve} and {@link
   * #enqueueReserved} instead, to decide across pipelines before any of them takes it.
   */
  public Admission offer(ExportRequest request) {
    countReceived(request.items());
    Admission reserved = reserve(request);
    if (reserved == Admission.QUEUE_FULL) countRefused(request.items());
    if (reserved != Admission.ACCEPTED) return reserved;
    if (durable == null) return enqueueReserved(request);
    Admission written = enqueueReservedAsync(request).toCompletableFuture().join();
    if (written == Admission.QUEUE_FULL) countRefused(request.items());
    return written;
  }

  /**
   * Reserves room for the request's bytes without enqueuing it. {@link Admission#ACCEPTED} means
   * reserved: follow with {@link #enqueueReserved} or {@link #cancel}, always.
   */
  public Admission reserve(ExportRequest request) {
    reservationsInFlight.incrementAndGet();
    Admission result;
    if (closed) result = Admission.CLOSED;
    else if (!budget.tryReserve(request.bytes())) result = Admission.QUEUE_FULL;
    else if (durable == null || durable.tryReserve(request.bytes())) return Admission.ACCEPTED;
    else {
      budget.release(request.bytes());
      result = Admission.QUEUE_FULL;
    }
    reservationEnded();
    return result;
  }

  /** Whether requests are written to a durable log before they are enqueued. */
  public boolean isDurable() {
    return durable != null;
  }

  /** The durable log, or null when the queue is in memory only. */
  public DurableLog durableLog() {
    return durable;
  }

  /**
   * Enqueues a request whose bytes were reserved, after writing it to the durable log when there is
   * one; completes at once without one. On failure the reservation is released.
   */
  public CompletionStage<Admission> enqueueReservedAsync(ExportRequest request) {
    if (durable == null) return CompletableFuture.completedFuture(enqueueReserved(request));
    return durable.append(request);
  }

  /**
   * Enqueues a request whose bytes were reserved; on failure the reservation is released. With a
   * durable log only its writer thread calls this, through {@link #handoff}.
   */
  public Admission enqueueReserved(ExportRequest request) {
    try {
      QueueOfferResult result = queue.offer(request);
      if (result.isEnqueued()) {
        counters.accepted.add(request.items());
        return Admission.ACCEPTED;
      }
      budget.release(request.bytes());
      return result == QueueOfferResult.dropped() ? Admission.QUEUE_FULL : Admission.CLOSED;
    } finally {
      reservationEnded();
    }
  }

  /** Releases a reservation that will not be used. */
  public void cancel(ExportRequest request) {
    budget.release(request.bytes());
    if (durable != null) durable.cancel(request.bytes());
    reservationEnded();
  }

  /** How the durable log hands written and recovered records to this queue. */
  Handoff handoff() {
    return new Handoff() {
      @Override
      public Admission enqueueWritten(ExportRequest request) {
        return enqueueReserved(request);
      }

      @Override
      public void writeFailed(ExportRequest request) {
        budget.release(request.bytes());
        reservationEnded();
      }

      @Override
      public Admission offerRecovered(ExportRequest request) {
        reservationsInFlight.incrementAndGet();
        if (closed) {
          reservationEnded();
          return Admission.CLOSED;
        }
        if (!budget.tryReserve(request.bytes())) {
          reservationEnded();
          return Admission.QUEUE_FULL;
        }
        return enqueueReserved(request);
      }
    };
  }

  private void reservationEnded() {
    if (reservationsInFlight.decrementAndGet() == 0 && closed) completeOnce();
  }

  /** Counts items offered to this pipeline, once per request whatever became of them. */
  public void countReceived(long items) {
    counters.received.add(items);
  }

  /** Counts items the client was told to retry. */
  public void countRefused(long items) {
    counters.refused.add(items);
  }

  /** Counts items this pipeline skipped while another one took the request. */
  public void countDropped(DropReason reason, long items) {
    counters.dropped(reason, items);
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

  /**
   * Takes nothing more; what is queued, and what was reserved before, still flows to the output.
   * Closing twice is harmless.
   */
  void close() {
    closed = true;
    if (reservationsInFlight.get() == 0) completeOnce();
  }

  private void completeOnce() {
    if (completed.compareAndSet(false, true)) queue.complete();
  }
}
