package dev.shoal.manager.kube;

import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.health.GatewayCondition;
import dev.shoal.manager.health.HealthSettings;
import dev.shoal.manager.health.TelemetryFlowCondition;
import dev.shoal.manager.reconcile.PipelineReconciler.Result;
import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.sharding.PipelineEntity.PipelineView;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/**
 * One round of the health conditions: asks every running pipeline's entity for its view at once,
 * and turns the answers into {@code TelemetryFlowHealthy} and {@code GatewayHealthy}. A pipeline
 * whose entity did not answer keeps its conditions as they were, so a slow ask never flaps them.
 */
final class HealthPoll {

  /** The conditions of one round, by resource; only for pipelines whose view arrived. */
  record Conditions(Map<ResourceRef, Condition> gateway, Map<ResourceRef, Condition> flow) {}

  private HealthPoll() {}

  /** The views of these pipelines (by data-plane name); failed or slow asks are left out. */
  static CompletableFuture<Map<String, PipelineView>> gather(
      FlowViews views, Collection<String> pipelines) {
    Map<String, CompletableFuture<Optional<PipelineView>>> asks = new TreeMap<>();
    for (String name : pipelines) {
      asks.put(
          name,
          views
              .view(name)
              .toCompletableFuture()
              .thenApply(Optional::of)
              .exceptionally(failure -> Optional.empty()));
    }
    return CompletableFuture.allOf(asks.values().toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<String, PipelineView> answered = new TreeMap<>();
              asks.forEach((name, ask) -> ask.join().ifPresent(v -> answered.put(name, v)));
              return answered;
            });
  }

  /**
   * @param running the running pipelines' resources
   * @param changedAt when each pipeline's settings last changed, by data-plane name
   * @param generation each resource's generation
   */
  static Conditions conditions(
      Collection<ResourceRef> running,
      Map<String, PipelineView> views,
      Set<String> upMembers,
      Map<String, Instant> changedAt,
      ToLongFunction<ResourceRef> generation,
      HealthSettings settings,
      Instant now,
      String time) {
    Map<ResourceRef, Condition> gateway = new TreeMap<>();
    Map<ResourceRef, Condition> flow = new TreeMap<>();
    for (ResourceRef ref : running) {
      PipelineView view = views.get(ref.pipelineName());
      if (view == null) continue;
      long gen = generation.applyAsLong(ref);
      flow.put(
          ref,
          TelemetryFlowCondition.of(Optional.of(view), settings.bufferFillThreshold(), gen, time));
      Instant changed = changedAt.getOrDefault(ref.pipelineName(), now);
      gateway.put(
          ref,
          GatewayCondition.of(
              Optional.of(view),
              upMembers,
              Duration.between(changed, now),
              settings.rolloutGrace(),
              gen,
              time));
    }
    return new Conditions(gateway, flow);
  }

  /** The resources whose pipelines run. */
  static Set<ResourceRef> running(Result result) {
    Set<String> names = new HashSet<>();
    result.pipelines().forEach(p -> names.add(p.name()));
    Set<ResourceRef> refs = new HashSet<>();
    for (ResourceRef ref : result.conditions().keySet()) {
      if (names.contains(ref.pipelineName())) refs.add(ref);
    }
    return refs;
  }

  /**
   * When each running pipeline's settings last changed, by data-plane name: {@code now} for new or
   * changed ones, else as before.
   */
  static Map<String, Instant> changedAt(
      Map<String, Instant> before, Result previous, Result next, Instant now) {
    Map<String, PipelineSettings> old = new HashMap<>();
    if (previous != null) previous.pipelines().forEach(p -> old.put(p.name(), p));
    Map<String, Instant> changed = new HashMap<>();
    for (PipelineSettings p : next.pipelines()) {
      Instant at = p.equals(old.get(p.name())) ? before.get(p.name()) : null;
      changed.put(p.name(), at == null ? now : at);
    }
    return changed;
  }
}
