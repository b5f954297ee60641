package dev.shoal.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a node becomes a cluster member, read once from the configuration ({@code shoal.node.join} in
 * {@code cluster.conf}):
 *
 * <ul>
 *   <li>{@link Way#SEED_NODES}: the configured seed nodes ({@code --seed}, {@code
 *       SHOAL_SEED_NODES}, or {@code pekko.cluster.seed-nodes} itself). Pekko joins them by itself
 *       when the actor system starts.
 *   <li>{@link Way#BOOTSTRAP}: Pekko Cluster Bootstrap, which finds the other members through a
 *       discovery method ({@code SHOAL_DISCOVERY}: {@code kubernetes-api} in a pod, {@code config}
 *       on machines whose management addresses are listed in the configuration).
 *   <li>{@link Way#SELF}: neither of these; the node joins itself and is a cluster of its own (the
 *       embedded default).
 * </ul>
 *
 * @param way which of the three
 * @param seedNodes the seed nodes' addresses ({@code pekko://shoal@host:port}), for {@code
 *     SEED_NODES}
 * @param discoveryMethod {@code kubernetes-api} or {@code config}, for {@code BOOTSTRAP}
 * @param serviceName the name discovery looks up: the pod label value, the config service name
 * @param requiredContactPoints how many members discovery must find before a new cluster forms
 * @param podLabelSelector the pods {@code kubernetes-api} discovery lists
 */
record JoinSettings(
    Way way,
    List<String> seedNodes,
    String discoveryMethod,
    String serviceName,
    int requiredContactPoints,
    String podLabelSelector) {

  /** The actor system's name: part of every member's address. */
  static final String SYSTEM_NAME = "shoal";

  static final Set<String> DISCOVERY_METHODS = Set.of("kubernetes-api", "config");

  private static final String BOOTSTRAP_DISCOVERY =
      "pekko.management.cluster.bootstrap.contact-point-discovery.";

  private static final String SEED_FORM =
      "expected host:port[,host:port...] (the members' cluster addresses, e.g."
          + " 10.0.0.5:25520,10.0.0.6:25520)";

  /** A host name, an IPv4 address, or an IPv6 address in brackets; then a port. */
  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):([0-9]{1,5})");

  enum Way {
    SELF,
    SEED_NODES,
    BOOTSTRAP
  }

  /**
   * Parses a seed list as given on the command line or in {@code SHOAL_SEED_NODES}: {@code
   * host:port,host:port}. Returns the members' addresses.
   *
   * @param source where the list came from, for the message
   * @throws IllegalArgumentException naming the bad entry and the expected form
   */
  static List<String> parseSeedNodes(String list, String source) {
    if (list.isBlank()) {
      throw new IllegalArgumentException(source + " is empty: " + SEED_FORM);
    }
    List<String> addresses = new ArrayList<>();
    for (String entry : list.split(",", -1)) {
      String hostPort = entry.trim();
      if (hostPort.isEmpty()) {
        throw new IllegalArgumentException(
            source + " \"" + list + "\" has an empty entry: " + SEED_FORM);
      }
      Matcher m = HOST_PORT.matcher(hostPort);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            source + " \"" + list + "\": \"" + hostPort + "\" is not host:port; " + SEED_FORM);
      }
      int port = Integer.parseInt(m.group(3));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            source
                + " \""
                + list
                + "\": port "
                + port
                + " of \""
                + hostPort
                + "\" is not between 1 and 65535; "
                + SEED_FORM);
      }
      addresses.add("pekko://" + SYSTEM_NAME + "@" + m.group(1) + ":" + port);
    }
    return List.copyOf(addresses);
  }

  /**
   * The node's configuration with {@code shoal.node.join.seed-nodes} turned into Pekko's {@code
   * pekko.cluster.seed-nodes} and {@code shoal.node.join.discovery} into Cluster Bootstrap's
   * discovery method, after checking that the way to join is unambiguous and complete.
   *
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  static Config applyTo(Config config) {
    String seeds = config.getString("shoal.node.join.seed-nodes");
    if (!seeds.isBlank()) {
      config =
          config.withValue(
              "pekko.cluster.seed-nodes",
              ConfigValueFactory.fromIterable(
                  parseSeedNodes(seeds, "shoal.node.join.seed-nodes (env SHOAL_SEED_NODES)")));
    }
    JoinSettings join = fromConfig(config);
    if (join.way() == Way.BOOTSTRAP) {
      config =
          config.withValue(
              BOOTSTRAP_DISCOVERY + "discovery-method",
              ConfigValueFactory.fromAnyRef(join.discoveryMethod()));
    }
    return config;
  }

  /**
   * Reads how to join. Seed nodes and discovery exclude each other: Cluster Bootstrap decides the
   * seed nodes itself.
   *
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  static JoinSettings fromConfig(Config config) {
    List<String> seedNodes = config.getStringList("pekko.cluster.seed-nodes");
    String discovery = config.getString("shoal.node.join.discovery").trim();
    String bootstrap = BOOTSTRAP_DISCOVERY;
    String serviceName = config.getString(bootstrap + "service-name");
    int required;
    try {
      required = config.getInt(bootstrap + "required-contact-point-nr");
    } catch (ConfigException.WrongType e) {
      required = 0;
    }
    if (!discovery.isEmpty() && !DISCOVERY_METHODS.contains(discovery)) {
      throw new IllegalArgumentException(
          "shoal.node.join.discovery (env SHOAL_DISCOVERY) is \""
              + discovery
              + "\": expected kubernetes-api (in a Kubernetes pod), config, or nothing");
    }
    String selector =
        String.format(
            config.getString("pekko.discovery.kubernetes-api.pod-label-selector"), serviceName);
    if (discovery.isEmpty()) {
      return seedNodes.isEmpty()
          ? new JoinSettings(Way.SELF, List.of(), "", serviceName, required, selector)
          : new JoinSettings(Way.SEED_NODES, seedNodes, "", serviceName, required, selector);
    }
    if (!seedNodes.isEmpty()) {
      throw new IllegalArgumentException(
          "both seed nodes "
              + seedNodes
              + " and discovery ("
              + discovery
              + ") are set: choose one (--seed / SHOAL_SEED_NODES, or SHOAL_DISCOVERY)");
    }
    if (required < 1) {
      throw new IllegalArgumentException(
          bootstrap
              + "required-contact-point-nr (env SHOAL_REQUIRED_CONTACT_POINTS) is \""
              + config.getValue(bootstrap + "required-contact-point-nr").unwrapped()
              + "\": expected a whole number of at least 1 (the StatefulSet's replicas)");
    }
    return new JoinSettings(Way.BOOTSTRAP, List.of(), discovery, serviceName, required, selector);
  }

  /**
   * Why this way of joining cannot work where the node runs, or null. Kubernetes API discovery
   * reads the pod's service-account certificate and fails without it.
   */
  String whyNotHere(Config config) {
    if (way != Way.BOOTSTRAP || !discoveryMethod.equals("kubernetes-api")) return null;
    Path ca = Path.of(config.getString("pekko.discovery.kubernetes-api.api-ca-path"));
    if (Files.isReadable(ca)) return null;
    return "SHOAL_DISCOVERY=kubernetes-api works only inside a Kubernetes pod: there is no"
        + " service-account certificate at "
        + ca
        + ". Elsewhere, list the members with --seed (SHOAL_SEED_NODES), or use"
        + " SHOAL_DISCOVERY=config with pekko.discovery.config.services.shoal.endpoints";
  }

  /** One line for the log: how this node joins. */
  String describe(String selfAddress) {
    return switch (way) {
      case SELF ->
          "no seed nodes and no discovery configured: joining itself as "
              + selfAddress
              + " (a cluster of its own)";
      case SEED_NODES -> "joining the cluster through the seed nodes " + seedNodes;
      case BOOTSTRAP ->
          "joining through Cluster Bootstrap: "
              + discoveryMethod
              + " discovery of service \""
              + serviceName
              + "\""
              + (discoveryMethod.equals("kubernetes-api")
                  ? " (pods labelled " + podLabelSelector + ")"
                  : "")
              + "; a new cluster forms once "
              + requiredContactPoints
              + " members are found";
    };
  }
}
