package dev.shoal.multinode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.node.NodeProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One member's view of the cluster, as its management port shows it on {@code /cluster/members}.
 *
 * @param self the member that answered
 * @param statusByNode every member it knows, by address ({@code pekko://shoal@host:port}), with its
 *     status ({@code Joining}, {@code Up}, {@code Leaving}, {@code Exiting}, {@code Down})
 * @param unreachable the members its failure detector (or another member's) gave up on
 * @param oldest the oldest member: where cluster singletons (the pipeline manager) run
 */
record ClusterView(
    String self, Map<String, String> statusByNode, Set<String> unreachable, String oldest) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static ClusterView of(NodeProcess node) throws IOException, InterruptedException {
    HttpResponse<String> response = node.getManagement("/cluster/members");
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          node.clusterNode() + " /cluster/members: " + response.statusCode());
    }
    JsonNode body = JSON.readTree(response.body());
    Map<String, String> members = new TreeMap<>();
    body.path("members")
        .forEach(m -> members.put(m.path("node").asText(), m.path("status").asText()));
    Set<String> unreachable = new TreeSet<>();
    body.path("unreachable").forEach(u -> unreachable.add(u.path("node").asText()));
    return new ClusterView(
        body.path("selfNode").asText(), members, unreachable, body.path("oldest").asText());
  }

  /** Exactly these members, all Up, none unreachable. */
  boolean allUp(Collection<NodeProcess> nodes) {
    Set<String> expected = new TreeSet<>();
    nodes.forEach(n -> expected.add(n.clusterNode()));
    return statusByNode.keySet().equals(expected)
        && statusByNode.values().stream().allMatch("Up"::equals)
        && unreachable.isEmpty();
  }

  boolean knows(NodeProcess node) {
    return statusByNode.containsKey(node.clusterNode());
  }

  boolean seesUnreachable(NodeProcess node) {
    return unreachable.contains(node.clusterNode());
  }
}
