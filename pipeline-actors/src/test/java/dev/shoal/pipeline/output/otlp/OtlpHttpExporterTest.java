package dev.shoal.pipeline.output.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.output.DropReason;
import dev.shoal.pipeline.output.ExportFailedException;
import dev.shoal.pipeline.output.ExportResult;
import dev.shoal.pipeline.output.OtlpOutputSettings.Compression;
import dev.shoal.pipeline.output.OtlpOutputSettings.Protocol;
import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import dev.shoal.pipeline.output.otlp.OtlpBackend.Received;
import dev.shoal.pipeline.stream.Batch;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

class OtlpHttpExporterTest extends OtlpExporterScenarios {

  @Override
  Protocol protocol() {
    return Protocol.HTTP;
  }

  @Override
  OtlpBackend startBackend(ActorTestKit testKit) {
    return OtlpBackend.http(testKit.system());
  }

  @Test
  void postsProtobufToTheEndpointPath() throws Exception {
    delivered(exporter(), TestOutputs.traces());

    Received received = backend.received().get(0);
    assertEquals("application/x-protobuf", received.headers().get("content-type"));
    assertEquals(TestOutputs.traces().merged(), received.request());
  }

  @Test
  void gzipCompressesTheBody() throws Exception {
    Batch batch = TestOutputs.traces();
    var gzip =
        TestOutputs.settings(
            Protocol.HTTP,
            backend.endpoint(),
            Tls.DEFAULT,
            Compression.GZIP,
            TestOutputs.REQUEST_TIMEOUT,
            TestOutputs.FAST_RETRY);

    assertEquals(ExportResult.DELIVERED, delivered(exporter(gzip), batch));

    Received received = backend.received().get(0);
    assertEquals("gzip", received.headers().get("content-encoding"));
    assertEquals((byte) 0x1f, received.body()[0]);
    assertEquals((byte) 0x8b, received.body()[1]);
    assertArrayEquals(batch.merged().toByteArray(), OtlpBackend.gunzip(received.body()));
  }

  @Test
  void aRejectionNamesTheStatus() {
    backend.script(new BackendAnswer.TooLarge());

    ExportFailedException e = dropped(exporter(), TestOutputs.traces());

    assertEquals(DropReason.REJECTED, e.reason());
    assertTrue(e.getMessage().startsWith("HTTP 413 from http://127.0.0.1:"), e.getMessage());
    assertEquals(1, backend.received().size());
  }
}
