package dev.shoal.pipeline.durable;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.stream.Admission;

/**
 * Where a pipeline's log hands its records on: the pipeline's in-memory queue, which feeds the
 * stream. Called only from the log's writer thread, so that records enter the stream in the order
 * the log tracks them in; every method answers at once.
 */
public interface Handoff {
  /** Enqueues a record that was just written and whose room was reserved by the router. */
  Admission enqueueWritten(ExportRequest request);

  /** The record could not be written: give back the room reserved for it. */
  void writeFailed(ExportRequest request);

  /**
   * Reserves room for a record found on disk at start and enqueues it. {@link Admission#QUEUE_FULL}
   * asks the log to try again later, {@link Admission#CLOSED} to stop.
   */
  Admission offerRecovered(ExportRequest request);
}
