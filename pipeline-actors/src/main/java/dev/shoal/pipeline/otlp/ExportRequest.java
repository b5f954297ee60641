package dev.shoal.pipeline.otlp;

import com.google.protobuf.Message;

/**
 * One decoded OTLP export request as it travels through a pipeline.
 *
 * @param signal which of the three signals it carries
 * @param message the decoded {@code Export*ServiceRequest}; immutable, shared by every pipeline
 * @param items spans, data points or log records in it
 * @param bytes its size in protobuf encoding: what it costs in a queue
 */
public record ExportRequest(Signal signal, Message message, int items, long bytes) {

  /** Wraps a decoded request, counting its items and measuring its encoded size. */
  public static ExportRequest of(Signal signal, Message message, long encodedBytes) {
    return new ExportRequest(signal, message, signal.countItems(message), encodedBytes);
  }
}
