package dev.shoal.manager.distribution;

import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.sharding.CborSerializable;
import java.util.List;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.LWWRegisterKey;

/**
 * The resolved pipeline configuration as the manager publishes it to every member, through
 * Distributed Data under {@link #KEY}.
 *
 * @param version grows by one with every published change; a member applies a version once
 * @param source where the manager read it (a folder, the Kubernetes API, the embedded default)
 * @param publishedAtMillis the manager's wall clock at publication, for the delay until applied
 * @param pipelines every pipeline every member runs, secrets already resolved
 */
public record PublishedPipelines(
    long version, String source, long publishedAtMillis, List<PipelineSettings> pipelines)
    implements CborSerializable {

  /** The one replicated register that holds the configuration. */
  public static final Key<LWWRegister<PublishedPipelines>> KEY =
      LWWRegisterKey.create("shoal-pipelines");

  /** What an empty register holds before the manager published anything. */
  public static final PublishedPipelines NONE = new PublishedPipelines(0, "", 0, List.of());

  public PublishedPipelines {
    pipelines = List.copyOf(pipelines);
  }

  /** The next version, with these pipelines from this source. */
  public PublishedPipelines next(String source, List<PipelineSettings> pipelines, long nowMillis) {
    return new PublishedPipelines(version + 1, source, nowMillis, pipelines);
  }
}
