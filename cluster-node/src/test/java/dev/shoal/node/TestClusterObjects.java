package dev.shoal.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Objects for tests against a real API server: the node's RBAC from deploy/, and pods with owners
 * and IPs, set through the status subresource as a kubelet would (none runs).
 */
final class TestClusterObjects {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private TestClusterObjects() {}

  /** The namespace shoal, the node's service account and the RBAC objects of deploy/rbac.yaml. */
  static void applyNodeRbac(KubernetesClient admin) throws Exception {
    Path deploy = Path.of("").toAbsolutePath().getParent().resolve("deploy");
    for (String file : List.of("namespace.yaml", "serviceaccount.yaml", "rbac.yaml")) {
      for (JsonNode document :
          YAML.readerFor(JsonNode.class)
              .<JsonNode>readValues(deploy.resolve(file).toFile())
              .readAll()) {
        if (document == null || document.isEmpty()) continue;
        admin
            .resource(admin.getKubernetesSerialization().convertValue(document, HasMetadata.class))
            .create();
      }
    }
  }

  static io.fabric8.kubernetes.api.model.PodSpec podSpec() {
    return new io.fabric8.kubernetes.api.model.PodSpecBuilder()
        .withNodeName("node-a")
        .addNewContainer()
        .withName("app")
        .withImage("example/app:1")
        .endContainer()
        .build();
  }

  /** Creates a pod and gives it an IP through the status subresource, as a kubelet would. */
  static Pod pod(
      KubernetesClient admin,
      String namespace,
      String name,
      Map<String, String> labels,
      OwnerReference owner,
      String ip) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .endMetadata()
            .withSpec(podSpec());
    if (owner != null) b.editMetadata().withOwnerReferences(owner).endMetadata();
    Pod created = admin.pods().inNamespace(namespace).resource(b.build()).create();
    created.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(ip)
            .withPodIPs(new PodIP(ip))
            .build());
    return admin.pods().inNamespace(namespace).resource(created).updateStatus();
  }

  static OwnerReference owner(String apiVersion, String kind, String name, String uid) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withName(name)
        .withUid(uid)
        .withController(true)
        .build();
  }
}
