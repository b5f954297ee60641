package dev.shoal.manager.folder;

import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.reconcile.PipelineReconciler;
import dev.shoal.manager.reconcile.PipelineReconciler.Result;
import dev.shoal.manager.reconcile.ResolvedPipelines;
import dev.shoal.manager.status.StatusFiles;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Runs the pipelines that a folder of YAML files describes: polls the folder, and whenever a
 * pipeline resource or a Secret in it is created, edited or deleted, validates everything again,
 * tells the {@link PipelineSupervisor} the new set of pipelines and writes each resource's status
 * to {@code <dir>/.status/}.
 *
 * <p>Reading the folder, parsing, validating and writing status happen on Pekko's blocking
 * dispatcher, one pass at a time, and come back through {@code pipeToSelf}; the actor itself never
 * blocks. A pass that finds the folder unchanged does nothing, except every {@code
 * resync-interval}, when validation runs again for certificates that expire meanwhile. The
 * supervisor hears only of a changed set of pipelines.
 *
 * <p>State: in memory only (the last scan and the last result); the status files hold the
 * conditions. After a restart the actor reads the folder afresh and applies it; the supervisor
 * keeps running every pipeline whose settings did not change.
 */
public final class FolderPipelineSource extends AbstractBehavior<FolderPipelineSource.Command> {

  public interface Command {}

  /** Asks for the pipelines that run and the condition of every resource. */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /**
   * Answer to {@link GetStatus}.
   *
   * @param dir the pipelines folder
   * @param running the pipelines last sent to the supervisor
   * @param conditions the {@code ConfigurationGenerated} condition of every resource
   */
  public record Status(
      Path dir, List<PipelineSettings> running, Map<ResourceRef, Condition> conditions) {}

  private enum Tick implements Command {
    INSTANCE
  }

  private enum NothingChanged implements Command {
    INSTANCE
  }

  private record Reconciled(Pass pass) implements Command {}

  private record PassFailed(Throwable cause) implements Command {}

  private record SupervisorApplied(PipelineSupervisor.Applied applied) implements Command {}

  /** What one pass over the folder found. */
  private record Pass(
      FolderScan scan,
      FolderContents contents,
      boolean folderChanged,
      Result result,
      Map<ResourceRef, Condition> conditions,
      String statusProblem) {}

  private final Path dir;
  private final FolderSourceSettings settings;
  private final ResolvedPipelines resolved;
  private final FolderSource source;
  private final PipelineReconciler reconciler;
  private final StatusFiles statusFiles;
  private final Executor blocking;
  private final Clock clock = Clock.systemUTC();

  private boolean passInFlight;
  private long lastPassNanos;
  private String fingerprint;
  private FolderContents contents = FolderContents.EMPTY;
  private Result result;
  private Map<ResourceRef, Condition> conditions = Map.of();
  private String statusProblem;
  private String passFailure;

  /** Reads its settings from {@code shoal.manager} of the system's configuration. */
  public static Behavior<Command> create(
      Path dir, PipelineDefaults defaults, ActorRef<PipelineSupervisor.Command> supervisor) {
    return Behaviors.setup(
        context ->
            setUp(
                context,
                dir,
                defaults,
                FolderSourceSettings.fromConfig(context.getSystem().settings().config()),
                supervisor));
  }

  public static Behavior<Command> create(
      Path dir,
      PipelineDefaults defaults,
      FolderSourceSettings settings,
      ActorRef<PipelineSupervisor.Command> supervisor) {
    return Behaviors.setup(context -> setUp(context, dir, defaults, settings, supervisor));
  }

  private static Behavior<Command> setUp(
      ActorContext<Command> context,
      Path dir,
      PipelineDefaults defaults,
      FolderSourceSettings settings,
      ActorRef<PipelineSupervisor.Command> supervisor) {
    return Behaviors.withTimers(
        timers -> new FolderPipelineSource(context, timers, dir, defaults, settings, supervisor));
  }

  private FolderPipelineSource(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Path dir,
      PipelineDefaults defaults,
      FolderSourceSettings settings,
      ActorRef<PipelineSupervisor.Command> supervisor) {
    super(context);
    this.dir = dir.toAbsolutePath().normalize();
    this.settings = settings;
    this.resolved =
        new ResolvedPipelines(
            supervisor,
            context.messageAdapter(PipelineSupervisor.Applied.class, SupervisorApplied::new),
            context.getLog(),
            this.dir.toString());
    this.source = new FolderSource(this.dir, settings.maxFileBytes());
    this.reconciler = new PipelineReconciler(defaults, settings.reconciler());
    this.statusFiles = new StatusFiles(this.dir);
    this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    context.getLog().info("reading pipelines from {} every {}", this.dir, settings.pollInterval());
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.pollInterval());
    context.getSelf().tell(Tick.INSTANCE);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Tick.class, t -> onTick())
        .onMessage(NothingChanged.class, n -> onNothingChanged())
        .onMessage(Reconciled.class, this::onReconciled)
        .onMessage(PassFailed.class, this::onPassFailed)
        .onMessage(SupervisorApplied.class, this::onSupervisorApplied)
        .onMessage(GetStatus.class, this::onGetStatus)
        .build();
  }

  private Behavior<Command> onTick() {
    if (passInFlight) return this;
    passInFlight = true;
    boolean resyncDue =
        result == null || System.nanoTime() - lastPassNanos >= settings.resyncInterval().toNanos();
    String knownFingerprint = fingerprint;
    FolderContents knownContents = contents;
    CompletableFuture<Optional<Pass>> pass =
        CompletableFuture.supplyAsync(
            () -> runPass(knownFingerprint, knownContents, resyncDue), blocking);
    getContext()
        .pipeToSelf(
            pass,
            (done, failure) -> {
              if (failure != null) return new PassFailed(failure);
              return done.<Command>map(Reconciled::new).orElse(NothingChanged.INSTANCE);
            });
    return this;
  }

  /**
   * Runs on the blocking dispatcher: reads only final, immutable fields, never the actor's state.
   */
  private Optional<Pass> runPass(
      String knownFingerprint, FolderContents knownContents, boolean resyncDue) {
    FolderScan scan = source.scan();
    boolean changed = !scan.fingerprint().equals(knownFingerprint);
    if (!changed && !resyncDue) return Optional.empty();
    FolderContents parsed = changed ? FolderSource.parse(scan, knownContents) : knownContents;
    Result reconciled = reconciler.reconcile(parsed.snapshot(), clock.instant());
    Map<ResourceRef, Condition> written = reconciled.conditions();
    String problem = null;
    if (!scan.missing()) {
      try {
        written = statusFiles.write(reconciled.conditions()).conditions();
      } catch (IOException | RuntimeException e) {
        problem = "cannot write status files to " + dir.resolve(StatusFiles.FOLDER) + ": " + e;
      }
    }
    return Optional.of(new Pass(scan, parsed, changed, reconciled, written, problem));
  }

  private Behavior<Command> onNothingChanged() {
    passInFlight = false;
    return this;
  }

  private Behavior<Command> onReconciled(Reconciled reconciled) {
    Pass pass = reconciled.pass();
    passInFlight = false;
    passFailure = null;
    lastPassNanos = System.nanoTime();
    if (pass.folderChanged()) {
      pass.scan()
          .problems()
          .forEach(p -> getContext().getLog().warn("pipelines folder {}: {}", dir, p));
      pass.contents()
          .warnings()
          .forEach(w -> getContext().getLog().warn("pipelines folder {}: {}", dir, w));
    }
    if (pass.statusProblem() != null && !pass.statusProblem().equals(statusProblem)) {
      getContext().getLog().warn("{}", pass.statusProblem());
    }
    statusProblem = pass.statusProblem();
    fingerprint = pass.scan().fingerprint();
    contents = pass.contents();

    result = pass.result();
    conditions = pass.conditions();
    resolved.offer(result);
    return this;
  }

  private Behavior<Command> onPassFailed(PassFailed failed) {
    passInFlight = false;
    String problem = String.valueOf(failed.cause());
    if (!problem.equals(passFailure)) {
      getContext()
          .getLog()
          .error("reading pipelines from {} failed; trying again", dir, failed.cause());
    }
    passFailure = problem;
    return this;
  }

  private Behavior<Command> onSupervisorApplied(SupervisorApplied applied) {
    getContext().getLog().debug("supervisor runs {} pipelines", applied.applied().running().size());
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    get.replyTo()
        .tell(new Status(dir, result == null ? List.of() : result.pipelines(), conditions));
    return this;
  }
}
