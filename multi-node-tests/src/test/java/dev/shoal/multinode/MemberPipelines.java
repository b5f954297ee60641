package dev.shoal.multinode;

import dev.shoal.node.NodeProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one member runs, as its management port shows it: the configuration version and pipelines on
 * {@code /metrics}, the pipeline entities it hosts on {@code /cluster/shards/PipelineEntity}.
 *
 * @param version the published configuration version it runs (0: none yet)
 * @param pipelines the names of the pipelines it runs
 * @param entities how many PipelineEntity instances live on it
 */
record MemberPipelines(long version, Set<String> pipelines, int entities) {
  private static final Pattern VERSION =
      Pattern.compile("^shoal_pipeline_configuration_version (\\S+)$", Pattern.MULTILINE);
  private static final Pattern PIPELINE =
      Pattern.compile(
          "^shoal_pipeline_queue_bytes_capacity\\{pipeline=\"([^\"]+)\"", Pattern.MULTILINE);
  private static final Pattern ENTITIES = Pattern.compile("\"numEntities\":(\\d+)");

  static MemberPipelines of(NodeProcess node) throws IOException, InterruptedException {
    String metrics = ok(node, "/metrics");
    Matcher version = VERSION.matcher(metrics);
    long v = version.find() ? (long) Double.parseDouble(version.group(1)) : 0;
    Set<String> pipelines = new TreeSet<>();
    PIPELINE.matcher(metrics).results().forEach(m -> pipelines.add(m.group(1)));
    int entities =
        ENTITIES
            .matcher(ok(node, "/cluster/shards/PipelineEntity"))
            .results()
            .mapToInt(m -> Integer.parseInt(m.group(1)))
            .sum();
    return new MemberPipelines(v, pipelines, entities);
  }

  private static String ok(NodeProcess node, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = node.getManagement(path);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(node.clusterNode() + path + ": " + response.statusCode());
    }
    return response.body();
  }
}
