package dev.shoal.manager.kube;

import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.kube.StatusPatches.Patch;
import dev.shoal.manager.reconcile.PipelineReconciler;
import dev.shoal.manager.reconcile.PipelineReconciler.Result;
import dev.shoal.manager.reconcile.ReferencedSecrets;
import dev.shoal.manager.reconcile.ResolvedPipelines;
import dev.shoal.manager.reconcile.ResourceSnapshot;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import dev.shoal.sharding.PipelineEntity.PipelineView;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Runs the pipelines that the Kubernetes API holds: watches the {@code TracePipeline}, {@code
 * MetricPipeline} and {@code LogPipeline} resources and the Secrets they reference ({@link
 * ClusterResources}), and on every change validates them with the same {@link PipelineReconciler}
 * as the folder source, tells the {@link PipelineSupervisor} the new set of pipelines when it
 * changed, and writes every resource's conditions through the status subresource when they changed.
 * Every {@code health.poll-interval} it also asks each running pipeline's entity for its view
 * ({@link FlowViews}) and turns it into {@code GatewayHealthy} and {@code TelemetryFlowHealthy}.
 *
 * <p>Nothing is applied before every informer has listed once, so a start (or a hand-over to
 * another member) never runs an empty or partial set; an API server that cannot be reached keeps
 * the last set running, as the informers keep their caches and retry with backoff. Status writes
 * run on Pekko's blocking dispatcher, one batch at a time; a failed batch is retried with backoff.
 *
 * <p>State: in memory only (the last result, the latest health conditions, what was written). On
 * restart or hand-over the new instance lists everything again, and merges with the conditions the
 * resources already carry: a condition whose status and reason did not change keeps its
 * lastTransitionTime, so an unchanged status is not rewritten. The health conditions a resource
 * carries are kept until the first view arrives.
 */
public final class KubernetesPipelineSource
    extends AbstractBehavior<KubernetesPipelineSource.Command> {

  public interface Command {}

  /** Asks for the pipelines that run and the conditions of every resource. */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /**
   * Answer to {@link GetStatus}.
   *
   * @param synced every informer has listed once, and the resources were reconciled
   * @param running the pipelines last handed to the supervisor
   * @param conditions the conditions of every resource, as last computed
   */
  public record Status(
      boolean synced,
      List<PipelineSettings> running,
      Map<ResourceRef, List<Condition>> conditions) {}

  private enum Changed implements Command {
    INSTANCE
  }

  private enum ReconcileDue implements Command {
    INSTANCE
  }

  private enum Resync implements Command {
    INSTANCE
  }

  private enum PollHealth implements Command {
    INSTANCE
  }

  private enum RetryStatus implements Command {
    INSTANCE
  }

  private record ViewsGathered(Map<String, PipelineView> views, Set<String> upMembers)
      implements Command {}

  private record StatusWritten(StatusPatches.Outcome outcome, Throwable failure)
      implements Command {}

  private record InformerProblem(String what, Throwable failure) implements Command {}

  private record SupervisorApplied(PipelineSupervisor.Applied applied) implements Command {}

  private static final Duration DEBOUNCE = Duration.ofMillis(100);
  private static final Duration SECRET_WAIT_STEP = Duration.ofMillis(250);

  private final KubernetesSourceSettings settings;
  private final TimerScheduler<Command> timers;
  private final FlowViews flowViews;
  private final ClusterResources resources;
  private final StatusPatches patches;
  private final PipelineReconciler reconciler;
  private final ResolvedPipelines resolved;
  private final Executor blocking;
  private final Clock clock;

  private boolean reconcileScheduled;
  private boolean healthInFlight;
  private boolean writeInFlight;
  private boolean writeAgain;
  private Duration backoff;
  private String lastWriteProblem;
  private final Map<String, String> informerProblems = new HashMap<>();
  private Map<ResourceRef, Condition> configuration = Map.of();
  private final Map<ResourceRef, Condition> gateway = new HashMap<>();
  private final Map<ResourceRef, Condition> flow = new HashMap<>();
  private final Map<String, Instant> pipelineChangedAt = new HashMap<>();
  private final Map<ResourceRef, Patch> lastWritten = new HashMap<>();
  private Map<ResourceRef, List<Condition>> shown = Map.of();

  /** Reads its settings from {@code shoal.manager} of the system's configuration. */
  public static Behavior<Command> create(
      KubernetesClient client,
      PipelineDefaults defaults,
      FlowViews flowViews,
      ActorRef<PipelineSupervisor.Command> supervisor) {
    return Behaviors.setup(
        context ->
            create(
                client,
                defaults,
                KubernetesSourceSettings.fromConfig(context.getSystem().settings().config()),
                flowViews,
                supervisor,
                Clock.systemUTC()));
  }

  public static Behavior<Command> create(
      KubernetesClient client,
      PipelineDefaults defaults,
      KubernetesSourceSettings settings,
      FlowViews flowViews,
      ActorRef<PipelineSupervisor.Command> supervisor,
      Clock clock) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new KubernetesPipelineSource(
                        context,
                        timers,
                        client,
                        defaults,
                        settings,
                        flowViews,
                        supervisor,
                        clock)));
  }

  private KubernetesPipelineSource(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      KubernetesClient client,
      PipelineDefaults defaults,
      KubernetesSourceSettings settings,
      FlowViews flowViews,
      ActorRef<PipelineSupervisor.Command> supervisor,
      Clock clock) {
    super(context);
    this.settings = settings;
    this.timers = timers;
    this.flowViews = flowViews;
    this.clock = clock;
    this.backoff = settings.retryBackoff();
    this.reconciler = new PipelineReconciler(defaults, settings.reconciler());
    this.patches = new StatusPatches(client);
    String server = String.valueOf(client.getMasterUrl());
    this.resolved =
        new ResolvedPipelines(
            supervisor,
            context.messageAdapter(PipelineSupervisor.Applied.class, SupervisorApplied::new),
            context.getLog(),
            "the Kubernetes API at " + server);
    this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    ActorRef<Command> self = context.getSelf();
    this.resources =
        new ClusterResources(
            client,
            () -> self.tell(Changed.INSTANCE),
            (what, failure) -> self.tell(new InformerProblem(what, failure)));
    context.getLog().info("watching pipeline resources at {}", server);
    resources.start();
    timers.startTimerWithFixedDelay(Resync.INSTANCE, settings.resyncInterval());
    timers.startTimerWithFixedDelay(PollHealth.INSTANCE, settings.health().pollInterval());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Changed.class, c -> scheduleReconcile(DEBOUNCE))
        .onMessage(Resync.class, r -> scheduleReconcile(DEBOUNCE))
        .onMessage(ReconcileDue.class, r -> onReconcileDue())
        .onMessage(PollHealth.class, p -> onPollHealth())
        .onMessage(ViewsGathered.class, this::onViewsGathered)
        .onMessage(StatusWritten.class, this::onStatusWritten)
        .onMessage(RetryStatus.class, r -> writeStatus())
        .onMessage(InformerProblem.class, this::onInformerProblem)
        .onMessage(SupervisorApplied.class, a -> this)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onSignal(PostStop.class, s -> onStop())
        .build();
  }

  private Behavior<Command> scheduleReconcile(Duration delay) {
    if (!reconcileScheduled) {
      reconcileScheduled = true;
      timers.startSingleTimer(ReconcileDue.INSTANCE, delay);
    }
    return this;
  }

  private Behavior<Command> onReconcileDue() {
    reconcileScheduled = false;
    if (!resources.pipelinesSynced()) return this; // the informers' first list will nudge again
    Instant now = clock.instant();
    List<PipelineResource> pipelines = resources.pipelines();
    resources.watchSecrets(ReferencedSecrets.of(pipelines), now);
    List<ReferencedSecrets.SecretName> late =
        resources.secretsNotRead(now, settings.secretSyncTimeout());
    if (late == null) return scheduleReconcile(SECRET_WAIT_STEP);
    if (!late.isEmpty()) {
      getContext()
          .getLog()
          .warn("Secrets {} could not be read yet; validating without them meanwhile", late);
    }
    Result result =
        reconciler.reconcile(new ResourceSnapshot(pipelines, resources.secrets(), Map.of()), now);
    Map<String, Instant> changedAt =
        HealthPoll.changedAt(pipelineChangedAt, resolved.last(), result, now);
    pipelineChangedAt.clear();
    pipelineChangedAt.putAll(changedAt);
    resolved.offer(result);
    configuration = result.conditions();
    gateway.keySet().retainAll(HealthPoll.running(result));
    flow.keySet().retainAll(HealthPoll.running(result));
    return writeStatus();
  }

  private Behavior<Command> onPollHealth() {
    Result result = resolved.last();
    if (healthInFlight || result == null || result.pipelines().isEmpty()) return this;
    healthInFlight = true;
    Set<String> up = flowViews.upMembers();
    getContext()
        .pipeToSelf(
            HealthPoll.gather(
                flowViews, result.pipelines().stream().map(PipelineSettings::name).toList()),
            (views, failure) -> new ViewsGathered(views == null ? Map.of() : views, up));
    return this;
  }

  private Behavior<Command> onViewsGathered(ViewsGathered gathered) {
    healthInFlight = false;
    Result result = resolved.last();
    if (result == null) return this;
    Instant now = clock.instant();
    HealthPoll.Conditions fresh =
        HealthPoll.conditions(
            HealthPoll.running(result),
            gathered.views(),
            gathered.upMembers(),
            pipelineChangedAt,
            this::generation,
            settings.health(),
            now,
            time(now));
    gateway.putAll(fresh.gateway());
    flow.putAll(fresh.flow());
    return writeStatus();
  }

  private long generation(ResourceRef ref) {
    Condition c = configuration.get(ref);
    return c == null || c.getObservedGeneration() == null ? 1 : c.getObservedGeneration();
  }

  /** Writes every resource whose conditions differ from what it carries; one batch at a time. */
  private Behavior<Command> writeStatus() {
    if (writeInFlight) {
      writeAgain = true;
      return this;
    }
    StatusPlan plan =
        StatusPlan.of(resources.pipelines(), configuration, gateway, flow, lastWritten);
    shown = plan.conditions();
    if (plan.due().isEmpty()) return this;
    writeInFlight = true;
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(() -> patches.write(plan.due()), blocking),
            StatusWritten::new);
    return this;
  }

  private Behavior<Command> onStatusWritten(StatusWritten done) {
    writeInFlight = false;
    List<String> failures =
        done.failure() != null
            ? List.of(String.valueOf(done.failure()))
            : done.outcome().failures();
    if (done.outcome() != null) {
      done.outcome().written().forEach(p -> lastWritten.put(p.ref(), p));
      done.outcome()
          .written()
          .forEach(p -> getContext().getLog().debug("status of {} written", p.ref()));
    }
    if (!failures.isEmpty()) {
      String problem = String.join("; ", failures);
      if (!problem.equals(lastWriteProblem)) {
        getContext()
            .getLog()
            .warn("writing pipeline status failed, trying again in {}: {}", backoff, problem);
      }
      lastWriteProblem = problem;
      timers.startSingleTimer(RetryStatus.INSTANCE, backoff);
      backoff = min(backoff.multipliedBy(2), settings.maxRetryBackoff());
      writeAgain = false;
      return this;
    }
    if (lastWriteProblem != null) getContext().getLog().info("writing pipeline status works again");
    lastWriteProblem = null;
    backoff = settings.retryBackoff();
    if (writeAgain) {
      writeAgain = false;
      return writeStatus();
    }
    return this;
  }

  private Behavior<Command> onInformerProblem(InformerProblem p) {
    String text = String.valueOf(p.failure().getMessage());
    if (!text.equals(informerProblems.put(p.what(), text))) {
      getContext()
          .getLog()
          .warn(
              "reading {} from the Kubernetes API failed, retrying with backoff (the pipelines"
                  + " keep running as last read): {}{}",
              p.what(),
              text,
              MissingCrds.hint(p.failure()));
    }
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    Result result = resolved.last();
    get.replyTo()
        .tell(
            new Status(
                result != null,
                result == null ? List.of() : result.pipelines(),
                Map.copyOf(shown)));
    return this;
  }

  private Behavior<Command> onStop() {
    resources.close();
    return this;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String time(Instant now) {
    return DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
  }
}
