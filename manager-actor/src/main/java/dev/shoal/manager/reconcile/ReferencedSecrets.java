package dev.shoal.manager.reconcile;

import dev.shoal.manager.crd.BasicAuth;
import dev.shoal.manager.crd.Header;
import dev.shoal.manager.crd.OtlpOutput;
import dev.shoal.manager.crd.OutputTls;
import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.PipelineSpec;
import dev.shoal.manager.crd.SecretKeyRef;
import dev.shoal.manager.crd.ValueType;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The Secrets that pipeline resources reference through {@code valueFrom.secretKeyRef}, so that a
 * source reads exactly those and no other Secret. A pure function.
 */
public final class ReferencedSecrets {

  /** A Secret by namespace ({@code default} when the reference names none) and name. */
  public record SecretName(String namespace, String name) implements Comparable<SecretName> {
    @Override
    public int compareTo(SecretName o) {
      int byNamespace = namespace.compareTo(o.namespace);
      return byNamespace != 0 ? byNamespace : name.compareTo(o.name);
    }

    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  private ReferencedSecrets() {}

  public static SortedSet<SecretName> of(Collection<? extends PipelineResource> pipelines) {
    SortedSet<SecretName> names = new TreeSet<>();
    for (PipelineResource pipeline : pipelines) {
      PipelineSpec spec = pipeline.pipelineSpec();
      if (spec == null || spec.getOutput() == null || spec.getOutput().getOtlp() == null) continue;
      OtlpOutput otlp = spec.getOutput().getOtlp();
      add(names, otlp.getEndpoint());
      if (otlp.getHeaders() != null) {
        for (Header header : otlp.getHeaders()) add(names, header);
      }
      if (otlp.getAuthentication() != null && otlp.getAuthentication().getBasic() != null) {
        BasicAuth basic = otlp.getAuthentication().getBasic();
        add(names, basic.getUser());
        add(names, basic.getPassword());
      }
      OutputTls tls = otlp.getTls();
      if (tls != null) {
        add(names, tls.getCa());
        add(names, tls.getCert());
        add(names, tls.getKey());
      }
    }
    return names;
  }

  private static void add(SortedSet<SecretName> names, ValueType value) {
    if (value == null || value.getValueFrom() == null) return;
    SecretKeyRef ref = value.getValueFrom().getSecretKeyRef();
    if (ref == null || ref.getName() == null || ref.getName().isBlank()) return;
    names.add(new SecretName(SecretIndex.namespace(ref.getNamespace()), ref.getName()));
  }
}
