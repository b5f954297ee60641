package dev.shoal.manager.reconcile;

import dev.shoal.manager.crd.MetricPipelineSpec;
import dev.shoal.manager.crd.NamespaceSelector;
import dev.shoal.manager.crd.OtlpInput;
import dev.shoal.manager.crd.PipelineSpec;
import dev.shoal.pipeline.stream.InputSelector;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Checks {@code spec.input} and turns its OTLP part into the data plane's input selector. */
final class InputTranslation {

  private final Findings findings;

  InputTranslation(Findings findings) {
    this.findings = findings;
  }

  /** The selector, or null after a problem. */
  InputSelector input(PipelineSpec spec) {
    if (spec instanceof MetricPipelineSpec metrics && metrics.getInput() != null) {
      var in = metrics.getInput();
      if (in.getPrometheus() != null) {
        namespaces(in.getPrometheus().getNamespaces(), "spec.input.prometheus.namespaces");
      }
      if (in.getIstio() != null) {
        namespaces(in.getIstio().getNamespaces(), "spec.input.istio.namespaces");
      }
      if (in.getRuntime() != null) {
        namespaces(in.getRuntime().getNamespaces(), "spec.input.runtime.namespaces");
      }
    }
    OtlpInput otlp = spec.otlpInput();
    if (otlp == null) return InputSelector.ALL;
    boolean enabled = true;
    if (otlp.getEnabled() != null && otlp.getDisabled() != null) {
      if (otlp.getEnabled().equals(otlp.getDisabled())) {
        findings.problem(
            Reason.VALIDATION_FAILED,
            "spec.input.otlp: enabled and disabled contradict each other; give only enabled");
      }
    }
    if (otlp.getEnabled() != null) {
      enabled = otlp.getEnabled();
    } else if (otlp.getDisabled() != null) {
      enabled = !otlp.getDisabled();
    }
    List<Set<String>> selected = namespaces(otlp.getNamespaces(), "spec.input.otlp.namespaces");
    if (selected == null) return null;
    return new InputSelector(enabled, selected.get(0), selected.get(1));
  }

  /** [include, exclude], or null after a problem. */
  private List<Set<String>> namespaces(NamespaceSelector selector, String path) {
    if (selector == null) return List.of(Set.of(), Set.of());
    Set<String> include = names(selector.getInclude(), path + ".include");
    Set<String> exclude = names(selector.getExclude(), path + ".exclude");
    if (include == null || exclude == null) return null;
    if (!include.isEmpty() && !exclude.isEmpty()) {
      findings.problem(Reason.VALIDATION_FAILED, path + ": give include or exclude, not both");
      return null;
    }
    return List.of(include, exclude);
  }

  private Set<String> names(List<String> names, String path) {
    if (names == null) return Set.of();
    Set<String> result = new LinkedHashSet<>();
    for (String name : names) {
      if (name == null || name.isBlank()) {
        findings.problem(
            Reason.VALIDATION_FAILED, path + ": holds an empty namespace name; remove it");
        return null;
      }
      result.add(name);
    }
    return result;
  }
}
