package dev.shoal.pipeline.receiver;

import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.stream.Admission;

/** The words a client reads when its request is refused, the same on both protocols. */
final class Refusals {
  private Refusals() {}

  static String reason(Signal signal, Admission admission) {
    return admission == Admission.CLOSED
        ? "the " + signal.id() + " pipelines are shutting down; retry against another member"
        : "the " + signal.id() + " pipelines are full; retry later";
  }
}
