package dev.shoal.manager.reconcile;

import dev.shoal.pipeline.stream.PipelineSettings;

/** What one resource comes to: its condition's reason and message, and its settings if it runs. */
record Outcome(Reason reason, String message, PipelineSettings settings) {

  static Outcome failed(Reason reason, String message) {
    return new Outcome(reason, message, null);
  }
}
