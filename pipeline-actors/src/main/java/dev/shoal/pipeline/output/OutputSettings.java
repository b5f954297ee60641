package dev.shoal.pipeline.output;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Where a pipeline sends its batches. One record per kind of output.
 *
 * <p>The type tags name the kind when the manager publishes resolved pipelines to the members
 * (Jackson CBOR); they are part of the cluster's wire format, so a tag is never renamed.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = DebugOutputSettings.class, name = "debug"),
  @JsonSubTypes.Type(value = OtlpOutputSettings.class, name = "otlp")
})
public sealed interface OutputSettings permits DebugOutputSettings, OtlpOutputSettings {}
