package dev.shoal.node;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a node reads its pipelines from, and the one place that makes a fabric8 client for the
 * Kubernetes API (anything else that needs one, such as metadata enrichment, takes {@link
 * #client()}). In this order:
 *
 * <ol>
 *   <li>{@code --kubeconfig FILE} (or {@code shoal.node.kubeconfig}): the API that file names;
 *   <li>{@code --pipelines DIR} (or {@code shoal.node.pipelines-dir}): that folder — an explicit
 *       option wins over what the environment suggests;
 *   <li>in a pod ({@code KUBERNETES_SERVICE_HOST} set and a service-account token mounted): the
 *       cluster's own API, as the pod's service account;
 *   <li>{@code KUBECONFIG} set: the API of the first file it lists;
 *   <li>else the embedded default (built-in debug pipelines).
 * </ol>
 *
 * Immutable; choosing reads no file (the client is made only when asked for).
 *
 * @param source which of the above
 * @param kubeconfig the kubeconfig file, for {@link Source#KUBECONFIG}
 * @param folder the pipelines folder, for {@link Source#FOLDER}
 * @param why the option or environment that decided, for the log
 */
record PipelineSourceChoice(
    Source source, Optional<Path> kubeconfig, Optional<Path> folder, String why) {

  /** The four sources. */
  enum Source {
    IN_CLUSTER,
    KUBECONFIG,
    FOLDER,
    EMBEDDED
  }

  /** Where the service-account token of a pod is mounted. */
  static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  /** The choice for this process: its options, its environment, its file system. */
  static PipelineSourceChoice of(Optional<Path> kubeconfigOption, Optional<Path> pipelinesDir) {
    return of(kubeconfigOption, pipelinesDir, System.getenv(), SERVICE_ACCOUNT);
  }

  static PipelineSourceChoice of(
      Optional<Path> kubeconfigOption,
      Optional<Path> pipelinesDir,
      Map<String, String> env,
      Path serviceAccount) {
    if (kubeconfigOption.isPresent()) {
      return new PipelineSourceChoice(
          Source.KUBECONFIG, kubeconfigOption, Optional.empty(), "--kubeconfig");
    }
    if (pipelinesDir.isPresent()) {
      return new PipelineSourceChoice(Source.FOLDER, Optional.empty(), pipelinesDir, "--pipelines");
    }
    String host = env.get("KUBERNETES_SERVICE_HOST");
    if (host != null && !host.isBlank() && Files.isRegularFile(serviceAccount.resolve("token"))) {
      return new PipelineSourceChoice(
          Source.IN_CLUSTER,
          Optional.empty(),
          Optional.empty(),
          "running in a pod (KUBERNETES_SERVICE_HOST and a service-account token)");
    }
    String list = env.get("KUBECONFIG");
    if (list != null && !list.isBlank()) {
      String first = list.split(File.pathSeparator)[0];
      return new PipelineSourceChoice(
          Source.KUBECONFIG, Optional.of(Path.of(first)), Optional.empty(), "KUBECONFIG");
    }
    return new PipelineSourceChoice(
        Source.EMBEDDED,
        Optional.empty(),
        Optional.empty(),
        "no --kubeconfig, --pipelines, pod or KUBECONFIG");
  }

  boolean usesKubernetes() {
    return source == Source.IN_CLUSTER || source == Source.KUBECONFIG;
  }

  /** One line for the node's log: which source, and why. */
  String describe() {
    return switch (source) {
      case IN_CLUSTER -> "pipelines from the cluster's Kubernetes API (" + why + ")";
      case KUBECONFIG ->
          "pipelines from the Kubernetes API of " + kubeconfig.orElseThrow() + " (" + why + ")";
      case FOLDER -> "pipelines from the folder " + folder.orElseThrow() + " (" + why + ")";
      case EMBEDDED -> "the built-in debug pipelines (" + why + ")";
    };
  }

  /**
   * A new client for the chosen API (the caller closes it). Fails with a message naming the file
   * when a kubeconfig cannot be read.
   */
  KubernetesClient client() {
    Config config =
        switch (source) {
          case IN_CLUSTER -> Config.autoConfigure(null);
          case KUBECONFIG -> {
            Path file = kubeconfig.orElseThrow();
            if (!Files.isReadable(file)) {
              throw new IllegalArgumentException(
                  "kubeconfig " + file + " (" + why + "): no readable file there");
            }
            yield Config.fromKubeconfig(file.toFile());
          }
          default -> throw new IllegalStateException("no Kubernetes API for the source " + source);
        };
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
