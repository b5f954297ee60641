package dev.shoal.multinode;

import dev.shoal.node.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The node processes of one test class. Each node has its own ports, its own data folder and its
 * own log, all under {@code target/nodes/<name>/}, which is kept after the run so that a failure
 * can be read in the nodes' own words. Closing kills every node still running.
 */
final class LocalCluster implements AutoCloseable {
  private final Path dir;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  LocalCluster(String name) throws IOException {
    dir = Path.of("target", "nodes", name).toAbsolutePath();
    if (Files.exists(dir)) {
      try (Stream<Path> old = Files.walk(dir)) {
        old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
  }

  Path dir() {
    return dir;
  }

  /** Starts node {@code name} on the given ports, with its data in {@code <name>-data}. */
  NodeProcess start(String name, NodeProcess.Ports ports, Map<String, String> env, String... args)
      throws IOException {
    List<String> all =
        new ArrayList<>(List.of("--data-dir", dir.resolve(name + "-data").toString()));
    all.addAll(List.of(args));
    NodeProcess node =
        NodeProcess.start(dir, dir.resolve(name + ".log"), ports, env, all.toArray(String[]::new));
    nodes.add(node);
    names.add(name);
    return node;
  }

  /**
   * Waits until each of {@code nodes} sees exactly them all Up; fails with every node's last log
   * lines when they do not within {@code bound}.
   */
  void awaitAllUp(List<NodeProcess> members, Duration bound) {
    try {
      Awaitility.await("all of " + members.size() + " members Up on each of them")
          .atMost(bound)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () -> {
                for (NodeProcess node : members) {
                  if (!ClusterView.of(node).allUp(members)) return false;
                }
                return true;
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + logs(), e);
    }
  }

  /** The last lines of every node's log, for a failure message. */
  String logs() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < nodes.size(); i++) {
      text.append("\n===== ").append(names.get(i)).append(" (").append(nodes.get(i).clusterNode());
      text.append(") =====\n");
      try {
        List<String> lines = nodes.get(i).output().lines().toList();
        lines
            .subList(Math.max(0, lines.size() - 40), lines.size())
            .forEach(l -> text.append(l).append('\n'));
      } catch (IOException e) {
        text.append("(no log: ").append(e).append(")\n");
      }
    }
    return text.toString();
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess node : nodes) node.close();
  }
}
