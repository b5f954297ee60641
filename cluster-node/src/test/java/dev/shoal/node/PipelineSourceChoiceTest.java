package dev.shoal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.node.PipelineSourceChoice.Source;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineSourceChoiceTest {
  @TempDir Path dir;

  static final Map<String, String> POD = Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1");

  Path serviceAccount(boolean withToken) throws IOException {
    Path sa = Files.createDirectories(dir.resolve(withToken ? "sa-token" : "sa-none"));
    if (withToken) Files.writeString(sa.resolve("token"), "t");
    return sa;
  }

  PipelineSourceChoice choose(
      Optional<Path> kubeconfig, Optional<Path> folder, Map<String, String> env, boolean token)
      throws IOException {
    return PipelineSourceChoice.of(kubeconfig, folder, env, serviceAccount(token));
  }

  @Test
  void nothingGivenIsTheEmbeddedDefault() throws IOException {
    PipelineSourceChoice c = choose(Optional.empty(), Optional.empty(), Map.of(), false);
    assertEquals(Source.EMBEDDED, c.source());
    assertTrue(c.describe().startsWith("the built-in debug pipelines"), c.describe());
  }

  @Test
  void aPodUsesItsClustersApi_butOnlyWithAServiceAccountToken() throws IOException {
    assertEquals(Source.IN_CLUSTER, choose(Optional.empty(), Optional.empty(), POD, true).source());
    assertEquals(Source.EMBEDDED, choose(Optional.empty(), Optional.empty(), POD, false).source());
  }

  @Test
  void kubeconfigEnvironmentTakesTheFirstFileOfItsList() throws IOException {
    PipelineSourceChoice c =
        choose(
            Optional.empty(),
            Optional.empty(),
            Map.of("KUBECONFIG", "/a/config" + File.pathSeparator + "/b/config"),
            false);
    assertEquals(Source.KUBECONFIG, c.source());
    assertEquals(Optional.of(Path.of("/a/config")), c.kubeconfig());
    assertEquals("pipelines from the Kubernetes API of /a/config (KUBECONFIG)", c.describe());
  }

  @Test
  void aPodWinsOverKubeconfigEnvironment() throws IOException {
    Map<String, String> env = Map.of("KUBERNETES_SERVICE_HOST", "h", "KUBECONFIG", "/a/config");
    assertEquals(Source.IN_CLUSTER, choose(Optional.empty(), Optional.empty(), env, true).source());
  }

  @Test
  void explicitOptionsWinOverTheEnvironment() throws IOException {
    Map<String, String> env = Map.of("KUBERNETES_SERVICE_HOST", "h", "KUBECONFIG", "/a/config");
    PipelineSourceChoice folder = choose(Optional.empty(), Optional.of(dir), env, true);
    assertEquals(Source.FOLDER, folder.source());
    PipelineSourceChoice file =
        choose(Optional.of(Path.of("/k/config")), Optional.of(dir), env, true);
    assertEquals(Source.KUBECONFIG, file.source());
    assertEquals("--kubeconfig", file.why());
  }

  @Test
  void theClientTalksToTheServerTheKubeconfigNames() throws IOException {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
            + "clusters: [{name: k, cluster: {server: \"https://127.0.0.1:6443\"}}]\n"
            + "users: [{name: u, user: {token: abc}}]\n"
            + "contexts: [{name: c, context: {cluster: k, user: u}}]\n");
    PipelineSourceChoice c = choose(Optional.of(kubeconfig), Optional.empty(), Map.of(), false);
    try (KubernetesClient client = c.client()) {
      assertEquals("https://127.0.0.1:6443/", client.getMasterUrl().toString());
    }
    PipelineSourceChoice missing =
        choose(Optional.of(dir.resolve("nope")), Optional.empty(), Map.of(), false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, missing::client);
    assertTrue(e.getMessage().contains("no readable file"), e.getMessage());
  }
}
