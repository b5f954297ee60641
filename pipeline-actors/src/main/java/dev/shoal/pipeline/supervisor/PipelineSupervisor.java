package dev.shoal.pipeline.supervisor;

import dev.shoal.pipeline.metrics.ShoalMetrics;
import dev.shoal.pipeline.output.Exporters;
import dev.shoal.pipeline.route.SignalRouter;
import dev.shoal.pipeline.stream.PipelineCounters;
import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.pipeline.stream.PipelineStream;
import dev.shoal.pipeline.stream.RunningPipeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Runs this member's pipeline streams and keeps the router pointing at them.
 *
 * <p>State: the running pipelines by name, in memory only; on restart the node applies its
 * configuration again. A changed pipeline is started beside the old one, the router switches to the
 * new queue, and only then is the old one drained: what the old one acknowledged is still exported,
 * nothing is refused for the switch.
 */
public final class PipelineSupervisor extends AbstractBehavior<PipelineSupervisor.Command> {

  public interface Command {}

  /** Runs exactly these pipelines from now on. */
  public record ApplyPipelines(List<PipelineSettings> pipelines, ActorRef<Applied> replyTo)
      implements Command {}

  /**
   * Replies with {@link Applied} once a configuration was applied: at once when one was, else after
   * the first {@link ApplyPipelines}. For whoever must not start before the pipelines run.
   */
  public record AwaitApplied(ActorRef<Applied> replyTo) implements Command {}

  /** The pipelines that run after an {@link ApplyPipelines}. */
  public record Applied(List<RunningPipeline> running) {}

  /** Stops taking data and drains every pipeline to its output; replies when all are done. */
  public record Drain(ActorRef<Drained> replyTo) implements Command {}

  /** Every pipeline has exported what it held and stopped. */
  public enum Drained {
    INSTANCE
  }

  private record DrainFinished(ActorRef<Drained> replyTo) implements Command {}

  private final SignalRouter router;
  private final Map<String, RunningPipeline> running = new LinkedHashMap<>();
  private final List<ActorRef<Applied>> awaitingApplied = new ArrayList<>();
  private boolean appliedOnce;
  // Once draining, the member is on its way out: a configuration that arrives late starts nothing.
  private boolean draining;
  // Counters outlive a pipeline's streams: a reloaded pipeline continues counting where the old
  // stream stopped. Dropped when the pipeline is removed.
  private final Map<String, PipelineCounters> counters = new HashMap<>();

  public static Behavior<Command> create(SignalRouter router) {
    return Behaviors.setup(context -> new PipelineSupervisor(context, router));
  }

  private PipelineSupervisor(ActorContext<Command> context, SignalRouter router) {
    super(context);
    this.router = router;
    ShoalMetrics.get(context.getSystem()).watch(router);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ApplyPipelines.class, this::onApply)
        .onMessage(AwaitApplied.class, this::onAwaitApplied)
        .onMessage(Drain.class, this::onDrain)
        .onMessage(DrainFinished.class, this::onDrainFinished)
        .build();
  }

  private Behavior<Command> onApply(ApplyPipelines apply) {
    if (draining) {
      getContext()
          .getLog()
          .info("draining for shutdown: {} pipelines not started", apply.pipelines().size());
      return this;
    }
    Map<String, RunningPipeline> next = new LinkedHashMap<>();
    List<RunningPipeline> replaced = new ArrayList<>();
    Map<String, RunningPipeline> previous = new HashMap<>(running);
    for (PipelineSettings settings : apply.pipelines()) {
      RunningPipeline old = previous.remove(settings.name());
      if (old != null && old.settings().equals(settings)) {
        next.put(settings.name(), old);
        continue;
      }
      next.put(settings.name(), start(settings));
      if (old != null) replaced.add(old);
    }
    replaced.addAll(previous.values());
    ShoalMetrics metrics = ShoalMetrics.get(getContext().getSystem());
    for (RunningPipeline removed : previous.values()) {
      counters.remove(removed.name());
      metrics.forget(removed.name(), removed.settings().signal().id());
    }
    running.clear();
    running.putAll(next);
    router.route(next.values());
    for (RunningPipeline old : replaced) {
      getContext().getLog().info("pipeline {}: draining the replaced stream", old.name());
      old.drain();
    }
    Applied applied = new Applied(List.copyOf(running.values()));
    apply.replyTo().tell(applied);
    appliedOnce = true;
    awaitingApplied.forEach(waiting -> waiting.tell(applied));
    awaitingApplied.clear();
    return this;
  }

  private Behavior<Command> onAwaitApplied(AwaitApplied await) {
    if (appliedOnce) await.replyTo().tell(new Applied(List.copyOf(running.values())));
    else awaitingApplied.add(await.replyTo());
    return this;
  }

  private RunningPipeline start(PipelineSettings settings) {
    RunningPipeline pipeline =
        PipelineStream.start(
            settings,
            Exporters.create(settings.output(), getContext().getSystem()),
            counters.computeIfAbsent(settings.name(), n -> new PipelineCounters()),
            getContext().getSystem());
    getContext()
        .getLog()
        .info(
            "pipeline {}: started for {} → {}",
            settings.name(),
            settings.signal().id(),
            settings.output());
    return pipeline;
  }

  private Behavior<Command> onDrain(Drain drain) {
    draining = true;
    router.route(List.of());
    CompletableFuture<?>[] done =
        running.values().stream()
            .map(p -> p.drain().toCompletableFuture())
            .toArray(CompletableFuture<?>[]::new);
    getContext()
        .pipeToSelf(
            CompletableFuture.allOf(done), (ok, failure) -> new DrainFinished(drain.replyTo()));
    return this;
  }

  private Behavior<Command> onDrainFinished(DrainFinished finished) {
    getContext().getLog().info("all {} pipelines drained", running.size());
    running.clear();
    finished.replyTo().tell(Drained.INSTANCE);
    return this;
  }
}
