package dev.shoal.manager.reconcile;

import static dev.shoal.manager.Manifests.secret;
import static dev.shoal.manager.Manifests.tracePipeline;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.assertRejected;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.condition;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.otlp;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.reconcile;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.running;
import static dev.shoal.manager.reconcile.ReconcilerTestSupport.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.manager.crd.Condition;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How endpoints, headers and basic authentication are resolved from Secrets and checked. */
class PipelineReconcilerSecretsTest {

  @Test
  void endpointHeadersAndBasicAuthAreResolvedFromSecrets() {
    String yaml =
        """
        apiVersion: telemetry.shoal.dev/v1beta1
        kind: TracePipeline
        metadata: {name: backend}
        spec:
          output:
            otlp:
              protocol: http
              endpoint:
                valueFrom: {secretKeyRef: {name: backend, namespace: telemetry, key: endpoint}}
              headers:
                - name: X-Tenant
                  value: shop
                - name: X-Api-Key
                  prefix: Bearer
                  valueFrom: {secretKeyRef: {name: backend, namespace: telemetry, key: token}}
              authentication:
                basic:
                  user: {valueFrom: {secretKeyRef: {name: backend, namespace: telemetry, key: user}}}
                  password: {valueFrom: {secretKeyRef: {name: backend, namespace: telemetry, key: password}}}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: backend, namespace: telemetry}
        data:
          endpoint: aHR0cHM6Ly9vdGxwLmV4YW1wbGUuY29tOjQzMTgK
          user: dXNlcg==
        stringData:
          token: s3cr3t
          password: pass
        """;
    OtlpOutputSettings output = otlp(running(reconcile(yaml), trace("backend")));
    assertEquals(URI.create("https://otlp.example.com:4318"), output.endpoint());
    assertEquals(
        Map.of(
            "X-Tenant", "shop",
            "X-Api-Key", "Bearer s3cr3t",
            "Authorization", "Basic dXNlcjpwYXNz"),
        output.headers());
  }

  @Test
  void aMissingSecretOrKeyIsReferencedSecretMissing() {
    String pipeline =
        """
        apiVersion: telemetry.shoal.dev/v1beta1
        kind: TracePipeline
        metadata: {name: backend}
        spec:
          output:
            otlp:
              endpoint:
                valueFrom: {secretKeyRef: {name: backend, namespace: telemetry, key: endpoint}}
        """;
    assertRejected(
        reconcile(pipeline),
        trace("backend"),
        "ReferencedSecretMissing",
        "spec.output.otlp.endpoint.valueFrom.secretKeyRef",
        "Secret telemetry/backend does not exist; create it or correct the reference");
    assertRejected(
        reconcile(pipeline + secret("telemetry", "backend", "url", "http://x:4317")),
        trace("backend"),
        "ReferencedSecretMissing",
        "Secret telemetry/backend has no key 'endpoint' (it has url); add the key");
    assertRejected(
        reconcile(pipeline + secret("default", "backend", "endpoint", "http://x:4317")),
        trace("backend"),
        "ReferencedSecretMissing",
        "telemetry/backend does not exist");
    assertEquals(
        URI.create("http://x:4317"),
        otlp(running(
                reconcile(pipeline + secret("telemetry", "backend", "endpoint", "http://x:4317")),
                trace("backend")))
            .endpoint());
  }

  @Test
  void aSecretReferenceWithoutNamespaceMeansDefault() {
    String yaml =
        tracePipeline(
                "backend",
                "http://c:4317",
                "headers:",
                "  - name: X-Key",
                "    valueFrom: {secretKeyRef: {name: keys, key: k}}")
            + secret("default", "keys", "k", "v");
    assertEquals(Map.of("X-Key", "v"), otlp(running(reconcile(yaml), trace("backend"))).headers());
  }

  @Test
  void anEndpointFromASecretIsNotShownInTheMessage() {
    String yaml =
        tracePipeline("backend", "x")
                .replace(
                    "        value: \"x\"", "        valueFrom: {secretKeyRef: {name: s, key: e}}")
            + secret("default", "s", "e", "user:password@host");
    Condition condition = condition(reconcile(yaml), trace("backend"));
    assertEquals("EndpointInvalid", condition.getReason());
    assertTrue(!condition.getMessage().contains("password"), condition.getMessage());
    assertTrue(
        condition.getMessage().contains("key 'e' of Secret default/s"), condition.getMessage());
  }

  @Test
  void headerProblemsAreValidationFailed() {
    assertRejected(
        reconcile(
            tracePipeline(
                    "p",
                    "http://c:4317",
                    "headers:",
                    "  - name: X-Token",
                    "    valueFrom: {secretKeyRef: {name: s, key: t}}")
                + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  t: \"abc\\n\"\n"),
        trace("p"),
        "ValidationFailed",
        "contains a line break");
    assertRejected(
        reconcile(
            tracePipeline(
                "p",
                "http://c:4317",
                "headers: [{name: Authorization, value: x}]",
                "authentication: {basic: {user: {value: u}, password: {value: p}}}")),
        trace("p"),
        "ValidationFailed",
        "conflicts with authentication.basic");
    assertRejected(
        reconcile(
            tracePipeline(
                "p",
                "http://c:4317",
                "authentication: {basic: {user: {value: u}, password: {value: \"p\\n\"}}}")),
        trace("p"),
        "ValidationFailed",
        "authentication.basic.password: contains a line break");
    assertRejected(
        reconcile(
            tracePipeline(
                "p",
                "http://c:4317",
                "headers: [{name: X-A, value: a, valueFrom: {secretKeyRef: {name: s, key: k}}}]")),
        trace("p"),
        "ValidationFailed",
        "spec.output.otlp.headers[0]: give value or valueFrom, not both");
  }
}
