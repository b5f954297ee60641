package dev.shoal.pipeline.route;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.stream.Admission;
import dev.shoal.pipeline.stream.PipelineQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Hands each accepted request to the queue of every pipeline of its signal.
 *
 * <p>The routes are an immutable snapshot swapped atomically, so receivers read them without locks
 * and a reload never leaves a request half-routed: a request offered to a queue that closed a
 * moment ago (its pipeline is being replaced) is offered again to the current snapshot.
 */
public final class SignalRouter {
  private volatile Map<Signal, List<PipelineQueue>> routes = new EnumMap<>(Signal.class);
  private final LongAdder unrouted = new LongAdder();

  /** Replaces the routes by the given pipeline queues. */
  public void route(Collection<PipelineQueue> queues) {
    Map<Signal, List<PipelineQueue>> next = new EnumMap<>(Signal.class);
    for (PipelineQueue q : queues) {
      next.computeIfAbsent(q.signal(), s -> new ArrayList<>()).add(q);
    }
    next.replaceAll((s, list) -> List.copyOf(list));
    routes = next;
  }

  /**
   * Offers the request to every pipeline of its signal. Accepted when at least one pipeline took
   * it; refused as full only when every pipeline that wants it was full.
   */
  public Admission offer(ExportRequest request) {
    Admission result = offerOnce(request);
    return result == Admission.CLOSED ? offerOnce(request) : result;
  }

  private Admission offerOnce(ExportRequest request) {
    List<PipelineQueue> queues = routes.get(request.signal());
    if (queues == null || queues.isEmpty()) {
      unrouted.add(request.items());
      return Admission.ACCEPTED;
    }
    boolean accepted = false;
    boolean full = false;
    for (PipelineQueue q : queues) {
      switch (q.offer(request)) {
        case ACCEPTED -> accepted = true;
        case QUEUE_FULL -> full = true;
        case CLOSED -> {}
      }
    }
    if (accepted) return Admission.ACCEPTED;
    return full ? Admission.QUEUE_FULL : Admission.CLOSED;
  }

  /** Items accepted while no pipeline of their signal existed: nobody asked for them. */
  public long unroutedItems() {
    return unrouted.sum();
  }
}
