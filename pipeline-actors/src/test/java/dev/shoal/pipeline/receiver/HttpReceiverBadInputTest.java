package dev.shoal.pipeline.receiver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OTLP/HTTP answers bad requests with the status the OTLP specification names and a {@code
 * google.rpc.Status} body in the request's encoding, never reads more than the size limit, and
 * keeps serving: every case ends with a good request that must be written to the debug output.
 */
class HttpReceiverBadInputTest {
  private static final int LIMIT = 64 * 1024;
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** Field 1, length-delimited, announces 5 bytes and has 1: a truncated protobuf message. */
  private static final byte[] TRUNCATED_PROTOBUF = {0x0a, 0x05, 0x01};

  @TempDir static Path debugDir;
  static ReceiverHarness node;
  static HttpClient client;

  @BeforeAll
  static void start() {
    node =
        new ReceiverHarness(
            debugDir,
            "shoal.pipeline.receiver.max-request-bytes = 64KiB\n"
                + "shoal.pipeline.pipeline-defaults.batch.timeout = 50ms");
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterAll
  static void stop() {
    // Drained first, so that stopping the node does not abort running pipelines.
    node.drain();
    node.close();
  }

  @Test
  void malformedProtobufIsRefusedWithAProtobufStatus() throws Exception {
    HttpResponse<byte[]> response =
        send(post("/v1/traces", PROTOBUF, BodyPublishers.ofByteArray(TRUNCATED_PROTOBUF)));

    assertEquals(400, response.statusCode());
    assertEquals(PROTOBUF, mediaType(response));
    Status status = Status.parseFrom(response.body());
    assertEquals(Code.INVALID_ARGUMENT_VALUE, status.getCode());
    assertTrue(
        status.getMessage().contains("not a valid OTLP protobuf message"), status.getMessage());
    assertStillServes(PROTOBUF, "after-malformed-protobuf");
  }

  @Test
  void malformedJsonIsRefusedWithAJsonStatus() throws Exception {
    HttpResponse<byte[]> response =
        send(post("/v1/traces", JSON, BodyPublishers.ofString("{\"resourceSpans\": [")));

    assertEquals(400, response.statusCode());
    assertEquals(JSON, mediaType(response));
    Status status = jsonStatus(response);
    assertEquals(Code.INVALID_ARGUMENT_VALUE, status.getCode());
    assertTrue(status.getMessage().contains("not a valid OTLP JSON message"), status.getMessage());
    assertStillServes(JSON, "after-malformed-json");
  }

  @Test
  void aBodyOfExactlyTheLimitIsTaken() throws Exception {
    byte[] body = SampleRequests.tracesOfSize("exactly-the-limit", LIMIT).toByteArray();
    assertEquals(LIMIT, body.length);

    HttpResponse<byte[]> response =
        send(post("/v1/traces", PROTOBUF, BodyPublishers.ofByteArray(body)));

    assertEquals(200, response.statusCode());
    awaitSpan("exactly-the-limit");
  }

  /**
   * One byte over is within the HTTP parser's slack, so the receiver's own Content-Length check
   * refuses it; 64 KiB over is beyond the parser's limit too.
   */
  @ParameterizedTest
  @ValueSource(ints = {LIMIT + 1, 2 * LIMIT})
  void aBodyOverTheLimitWithContentLengthIsRefused(int size) throws Exception {
    byte[] body = SampleRequests.tracesOfSize("over-the-limit", size).toByteArray();

    HttpResponse<byte[]> response =
        send(post("/v1/traces", PROTOBUF, BodyPublishers.ofByteArray(body)));

    assertEquals(413, response.statusCode());
    assertTooLarge(response, "request body exceeds the limit of " + LIMIT + " bytes");
    assertStillServes(PROTOBUF, "after-content-length-" + size);
  }

  @Test
  void aChunkedBodyOverTheLimitIsRefused() throws Exception {
    byte[] body = SampleRequests.tracesOfSize("chunked-over-the-limit", 2 * LIMIT).toByteArray();
    // An InputStream has no known length, so the client sends the body chunked.
    BodyPublisher chunked = BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    assertEquals(-1, chunked.contentLength());

    HttpResponse<byte[]> response = send(post("/v1/traces", PROTOBUF, chunked));

    assertEquals(413, response.statusCode());
    assertTooLarge(response, "request body exceeds the limit of " + LIMIT + " bytes");
    assertStillServes(PROTOBUF, "after-chunked-over-the-limit");
  }

  @Test
  void aChunkedBodyWithinTheLimitIsTaken() throws Exception {
    byte[] body = SampleRequests.traces("chunked-within-the-limit").toByteArray();

    HttpResponse<byte[]> response =
        send(
            post(
                "/v1/traces",
                PROTOBUF,
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

    assertEquals(200, response.statusCode());
    awaitSpan("chunked-within-the-limit");
  }

  @Test
  void aGzipBombIsRefusedOnceItInflatesBeyondTheLimit() throws Exception {
    byte[] bomb = SampleRequests.gzip(new byte[10 * 1024 * 1024]);
    assertTrue(bomb.length < LIMIT, "the compressed bomb itself must fit the limit");

    HttpResponse<byte[]> response =
        send(
            post("/v1/traces", PROTOBUF, BodyPublishers.ofByteArray(bomb))
                .header("Content-Encoding", "gzip")
                .build());

    assertEquals(413, response.statusCode());
    assertTooLarge(response, "decompressed request body exceeds the limit of " + LIMIT + " bytes");
    assertStillServes(PROTOBUF, "after-gzip-bomb");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-gzip", "truncated-gzip"})
  void corruptGzipIsABadRequest(String corruption) throws Exception {
    byte[] body =
        corruption.equals("not-gzip")
            ? "this is not gzip".getBytes(StandardCharsets.UTF_8)
            : truncated(SampleRequests.gzip(SampleRequests.traces("never").toByteArray()));

    HttpResponse<byte[]> response =
        send(
            post("/v1/traces", PROTOBUF, BodyPublishers.ofByteArray(body))
                .header("Content-Encoding", "gzip")
                .build());

    assertEquals(400, response.statusCode());
    assertEquals(PROTOBUF, mediaType(response));
    Status status = Status.parseFrom(response.body());
    assertEquals(Code.INVALID_ARGUMENT_VALUE, status.getCode());
    assertTrue(status.getMessage().contains("not valid gzip"), status.getMessage());
    assertStillServes(PROTOBUF, "after-" + corruption);
  }

  @Test
  void anUnsupportedContentTypeIs415() throws Exception {
    HttpResponse<byte[]> response =
        send(post("/v1/traces", "text/plain", BodyPublishers.ofString("hello")));

    assertEquals(415, response.statusCode());
    assertEquals(JSON, mediaType(response));
    Status status = jsonStatus(response);
    assertEquals(Code.INVALID_ARGUMENT_VALUE, status.getCode());
    assertTrue(status.getMessage().contains("unsupported Content-Type"), status.getMessage());
    assertStillServes(PROTOBUF, "after-text-plain");
  }

  @Test
  void anUnsupportedContentEncodingIs415() throws Exception {
    byte[] body = SampleRequests.traces("never-brotli").toByteArray();

    HttpResponse<byte[]> response =
        send(
            post("/v1/traces", PROTOBUF, BodyPublishers.ofByteArray(body))
                .header("Content-Encoding", "br")
                .build());

    assertEquals(415, response.statusCode());
    assertEquals(PROTOBUF, mediaType(response));
    Status status = Status.parseFrom(response.body());
    assertEquals(Code.INVALID_ARGUMENT_VALUE, status.getCode());
    assertTrue(status.getMessage().contains("Content-Encoding br"), status.getMessage());
    assertStillServes(PROTOBUF, "after-brotli");
  }

  @Test
  void getIsNotAllowed() throws Exception {
    HttpResponse<byte[]> response =
        send(HttpRequest.newBuilder(uri("/v1/traces")).timeout(REQUEST_TIMEOUT).GET().build());

    assertEquals(405, response.statusCode());
    assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
    assertEquals(Code.UNIMPLEMENTED_VALUE, jsonStatus(response).getCode());
    assertStillServes(PROTOBUF, "after-get");
  }

  @Test
  void anUnknownPathIsNotFound() throws Exception {
    byte[] body = SampleRequests.traces("never-nope").toByteArray();

    HttpResponse<byte[]> response =
        send(post("/v1/nope", PROTOBUF, BodyPublishers.ofByteArray(body)));

    assertEquals(404, response.statusCode());
    Status status = jsonStatus(response);
    assertEquals(Code.NOT_FOUND_VALUE, status.getCode());
    assertTrue(status.getMessage().contains("/v1/nope"), status.getMessage());
    assertStillServes(PROTOBUF, "after-unknown-path");
  }

  /**
   * A good request on the same receiver: 200 in the request's encoding with an empty response, and
   * its span in the debug output.
   */
  private static void assertStillServes(String contentType, String spanName) throws Exception {
    var request = SampleRequests.traces(spanName);
    byte[] body =
        contentType.equals(JSON)
            ? ReceiverHarness.json(request).getBytes(StandardCharsets.UTF_8)
            : request.toByteArray();

    HttpResponse<byte[]> response =
        send(post("/v1/traces", contentType, BodyPublishers.ofByteArray(body)));

    assertEquals(200, response.statusCode(), () -> new String(response.body()));
    assertEquals(contentType, mediaType(response));
    if (contentType.equals(JSON)) {
      assertEquals("{}", new String(response.body(), StandardCharsets.UTF_8));
    } else {
      assertFalse(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess());
    }
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

  private static void assertTooLarge(HttpResponse<byte[]> response, String expected)
      throws Exception {
    assertEquals(PROTOBUF, mediaType(response));
    Status status = Status.parseFrom(response.body());
    assertEquals(Code.RESOURCE_EXHAUSTED_VALUE, status.getCode());
    assertTrue(status.getMessage().contains(expected), status.getMessage());
  }

  private static byte[] truncated(byte[] gzip) {
    return Arrays.copyOf(gzip, gzip.length / 2);
  }

  private static HttpRequest.Builder post(String path, String contentType, BodyPublisher body) {
    return HttpRequest.newBuilder(uri(path))
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", contentType)
        .POST(body);
  }

  private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    return send(request.build());
  }

  private static HttpResponse<byte[]> send(HttpRequest request) throws Exception {
    return client.send(request, BodyHandlers.ofByteArray());
  }

  private static URI uri(String path) {
    return URI.create(node.httpEndpoint() + path);
  }

  private static String mediaType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
  }

  private static Status jsonStatus(HttpResponse<byte[]> response) throws Exception {
    assertEquals(JSON, mediaType(response));
    Status.Builder status = Status.newBuilder();
    JsonFormat.parser().merge(new String(response.body(), StandardCharsets.UTF_8), status);
    return status.build();
  }
}
