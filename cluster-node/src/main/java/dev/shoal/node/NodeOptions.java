package dev.shoal.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The command line of a node.
 *
 * @param help {@code --help} was given
 * @param configFile {@code --config FILE}: HOCON that overrides the built-in configuration
 * @param dataDir {@code --data-dir DIR}: overrides {@code shoal.node.data-dir}
 * @param pipelinesDir {@code --pipelines DIR}: pipeline resources and Secrets as YAML files,
 *     instead of the built-in debug pipelines
 * @param seedNodes {@code --seed host:port,host:port}: the cluster addresses of the seed nodes to
 *     join, as given (checked while parsing)
 * @param kubeconfig {@code --kubeconfig FILE}: read the pipeline resources from the Kubernetes API
 *     this kubeconfig names
 */
record NodeOptions(
    boolean help,
    Optional<Path> configFile,
    Optional<Path> dataDir,
    Optional<Path> pipelinesDir,
    Optional<String> seedNodes,
    Optional<Path> kubeconfig) {

  static final String USAGE =
      String.join(
          "\n",
          "Usage: java -jar shoal-node.jar [options]",
          "",
          "Starts a Shoal node: an OpenTelemetry collector that runs as a Pekko cluster member.",
          "With no options it joins itself, listens for OTLP on :4317 (gRPC) and :4318 (HTTP),",
          "and writes what it receives as OTLP JSON lines under ./shoal-data/debug.",
          "",
          "Options:",
          "  --config FILE     HOCON file whose settings override the built-in ones",
          "                    (e.g. shoal.pipeline.receiver.grpc.port = 14317)",
          "  --data-dir DIR    folder for the node's data (default ./shoal-data,",
          "                    or $SHOAL_DATA_DIR)",
          "  --pipelines DIR   run the TracePipeline, MetricPipeline and LogPipeline",
          "                    resources (and the Secrets they use) in the YAML files of",
          "                    DIR; edits apply within 2 s; status goes to DIR/.status/",
          "  --kubeconfig FILE run the pipeline resources (and the Secrets they use) of the",
          "                    Kubernetes API that FILE names, and write their status there.",
          "                    Without it (or --pipelines): the cluster's API in a pod,",
          "                    else the one $KUBECONFIG names, else the built-in pipelines",
          "  --seed HOST:PORT[,HOST:PORT...]",
          "                    join the cluster through these seed nodes (their cluster",
          "                    addresses, SHOAL_CLUSTER_HOST:SHOAL_CLUSTER_PORT); list the",
          "                    same nodes on every member, the first one included: it",
          "                    starts the cluster when no other seed answers within 5 s.",
          "                    Without --seed (or SHOAL_SEED_NODES, SHOAL_DISCOVERY) the",
          "                    node joins itself",
          "  --help            print this help and exit",
          "",
          "Environment: SHOAL_OTLP_GRPC_PORT, SHOAL_OTLP_HTTP_PORT, SHOAL_BIND_ADDRESS,",
          "SHOAL_CLUSTER_HOST, SHOAL_CLUSTER_PORT, SHOAL_MANAGEMENT_PORT, SHOAL_DATA_DIR,",
          "SHOAL_PIPELINES_DIR, SHOAL_DRAIN_TIMEOUT, SHOAL_SEED_NODES, SHOAL_DISCOVERY",
          "(kubernetes-api or config: Cluster Bootstrap), SHOAL_REQUIRED_CONTACT_POINTS,",
          "SHOAL_POD_LABEL_SELECTOR, SHOAL_LOG_LEVEL.");

  /** Parses the arguments, failing with a message that says what is wrong. */
  static NodeOptions parse(String... args) {
    boolean help = false;
    Path config = null;
    Path dataDir = null;
    Path pipelines = null;
    String seeds = null;
    Path kubeconfig = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> help = true;
        case "--config" -> config = Path.of(value(args, ++i, arg));
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
        case "--pipelines" -> pipelines = Path.of(value(args, ++i, arg));
        case "--seed" -> seeds = seedNodes(value(args, ++i, arg));
        case "--kubeconfig" -> kubeconfig = Path.of(value(args, ++i, arg));
        default -> {
          if (arg.startsWith("--config=")) config = Path.of(arg.substring("--config=".length()));
          else if (arg.startsWith("--data-dir=")) {
            dataDir = Path.of(arg.substring("--data-dir=".length()));
          } else if (arg.startsWith("--pipelines=")) {
            pipelines = Path.of(arg.substring("--pipelines=".length()));
          } else if (arg.startsWith("--seed=")) {
            seeds = seedNodes(arg.substring("--seed=".length()));
          } else if (arg.startsWith("--kubeconfig=")) {
            kubeconfig = Path.of(arg.substring("--kubeconfig=".length()));
          } else throw new IllegalArgumentException("unknown option " + arg);
        }
      }
    }
    return new NodeOptions(
        help,
        Optional.ofNullable(config),
        Optional.ofNullable(dataDir),
        Optional.ofNullable(pipelines),
        Optional.ofNullable(seeds),
        Optional.ofNullable(kubeconfig));
  }

  /** Checks a {@code --seed} list now, so that a typo fails before anything starts. */
  private static String seedNodes(String list) {
    JoinSettings.parseSeedNodes(list, "--seed");
    return list;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  /**
   * The node's configuration: the built-in one, overridden by {@code --config FILE}, overridden by
   * {@code --pipelines}, {@code --kubeconfig}, {@code --seed} and {@code --data-dir}.
   */
  Config loadConfig() {
    Config overrides = ConfigFactory.empty();
    if (configFile.isPresent()) {
      Path file = configFile.get();
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException("--config " + file + ": no readable file there");
      }
      overrides = ConfigFactory.parseFile(file.toFile());
    }
    if (pipelinesDir.isPresent()) {
      Path dir = pipelinesDir.get();
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--pipelines " + dir + ": no folder there");
      }
      overrides =
          ConfigValueFactory.fromAnyRef(dir.toAbsolutePath().toString())
              .atPath("shoal.node.pipelines-dir")
              .withFallback(overrides);
    }
    if (kubeconfig.isPresent()) {
      Path file = kubeconfig.get();
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException("--kubeconfig " + file + ": no readable file there");
      }
      overrides =
          ConfigValueFactory.fromAnyRef(file.toAbsolutePath().toString())
              .atPath("shoal.node.kubeconfig")
              .withFallback(overrides);
    }
    if (seedNodes.isPresent()) {
      overrides =
          ConfigValueFactory.fromAnyRef(seedNodes.get())
              .atPath("shoal.node.join.seed-nodes")
              .withFallback(overrides);
    }
    if (dataDir.isPresent()) {
      overrides =
          ConfigValueFactory.fromAnyRef(dataDir.get().toString())
              .atPath("shoal.node.data-dir")
              .withFallback(overrides);
    }
    // Overrides go below system properties and above application.conf, and substitutions such
    // as ${shoal.node.drain-timeout} are resolved only after they were applied.
    return ShoalNode.loadConfig(overrides);
  }
}
