package dev.shoal.pipeline.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * The three OTLP signals, with what differs between them: the HTTP path, how to decode a request,
 * and how to count its items.
 */
public enum Signal {
  TRACES("traces", "/v1/traces", "spans") {
    @Override
    Message parse(byte[] protobuf) throws InvalidProtocolBufferException {
      return ExportTraceServiceRequest.parseFrom(protobuf);
    }

    @Override
    Message.Builder newRequestBuilder() {
      return ExportTraceServiceRequest.newBuilder();
    }

    @Override
    public Message emptyResponse() {
      return ExportTraceServiceResponse.getDefaultInstance();
    }

    @Override
    public int countItems(Message request) {
      return ItemCounts.spans((ExportTraceServiceRequest) request);
    }
  },

  METRICS("metrics", "/v1/metrics", "data points") {
    @Override
    Message parse(byte[] protobuf) throws InvalidProtocolBufferException {
      return ExportMetricsServiceRequest.parseFrom(protobuf);
    }

    @Override
    Message.Builder newRequestBuilder() {
      return ExportMetricsServiceRequest.newBuilder();
    }

    @Override
    public Message emptyResponse() {
      return ExportMetricsServiceResponse.getDefaultInstance();
    }

    @Override
    public int countItems(Message request) {
      return ItemCounts.dataPoints((ExportMetricsServiceRequest) request);
    }
  },

  LOGS("logs", "/v1/logs", "log records") {
    @Override
    Message parse(byte[] protobuf) throws InvalidProtocolBufferException {
      return ExportLogsServiceRequest.parseFrom(protobuf);
    }

    @Override
    Message.Builder newRequestBuilder() {
      return ExportLogsServiceRequest.newBuilder();
    }

    @Override
    public Message emptyResponse() {
      return ExportLogsServiceResponse.getDefaultInstance();
    }

    @Override
    public int countItems(Message request) {
      return ItemCounts.logRecords((ExportLogsServiceRequest) request);
    }
  };

  private final String id;
  private final String httpPath;
  private final String itemName;

  Signal(String id, String httpPath, String itemName) {
    this.id = id;
    this.httpPath = httpPath;
    this.itemName = itemName;
  }

  /** Lower-case name used in configuration, file names and logs: traces, metrics, logs. */
  public String id() {
    return id;
  }

  /** The OTLP/HTTP path, e.g. {@code /v1/traces}. */
  public String httpPath() {
    return httpPath;
  }

  /** What one item of this signal is called in logs: spans, data points, log records. */
  public String itemName() {
    return itemName;
  }

  /** The signal served at an OTLP/HTTP path, or null when the path is not an OTLP one. */
  public static Signal forHttpPath(String path) {
    for (Signal s : values()) {
      if (s.httpPath.equals(path)) return s;
    }
    return null;
  }

  /** Decodes an export request in binary protobuf. */
  public Message parseProtobuf(byte[] protobuf) throws InvalidProtocolBufferException {
    return parse(protobuf);
  }

  /** Decodes an export request in the OTLP JSON mapping. */
  public Message parseJson(byte[] json) throws InvalidProtocolBufferException {
    return OtlpJson.merge(json, newRequestBuilder()).build();
  }

  abstract Message parse(byte[] protobuf) throws InvalidProtocolBufferException;

  abstract Message.Builder newRequestBuilder();

  /** The export response that acknowledges a whole request. */
  public abstract Message emptyResponse();

  /** Spans, metric data points or log records in an export request of this signal. */
  public abstract int countItems(Message request);
}
