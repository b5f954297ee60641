package dev.shoal.pipeline.receiver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OTLP/gRPC answers bad requests with the status the OTLP specification names, bounds what a
 * (compressed) message may cost, and keeps serving: every case ends with a good request that must
 * be written to the debug output. Frames are built by hand over HTTP/2 cleartext, so that the
 * requests can be wrong in ways a gRPC client library would never send.
 */
class GrpcReceiverBadInputTest {
  private static final int LIMIT = 64 * 1024;
  private static final String EXPORT =
      "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
  private static final MediaType GRPC = MediaType.get("application/grpc");
  private static final int OK = 0;
  private static final int INVALID_ARGUMENT = 3;
  private static final int RESOURCE_EXHAUSTED = 8;
  private static final int UNIMPLEMENTED = 12;

  /** Field 1, length-delimited, announces 5 bytes and has 1: a truncated protobuf message. */
  private static final byte[] TRUNCATED_PROTOBUF = {0x0a, 0x05, 0x01};

  @TempDir static Path debugDir;
  static ReceiverHarness node;
  static OkHttpClient client;

  @BeforeAll
  static void start() {
    node =
        new ReceiverHarness(
            debugDir,
            "shoal.pipeline.receiver.max-request-bytes = 64KiB\n"
                + "shoal.pipeline.pipeline-defaults.batch.timeout = 50ms");
    client =
        new OkHttpClient.Builder()
            .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
            .callTimeout(Duration.ofSeconds(10))
            .build();
  }

  @AfterAll
  static void stop() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    // Drained first, so that stopping the node does not abort running pipelines.
    node.drain();
    node.close();
  }

  @Test
  void aValidRequestIsAcknowledgedAndWritten() throws Exception {
    byte[] message = SampleRequests.traces("grpc-plain").toByteArray();

    GrpcResult result = call(EXPORT, frame(false, message), false);

    assertEquals(OK, result.status(), result::toString);
    // One uncompressed frame holding the empty ExportTraceServiceResponse.
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0}, result.body());
    awaitSpan("grpc-plain");
  }

  @Test
  void aMessageOfExactlyTheLimitIsTaken() throws Exception {
    byte[] message = SampleRequests.tracesOfSize("grpc-exactly-the-limit", LIMIT).toByteArray();
    assertEquals(LIMIT, message.length);

    GrpcResult result = call(EXPORT, frame(false, message), false);

    assertEquals(OK, result.status(), result::toString);
    awaitSpan("grpc-exactly-the-limit");
  }

  @Test
  void garbageProtobufIsInvalidArgument() throws Exception {
    GrpcResult result = call(EXPORT, frame(false, TRUNCATED_PROTOBUF), false);

    assertEquals(INVALID_ARGUMENT, result.status(), result::toString);
    assertTrue(result.message().contains("not a valid OTLP protobuf message"), result::toString);
    assertStillServes("grpc-after-garbage");
  }

  @Test
  void aFrameWhoseLengthDoesNotMatchItsBytesIsInvalidArgument() throws Exception {
    byte[] valid = frame(false, TRUNCATED_PROTOBUF);
    byte[] cut = java.util.Arrays.copyOf(valid, valid.length - 1);
    GrpcResult result = call(EXPORT, cut, false);

    assertEquals(INVALID_ARGUMENT, result.status(), result::toString);
    assertTrue(result.message().contains("announces"), result::toString);
    assertStillServes("grpc-after-short-frame");
  }

  @Test
  void aCompressedMessageWithoutEncodingIsInvalidArgument() throws Exception {
    GrpcResult result = call(EXPORT, frame(true, TRUNCATED_PROTOBUF), false);

    assertEquals(INVALID_ARGUMENT, result.status(), result::toString);
    assertTrue(result.message().contains("grpc-encoding"), result::toString);
    assertStillServes("grpc-after-unannounced-compression");
  }

  @Test
  void aMessageOverTheLimitIsResourceExhausted() throws Exception {
    byte[] message = SampleRequests.tracesOfSize("grpc-over-the-limit", LIMIT + 1024).toByteArray();

    GrpcResult result = call(EXPORT, frame(false, message), false);

    assertEquals(RESOURCE_EXHAUSTED, result.status(), result::toString);
    assertTrue(
        result.message().contains("exceeds the limit of " + LIMIT + " bytes"), result::toString);
    assertStillServes("grpc-after-over-the-limit");
  }

  @Test
  void aGzipBombIsResourceExhausted() throws Exception {
    byte[] bomb = SampleRequests.gzip(new byte[10 * 1024 * 1024]);
    assertTrue(bomb.length < LIMIT, "the compressed bomb itself must fit the limit");

    GrpcResult result = call(EXPORT, frame(true, bomb), true);

    assertEquals(RESOURCE_EXHAUSTED, result.status(), result::toString);
    assertTrue(
        result.message().contains("decompressed request body exceeds the limit"), result::toString);
    assertStillServes("grpc-after-gzip-bomb");
  }

  @Test
  void corruptGzipIsInvalidArgument() throws Exception {
    byte[] notGzip = "this is not gzip".getBytes(StandardCharsets.UTF_8);

    GrpcResult result = call(EXPORT, frame(true, notGzip), true);

    assertEquals(INVALID_ARGUMENT, result.status(), result::toString);
    assertTrue(result.message().contains("not valid gzip"), result::toString);
    assertStillServes("grpc-after-corrupt-gzip");
  }

  @Test
  void aValidGzipMessageIsAcknowledgedAndWritten() throws Exception {
    byte[] message = SampleRequests.traces("grpc-gzip").toByteArray();

    GrpcResult result = call(EXPORT, frame(true, SampleRequests.gzip(message)), true);

    assertEquals(OK, result.status(), result::toString);
    awaitSpan("grpc-gzip");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/opentelemetry.proto.collector.trace.v1.TraceService/Nope",
        "/no.such.Service/Export"
      })
  void anUnknownMethodIsNotServed(String path) throws Exception {
    byte[] message = SampleRequests.traces("never-unknown-method").toByteArray();

    GrpcResult result = call(path, frame(false, message), false);

    // pekko-grpc answers an unknown method of a known service with UNIMPLEMENTED, and an unknown
    // service with HTTP 404, which gRPC clients read as UNIMPLEMENTED too.
    assertTrue(
        result.status() == UNIMPLEMENTED || (!result.hasStatus() && result.httpStatus() == 404),
        result::toString);
    assertStillServes("grpc-after-unknown-method-" + path);
  }

  /** A good request on the same receiver: OK, and its span in the debug output. */
  private static void assertStillServes(String spanName) throws Exception {
    byte[] message = SampleRequests.traces(spanName).toByteArray();
    GrpcResult result = call(EXPORT, frame(false, message), false);
    assertEquals(OK, result.status(), result::toString);
    awaitSpan(spanName);
  }

  private static void awaitSpan(String spanName) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertTrue(
                    SampleRequests.writtenSpan(node, spanName).isPresent(),
                    spanName + " not written yet"));
  }

  /** A gRPC length-prefixed message: compressed flag, then the length as 4 bytes big-endian. */
  private static byte[] frame(boolean compressed, byte[] message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 5);
    out.write(compressed ? 1 : 0);
    out.write(message.length >>> 24);
    out.write(message.length >>> 16);
    out.write(message.length >>> 8);
    out.write(message.length);
    out.writeBytes(message);
    return out.toByteArray();
  }

  private static GrpcResult call(String path, byte[] body, boolean gzip) throws IOException {
    Request.Builder request =
        new Request.Builder()
            .url(node.grpcEndpoint() + path)
            .header("te", "trailers")
            .post(RequestBody.create(body, GRPC));
    if (gzip) request.header("grpc-encoding", "gzip");
    try (Response response = client.newCall(request.build()).execute()) {
      byte[] bytes = response.body().bytes();
      // An error before any message comes as a trailers-only response: the status is a header.
      Headers statusHeaders = response.header("grpc-status") != null ? response.headers() : null;
      if (statusHeaders == null) statusHeaders = response.trailers();
      return new GrpcResult(
          response.code(),
          statusHeaders.get("grpc-status"),
          percentDecoded(statusHeaders.get("grpc-message")),
          bytes);
    }
  }

  /** grpc-message is percent-encoded UTF-8 (and, unlike a form, '+' is a plus). */
  private static String percentDecoded(String value) {
    if (value == null) return "";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' && i + 2 < value.length()) {
        out.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private record GrpcResult(int httpStatus, String grpcStatus, String message, byte[] body) {
    boolean hasStatus() {
      return grpcStatus != null;
    }

    int status() {
      return grpcStatus == null ? -1 : Integer.parseInt(grpcStatus);
    }

    @Override
    public String toString() {
      return "HTTP "
          + httpStatus
          + ", grpc-status "
          + grpcStatus
          + ", grpc-message \""
          + message
          + "\", "
          + body.length
          + " body bytes";
    }
  }
}
