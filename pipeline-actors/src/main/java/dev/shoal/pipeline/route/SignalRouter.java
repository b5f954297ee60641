package dev.shoal.pipeline.route;

import dev.shoal.pipeline.enrich.Enrichment;
import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.OtlpWire.ResourceSlice;
import dev.shoal.pipeline.otlp.ResourceFilter;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.stream.Admission;
import dev.shoal.pipeline.stream.InputSelector;
import dev.shoal.pipeline.stream.Overflow;
import dev.shoal.pipeline.stream.PipelineQueue;
import dev.shoal.pipeline.stream.PrometheusInput;
import dev.shoal.pipeline.stream.RunningPipeline;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * Hands each request to the queue of every pipeline of its signal whose input takes it.
 *
 * <p>Admission is decided across all those pipelines before any of them takes the request: room is
 * reserved in each, and only then is the request enqueued where it was reserved. So a request that
 * is refused is in no queue (a retry brings no duplicate), and one that is acknowledged is in every
 * queue that had room. Pipelines whose queue is full either skip it and count a drop ({@link
 * Overflow#DROP}, the default: one slow backend cannot stall the others), or refuse the whole
 * request ({@link Overflow#REFUSE}). When every pipeline is full the client is refused.
 *
 * <p>A request is enriched first ({@link Enrichment}: Kubernetes metadata), once, so that every
 * pipeline gets the same enriched request and namespace selection sees the namespace enrichment
 * added.
 *
 * <p>Pipelines with a durable queue take a request once its record is written: {@link
 * #offerAcknowledged} completes only then, and the receivers answer the client then.
 *
 * <p>The routes are an immutable snapshot swapped atomically, so receivers read them without locks.
 * A request that meets a pipeline which closed a moment ago (it is being replaced) is offered again
 * to the current snapshot.
 */
public final class SignalRouter {
  private static final String NAMESPACE = "k8s.namespace.name";
  private static final CompletionStage<Admission> ACCEPTED =
      CompletableFuture.completedFuture(Admission.ACCEPTED);
  private static final CompletionStage<Admission> QUEUE_FULL =
      CompletableFuture.completedFuture(Admission.QUEUE_FULL);
  private static final CompletionStage<Admission> CLOSED =
      CompletableFuture.completedFuture(Admission.CLOSED);
  private volatile Map<Signal, List<RunningPipeline>> routes = new EnumMap<>(Signal.class);
  private final Map<Signal, LongAdder> unrouted = new EnumMap<>(Signal.class);
  private final UnroutedLog unroutedLog = new UnroutedLog();
  private final Enrichment enrichment;

  /** A router that enriches nothing. */
  public SignalRouter() {
    this(Enrichment.NONE);
  }

  public SignalRouter(Enrichment enrichment) {
    this.enrichment = enrichment;
    for (Signal s : Signal.values()) unrouted.put(s, new LongAdder());
  }

  /** Routes to exactly these pipelines from now on. */
  public void route(Collection<RunningPipeline> pipelines) {
    Map<Signal, List<RunningPipeline>> next = new EnumMap<>(Signal.class);
    for (RunningPipeline p : pipelines) {
      next.computeIfAbsent(p.settings().signal(), s -> new ArrayList<>()).add(p);
    }
    next.replaceAll((s, list) -> List.copyOf(list));
    routes = next;
  }

  /** The pipelines routed to now. */
  public List<RunningPipeline> pipelines() {
    return routes.values().stream().flatMap(List::stream).toList();
  }

  /**
   * Offers a request whose sender's address is not known, and waits for the answer. With durable
   * queues that wait is for a disk write: receivers use {@link #offerAcknowledged}; this is for
   * in-memory pipelines and tests.
   */
  public Admission offer(ExportRequest request) {
    return offer(request, null);
  }

  /** As {@link #offer(ExportRequest)}, for a request that came from {@code peer}. */
  public Admission offer(ExportRequest request, InetAddress peer) {
    return offerAcknowledged(request, peer).toCompletableFuture().join();
  }

  /**
   * Offers a request to its pipelines; completes when it may be answered: {@link
   * Admission#ACCEPTED} once every pipeline that took it holds it (with the durable queue on: once
   * its record is written), at once for in-memory pipelines.
   */
  public CompletionStage<Admission> offerAcknowledged(ExportRequest request) {
    return offerAcknowledged(request, null);
  }

  /**
   * Enriches a request ({@code peer}: the address of the connection it came on, or null) and offers
   * it to its pipelines, as {@link #offerAcknowledged(ExportRequest)}.
   */
  public CompletionStage<Admission> offerAcknowledged(ExportRequest request, InetAddress peer) {
    ExportRequest enriched = enrichment.enrich(request, peer);
    CompletionStage<Admission> result = offerOnce(enriched, null);
    CompletableFuture<Admission> now = result.toCompletableFuture();
    // CLOSED is only ever decided before anything is enqueued, so it is known at once.
    return now.isDone() && now.join() == Admission.CLOSED ? offerOnce(enriched, null) : result;
  }

  /**
   * Offers a scrape's metrics to the named metric pipelines that take scraped series ({@code
   * diagnostics}: that also take {@code up} and {@code scrape_*}). A full pipeline counts a drop,
   * as for OTLP; nobody can be asked to send the data again. Completes as {@link
   * #offerAcknowledged(ExportRequest)} does.
   */
  public CompletionStage<Admission> offerScraped(
      ExportRequest request, Set<String> pipelines, boolean diagnostics) {
    ScrapedFor source = new ScrapedFor(pipelines, diagnostics);
    CompletionStage<Admission> result = offerOnce(request, source);
    CompletableFuture<Admission> now = result.toCompletableFuture();
    return now.isDone() && now.join() == Admission.CLOSED ? offerOnce(request, source) : result;
  }

  /** Which pipelines a scrape's data is for. */
  private record ScrapedFor(Set<String> pipelines, boolean diagnostics) {
    boolean wantedBy(RunningPipeline p) {
      PrometheusInput prometheus = p.settings().input().prometheus();
      return prometheus.enabled()
          && pipelines.contains(p.name())
          && (!diagnostics || prometheus.diagnosticMetrics());
    }
  }

  /** {@code scraped} null: a request from the OTLP receivers. */
  private CompletionStage<Admission> offerOnce(ExportRequest request, ScrapedFor scraped) {
    List<RunningPipeline> candidates = routes.getOrDefault(request.signal(), List.of());
    List<ResourceSlice> resources =
        scraped == null && selectsNamespaces(candidates) ? namespaces(request) : null;
    List<Target> targets = new ArrayList<>(candidates.size());
    for (RunningPipeline p : candidates) {
      ExportRequest wanted =
          scraped == null
              ? wantedBy(p.settings().input(), request, resources)
              : (scraped.wantedBy(p) ? request : null);
      if (wanted != null) targets.add(new Target(p.queue(), p.settings().overflow(), wanted));
    }
    if (targets.isEmpty()) {
      // Scraped data is scraped for pipelines that want it; diagnostics nobody keeps are no loss.
      if (scraped != null) return ACCEPTED;
      unrouted.get(request.signal()).add(request.items());
      unroutedLog.discarded(request.signal(), candidates.isEmpty());
      return ACCEPTED;
    }
    if (resources != null) countResourcesNoPipelineSelects(request, resources, candidates);

    boolean anyReserved = false;
    boolean refuse = false;
    boolean anyClosed = false;
    for (Target t : targets) {
      t.reservation = t.queue.reserve(t.request);
      switch (t.reservation) {
        case ACCEPTED -> anyReserved = true;
        case CLOSED -> anyClosed = true;
        case QUEUE_FULL -> refuse |= t.overflow == Overflow.REFUSE;
      }
    }
    // A pipeline that closed a moment ago means the routes changed: the caller tries again with
    // the new ones, and only that attempt counts the request as received.
    if (!anyClosed) for (Target t : targets) t.queue.countReceived(t.request.items());
    if (anyClosed || refuse || !anyReserved) {
      for (Target t : targets) {
        if (t.reservation == Admission.ACCEPTED) t.queue.cancel(t.request);
        else if (!anyClosed) t.queue.countRefused(t.request.items());
      }
      if (anyClosed) return CLOSED;
      if (refuse) {
        for (Target t : targets) {
          if (t.reservation == Admission.ACCEPTED) t.queue.countRefused(t.request.items());
        }
      }
      return QUEUE_FULL;
    }
    return enqueue(targets);
  }

  /**
   * Enqueues where room was reserved; pipelines with a durable queue answer once the request is
   * written. A pipeline that could not take it after all (its disk refused the write) counts a drop
   * when another one took the request, and a refusal when none did.
   */
  private static CompletionStage<Admission> enqueue(List<Target> targets) {
    List<CompletableFuture<Admission>> written = null;
    for (Target t : targets) {
      if (t.reservation == Admission.ACCEPTED && t.queue.isDurable()) {
        if (written == null) written = new ArrayList<>(targets.size());
        written.add(t.queue.enqueueReservedAsync(t.request).toCompletableFuture());
      } else if (t.reservation == Admission.ACCEPTED) {
        t.reservation = t.queue.enqueueReserved(t.request);
      }
    }
    if (written == null) return acceptedByAny(targets) ? ACCEPTED : QUEUE_FULL;
    List<CompletableFuture<Admission>> all = written;
    return CompletableFuture.allOf(all.toArray(CompletableFuture<?>[]::new))
        .thenApply(
            done -> {
              int next = 0;
              for (Target t : targets) {
                if (t.reservation == Admission.ACCEPTED && t.queue.isDurable()) {
                  t.reservation = all.get(next++).join();
                }
              }
              return acceptedByAny(targets) ? Admission.ACCEPTED : Admission.QUEUE_FULL;
            });
  }

  /** Counts the targets that did not take the request; true when at least one did. */
  private static boolean acceptedByAny(List<Target> targets) {
    boolean accepted = targets.stream().anyMatch(t -> t.reservation == Admission.ACCEPTED);
    for (Target t : targets) {
      if (t.reservation == Admission.ACCEPTED) continue;
      if (accepted) t.queue.countDropped(DropReason.QUEUE_FULL, t.request.items());
      else t.queue.countRefused(t.request.items());
    }
    return accepted;
  }

  /** Whether some pipeline takes only some namespaces: only then are resources looked at. */
  private static boolean selectsNamespaces(List<RunningPipeline> candidates) {
    for (RunningPipeline p : candidates) {
      InputSelector input = p.settings().input();
      if (input.otlpEnabled() && !input.selectsAllNamespaces()) return true;
    }
    return false;
  }

  private static List<ResourceSlice> namespaces(ExportRequest request) {
    return ResourceFilter.resources(request, NAMESPACE);
  }

  /**
   * When pipelines select namespaces, the resources that none of them selects are discarded: they
   * are counted as unrouted like whole requests nobody takes.
   */
  private void countResourcesNoPipelineSelects(
      ExportRequest request, List<ResourceSlice> resources, List<RunningPipeline> candidates) {
    for (RunningPipeline p : candidates) {
      InputSelector input = p.settings().input();
      if (input.otlpEnabled() && input.selectsAllNamespaces()) return;
    }
    long leftOver = 0;
    for (ResourceSlice r : resources) {
      if (!selectedByAny(r.attribute(), candidates)) leftOver += r.items();
    }
    if (leftOver > 0) {
      unrouted.get(request.signal()).add(leftOver);
      unroutedLog.discarded(request.signal(), false);
    }
  }

  private static boolean selectedByAny(String namespace, List<RunningPipeline> candidates) {
    for (RunningPipeline p : candidates) {
      InputSelector input = p.settings().input();
      if (input.otlpEnabled() && input.selectsNamespace(namespace)) return true;
    }
    return false;
  }

  /** The part of the request the pipeline's input takes, or null when it takes none of it. */
  private static ExportRequest wantedBy(
      InputSelector input, ExportRequest request, List<ResourceSlice> resources) {
    if (!input.otlpEnabled()) return null;
    if (input.selectsAllNamespaces()) return request;
    return ResourceFilter.keep(request, resources, input::selectsNamespace);
  }

  /**
   * Items accepted while no pipeline wanted them (no pipeline of their signal, or every pipeline
   * selects other namespaces): nobody asked for them, so they are discarded, counted and logged.
   */
  public long unroutedItems() {
    return unrouted.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long unroutedItems(Signal signal) {
    return unrouted.get(signal).sum();
  }

  private static final class Target {
    final PipelineQueue queue;
    final Overflow overflow;
    final ExportRequest request;
    Admission reservation;

    Target(PipelineQueue queue, Overflow overflow, ExportRequest request) {
      this.queue = queue;
      this.overflow = overflow;
      this.request = request;
    }
  }
}
