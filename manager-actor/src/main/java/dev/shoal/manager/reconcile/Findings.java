package dev.shoal.manager.reconcile;

import dev.shoal.pipeline.stream.PipelineSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The problems found in one resource, in the order found. Checks go on after a problem so that one
 * status names every problem of the most severe reason, not only the first.
 */
final class Findings {

  private record Finding(Reason reason, String message) {}

  private final List<Finding> findings = new ArrayList<>();

  void problem(Reason reason, String message) {
    findings.add(new Finding(reason, message));
  }

  /** Whether a problem found so far stops the pipeline from running. */
  boolean blocked() {
    return findings.stream().anyMatch(f -> !f.reason.runs());
  }

  /** The outcome of the resource: the most severe reason and all its messages. */
  Outcome outcome(PipelineSettings pipeline) {
    Reason worst =
        findings.stream()
            .map(Finding::reason)
            .min(Comparator.naturalOrder())
            .orElse(Reason.CONFIGURATION_APPLIED);
    if (worst == Reason.CONFIGURATION_APPLIED) {
      return new Outcome(worst, "The pipeline is valid and runs.", pipeline);
    }
    String message =
        findings.stream()
            .filter(f -> f.reason == worst)
            .map(Finding::message)
            .distinct()
            .collect(Collectors.joining("; "));
    return new Outcome(worst, message, worst.runs() ? pipeline : null);
  }
}
