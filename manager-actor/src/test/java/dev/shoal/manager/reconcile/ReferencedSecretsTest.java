package dev.shoal.manager.reconcile;

import static dev.shoal.manager.Manifests.tracePipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shoal.manager.Manifests;
import dev.shoal.manager.reconcile.ReferencedSecrets.SecretName;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferencedSecretsTest {

  @Test
  void everySecretKeyRefOfTheOutputIsNamed_namespaceDefaultingToDefault() {
    String yaml =
        tracePipeline(
                "a",
                "http://collector:4317",
                "headers:",
                "  - name: X-Token",
                "    valueFrom: {secretKeyRef: {name: token, key: t}}",
                "authentication:",
                "  basic:",
                "    user: {valueFrom: {secretKeyRef: {name: auth, namespace: ops, key: u}}}",
                "    password: {valueFrom: {secretKeyRef: {name: auth, namespace: ops, key: p}}}",
                "tls:",
                "  ca: {valueFrom: {secretKeyRef: {name: tls, namespace: ops, key: ca}}}",
                "  cert: {valueFrom: {secretKeyRef: {name: tls, namespace: ops, key: crt}}}",
                "  key: {valueFrom: {secretKeyRef: {name: tls-key, namespace: ops, key: k}}}")
            + tracePipeline("b", "http://collector:4317");
    assertEquals(
        List.of(
            new SecretName("default", "token"),
            new SecretName("ops", "auth"),
            new SecretName("ops", "tls"),
            new SecretName("ops", "tls-key")),
        List.copyOf(ReferencedSecrets.of(Manifests.parse(yaml).snapshot().pipelines())));
  }

  @Test
  void anEndpointFromASecretIsNamedAndAReferenceWithoutNameIsNot() {
    String yaml =
        "---\napiVersion: telemetry.shoal.dev/v1beta1\nkind: TracePipeline\nmetadata: {name: e}\n"
            + "spec:\n  output:\n    otlp:\n      endpoint:\n"
            + "        valueFrom: {secretKeyRef: {name: backends, namespace: t, key: url}}\n"
            + "      headers:\n        - name: X\n          valueFrom: {secretKeyRef: {key: k}}\n";
    assertEquals(
        List.of(new SecretName("t", "backends")),
        List.copyOf(ReferencedSecrets.of(Manifests.parse(yaml).snapshot().pipelines())));
  }
}
