package dev.shoal.manager.reconcile;

import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.reconcile.PipelineReconciler.Result;
import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;

/**
 * What every pipeline source does with a reconciler {@link Result}: hands the pipelines on when the
 * set changed, and logs one summary line when the set or any resource's state changed. Both sources
 * (folder and Kubernetes API) go through it, so they publish and log alike.
 *
 * <p>State: the last result, owned by the source actor that created this (not thread-safe).
 */
public final class ResolvedPipelines {

  private final ActorRef<PipelineSupervisor.Command> supervisor;
  private final ActorRef<PipelineSupervisor.Applied> replyTo;
  private final Logger log;
  private final String source;
  private Result last;

  /**
   * @param supervisor told {@link PipelineSupervisor.ApplyPipelines} whenever the set changes
   * @param replyTo gets the supervisor's {@link PipelineSupervisor.Applied}
   * @param source names the source in the log, e.g. {@code /etc/pipelines}
   */
  public ResolvedPipelines(
      ActorRef<PipelineSupervisor.Command> supervisor,
      ActorRef<PipelineSupervisor.Applied> replyTo,
      Logger log,
      String source) {
    this.supervisor = supervisor;
    this.replyTo = replyTo;
    this.log = log;
    this.source = source;
  }

  /** The last result offered, or null before the first. */
  public Result last() {
    return last;
  }

  /** Takes a new result; returns whether the set of pipelines changed (and was handed on). */
  public boolean offer(Result result) {
    Result previous = last;
    last = result;
    boolean pipelinesChanged = previous == null || !previous.pipelines().equals(result.pipelines());
    if (pipelinesChanged) {
      supervisor.tell(new PipelineSupervisor.ApplyPipelines(result.pipelines(), replyTo));
    }
    if (pipelinesChanged || !sameState(previous, result)) logSummary(result);
    return pipelinesChanged;
  }

  /** Same reasons, messages and generations, whatever the transition times. */
  static boolean sameState(Result a, Result b) {
    if (!a.conditions().keySet().equals(b.conditions().keySet())) return false;
    for (Map.Entry<ResourceRef, Condition> entry : a.conditions().entrySet()) {
      Condition x = entry.getValue();
      Condition y = b.conditions().get(entry.getKey());
      if (!x.sameState(y)
          || !Objects.equals(x.getMessage(), y.getMessage())
          || !Objects.equals(x.getObservedGeneration(), y.getObservedGeneration())) {
        return false;
      }
    }
    return true;
  }

  private void logSummary(Result result) {
    List<String> invalid = new ArrayList<>();
    List<String> warned = new ArrayList<>();
    result
        .conditions()
        .forEach(
            (ref, condition) -> {
              String line = ref + ": " + condition.getReason() + ": " + condition.getMessage();
              if (Condition.FALSE.equals(condition.getStatus())) {
                invalid.add(line);
              } else if (!Reason.CONFIGURATION_APPLIED.id().equals(condition.getReason())) {
                warned.add(line);
              }
            });
    StringBuilder line =
        new StringBuilder()
            .append("pipelines from ")
            .append(source)
            .append(": ")
            .append(result.pipelines().size())
            .append(" running");
    if (!invalid.isEmpty()) {
      line.append(", ")
          .append(invalid.size())
          .append(" invalid (")
          .append(String.join("; ", invalid))
          .append(')');
    }
    if (!warned.isEmpty()) {
      line.append(", ")
          .append(warned.size())
          .append(" with warnings (")
          .append(String.join("; ", warned))
          .append(')');
    }
    if (invalid.isEmpty()) {
      log.info("{}", line);
    } else {
      log.warn("{}", line);
    }
  }
}
