package dev.shoal.pipeline.output;

/** Where a pipeline sends its batches. One record per kind of output. */
public sealed interface OutputSettings permits DebugOutputSettings, OtlpOutputSettings {}
