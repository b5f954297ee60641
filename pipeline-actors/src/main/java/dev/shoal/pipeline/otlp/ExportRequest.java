package dev.shoal.pipeline.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

/**
 * One OTLP export request as it travels through a pipeline: kept encoded, as it arrived. Pipelines
 * count, filter and batch it on the wire ({@link OtlpWire}); exporters send its bytes as they are.
 * Encoded requests of one signal concatenate into a valid request, since all their content is one
 * repeated field.
 *
 * @param signal which of the three signals it carries
 * @param protobuf the encoded {@code Export*ServiceRequest}; shared by every pipeline, never
 *     modified
 * @param items spans, data points or log records in it
 */
public record ExportRequest(Signal signal, byte[] protobuf, int items) {

  /**
   * Wraps an encoded request as received, counting its items; fails when its wire structure is
   * broken.
   */
  public static ExportRequest parse(Signal signal, byte[] protobuf)
      throws InvalidProtocolBufferException {
    return new ExportRequest(signal, protobuf, OtlpWire.countItems(signal, protobuf));
  }

  /** Encodes a decoded request (one that arrived as JSON, or one built in a test). */
  public static ExportRequest of(Signal signal, Message message) {
    return new ExportRequest(signal, message.toByteArray(), signal.countItems(message));
  }

  /** Its size encoded: what it costs in a queue. */
  public long bytes() {
    return protobuf.length;
  }

  /** The request decoded: for outputs that print it, and for tests. */
  public Message decode() {
    try {
      return signal.parseProtobuf(protobuf);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an accepted request no longer decodes", e);
    }
  }
}
