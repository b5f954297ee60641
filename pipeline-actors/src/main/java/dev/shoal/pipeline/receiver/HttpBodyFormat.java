package dev.shoal.pipeline.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.OtlpJson;
import dev.shoal.pipeline.otlp.Signal;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.model.MediaTypes;

/** The two OTLP/HTTP encodings: binary protobuf and the OTLP JSON mapping. */
enum HttpBodyFormat {
  PROTOBUF(MediaTypes.applicationBinary("x-protobuf", false).toContentType()) {
    @Override
    ExportRequest read(Signal signal, byte[] body) throws InvalidProtocolBufferException {
      return ExportRequest.parse(signal, body);
    }

    @Override
    byte[] encode(Message message) {
      return message.toByteArray();
    }
  },

  JSON(ContentTypes.APPLICATION_JSON) {
    @Override
    ExportRequest read(Signal signal, byte[] body) throws InvalidProtocolBufferException {
      return ExportRequest.of(signal, signal.parseJson(body));
    }

    @Override
    byte[] encode(Message message) {
      if (message instanceof com.google.rpc.Status) {
        try {
          return JsonFormat.printer()
              .omittingInsignificantWhitespace()
              .print(message)
              .getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException(e);
        }
      }
      return OtlpJson.print(message).getBytes(StandardCharsets.UTF_8);
    }
  };

  private final ContentType contentType;

  HttpBodyFormat(ContentType contentType) {
    this.contentType = contentType;
  }

  ContentType contentType() {
    return contentType;
  }

  /** The export request in the body: kept as it is when binary, encoded when JSON. */
  abstract ExportRequest read(Signal signal, byte[] body) throws InvalidProtocolBufferException;

  abstract byte[] encode(Message message);

  /** The format of a request's media type ({@code application/x-protobuf} or JSON), or null. */
  static HttpBodyFormat of(MediaType mediaType) {
    String type = mediaType.toString();
    if (type.equalsIgnoreCase("application/x-protobuf")) return PROTOBUF;
    if (type.equalsIgnoreCase("application/json")) return JSON;
    return null;
  }
}
