package dev.shoal.pipeline.stream;

import com.google.protobuf.Message;
import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import java.util.List;

/**
 * Export requests gathered for one export call.
 *
 * @param pipeline the pipeline that formed it, for logs and counters
 * @param signal the signal all requests carry
 * @param requests the requests, in arrival order
 * @param items spans, data points or log records in all of them
 * @param bytes their encoded size
 */
public record Batch(
    String pipeline, Signal signal, List<ExportRequest> requests, int items, long bytes) {

  /**
   * All requests as one encoded {@code Export*ServiceRequest}: what an exporter sends. The caller
   * must not modify the array.
   */
  public byte[] encoded() {
    return merged().toByteArray();
  }

  /** All requests merged into one decoded {@code Export*ServiceRequest}. */
  public Message merged() {
    return signal.merge(requests.stream().map(ExportRequest::message).toList());
  }
}
