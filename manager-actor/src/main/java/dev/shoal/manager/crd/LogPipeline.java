package dev.shoal.manager.crd;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A pipeline of log records to one OTLP backend. Cluster-scoped, as it does not implement
 * Namespaced.
 */
@Group("telemetry.shoal.dev")
@Version("v1beta1")
@AdditionalPrinterColumn(name = "Configuration", jsonPath = PipelineStatus.CONFIGURATION_COLUMN)
@AdditionalPrinterColumn(name = "Flow", jsonPath = PipelineStatus.FLOW_COLUMN)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = PipelineStatus.AGE_COLUMN,
    type = AdditionalPrinterColumn.Type.DATE)
// Plain bean deserialization: through PipelineResource it would inherit fabric8's by-kind one.
@JsonDeserialize(using = JsonDeserializer.None.class)
public class LogPipeline extends CustomResource<LogPipelineSpec, PipelineStatus>
    implements PipelineResource {

  @Override
  public PipelineKind pipelineKind() {
    return PipelineKind.LOG_PIPELINE;
  }

  @Override
  public PipelineSpec pipelineSpec() {
    return getSpec();
  }
}
