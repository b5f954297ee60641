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
   * All requests as one encoded {@code Export*ServiceRequest}: their bytes one after the other,
   * which protobuf reads as one request holding all their resources. Nothing is decoded. The caller
   * must not modify the array.
   */
  public byte[] encoded() {
    if (requests.size() == 1) return requests.get(0).protobuf();
    byte[] all = new byte[Math.toIntExact(bytes)];
    int at = 0;
    for (ExportRequest r : requests) {
      byte[] part = r.protobuf();
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  /** All requests as one decoded {@code Export*ServiceRequest}: for outputs that print it. */
  public Message merged() {
    try {
      return signal.parseProtobuf(encoded());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("a batch of accepted requests no longer decodes", e);
    }
  }
}
