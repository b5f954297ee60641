package dev.shoal.manager.reconcile;

import dev.shoal.manager.crd.MetricPipelineSpec;
import dev.shoal.manager.crd.NamespaceSelector;
import dev.shoal.manager.crd.OtlpInput;
import dev.shoal.manager.crd.PipelineSpec;
import dev.shoal.pipeline.stream.InputSelector;
import dev.shoal.pipeline.stream.PrometheusInput;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks {@code spec.input} and turns its OTLP and Prometheus parts into the data plane's input
 * selector.
 */
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
    PrometheusInput prometheus = PrometheusInput.DISABLED;
    if (spec instanceof MetricPipelineSpec metrics
        && metrics.getInput() != null
        && metrics.getInput().getPrometheus() != null) {
      prometheus = prometheus(metrics.getInput().getPrometheus());
      if (prometheus == null) return null;
    }
    OtlpInput otlp = spec.otlpInput();
    if (otlp == null) return new InputSelector(true, Set.of(), Set.of(), prometheus);
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
    return new InputSelector(enabled, selected.get(0), selected.get(1), prometheus);
  }

  /** {@code spec.input.prometheus} for the data plane, or null after a problem. */
  private PrometheusInput prometheus(dev.shoal.manager.crd.PrometheusInput in) {
    String path = "spec.input.prometheus";
    boolean enabled = Boolean.TRUE.equals(in.getEnabled());
    boolean diagnostics =
        in.getDiagnosticMetrics() != null
            && Boolean.TRUE.equals(in.getDiagnosticMetrics().getEnabled());
    Duration interval = PrometheusInput.DEFAULT_INTERVAL;
    if (in.getInterval() != null) {
      interval = GoDurations.parse(in.getInterval());
      if (interval == null || interval.toMillis() < 1000) {
        findings.problem(
            Reason.VALIDATION_FAILED,
            path
                + ".interval: '"
                + in.getInterval()
                + "' is not a duration of at least 1s; write e.g. 30s or 1m");
        return null;
      }
    }
    List<String> targets = new ArrayList<>();
    if (in.getStaticTargets() != null) {
      for (String url : in.getStaticTargets()) {
        String problem = staticTargetProblem(url);
        if (problem != null) {
          findings.problem(
              Reason.VALIDATION_FAILED, path + ".staticTargets: '" + url + "' " + problem);
          return null;
        }
        if (!targets.contains(url)) targets.add(url);
      }
    }
    if (!targets.isEmpty() && !enabled) {
      findings.problem(
          Reason.VALIDATION_FAILED,
          path + ".staticTargets: given while prometheus is not enabled; set enabled: true");
      return null;
    }
    return new PrometheusInput(enabled, diagnostics, interval, targets);
  }

  private static String staticTargetProblem(String url) {
    if (url == null || url.isBlank()) return "is empty";
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "is not a URL (" + e.getReason() + ")";
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      return "must start with http:// or https://";
    }
    if (uri.getHost() == null) return "has no host";
    return null;
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
