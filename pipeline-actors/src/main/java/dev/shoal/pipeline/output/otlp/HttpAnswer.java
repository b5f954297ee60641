package dev.shoal.pipeline.output.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.output.ExportFailedException;
import dev.shoal.pipeline.output.ExportResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;

/**
 * An OTLP/HTTP answer with its body in memory, and what it means for the batch, per the OTLP
 * specification:
 *
 * <ul>
 *   <li>2xx: delivered; the body's {@code partial_success} becomes the result's rejected items.
 *   <li>429, 502, 503, 504: {@link RetryableExportException}, with the {@code Retry-After} wait if
 *       given.
 *   <li>any other status: {@link ExportFailedException} {@code REJECTED}, with the status and the
 *       {@code google.rpc.Status} message of the body (or the start of a text body).
 * </ul>
 *
 * @param bodyRead false if the body could not be read; it is then empty
 */
record HttpAnswer(HttpResponse response, ByteString body, boolean bodyRead) {
  /** Answer bodies are read up to this size; OTLP answers are small. */
  static final long MAX_BODY_BYTES = 1 << 20;

  private static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);

  /**
   * Reads the body, always: an unread body would hold the pool's connection. A body that cannot be
   * read leaves the status to go by.
   */
  static CompletionStage<HttpAnswer> read(
      HttpResponse response, Duration timeout, Materializer materializer) {
    return response
        .entity()
        .toStrict(timeout.toMillis(), MAX_BODY_BYTES, materializer)
        .handle(
            (strict, unreadable) ->
                new HttpAnswer(
                    response,
                    strict == null ? ByteString.emptyByteString() : strict.getData(),
                    strict != null));
  }

  int status() {
    return response.status().intValue();
  }

  /**
   * The result of the export.
   *
   * @param target names the endpoint in messages
   * @throws RetryableExportException when a later attempt may be taken
   * @throws ExportFailedException when the backend refused the batch for good
   */
  ExportResult outcome(Signal signal, String target) {
    int status = status();
    if (status >= 200 && status < 300) {
      if (body.isEmpty()) return ExportResult.DELIVERED;
      try {
        Message answer = signal.emptyResponse().getParserForType().parseFrom(body.toArray());
        return PartialSuccess.of(answer);
      } catch (InvalidProtocolBufferException notOtlp) {
        // Taken, but answered with something else than an export response (a proxy, JSON).
        return ExportResult.DELIVERED;
      }
    }
    String message = "HTTP " + status + " from " + target + explanation();
    if (RETRYABLE.contains(status)) {
      throw new RetryableExportException(
          message,
          RetryAfter.parse(response.getHeader("Retry-After").map(HttpHeader::value), Instant.now()),
          null);
    }
    throw new ExportFailedException(DropReason.REJECTED, message);
  }

  /** What the body says: a {@code google.rpc.Status} message, or the start of a text body. */
  private String explanation() {
    if (body.isEmpty()) return "";
    var contentType = response.entity().getContentType();
    if (contentType.mediaType().toString().equals("application/x-protobuf")) {
      try {
        String m = com.google.rpc.Status.parseFrom(body.toArray()).getMessage();
        return m.isBlank() ? "" : ": " + m;
      } catch (InvalidProtocolBufferException notAStatus) {
        return "";
      }
    }
    if (contentType.binary()) return "";
    String text = body.decodeString(StandardCharsets.UTF_8).strip();
    if (text.length() > 300) text = text.substring(0, 300) + "…";
    return text.isEmpty() ? "" : ": " + text;
  }
}
