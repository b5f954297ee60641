package dev.shoal.pipeline.output.otlp;

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

class OtlpGrpcExporterTest extends OtlpExporterScenarios {

  @Override
  Protocol protocol() {
    return Protocol.GRPC;
  }

  @Override
  OtlpBackend startBackend(ActorTestKit testKit) {
    return OtlpBackend.grpc(testKit.system());
  }

  @Test
  void gzipCompressesTheMessage() throws Exception {
    Batch batch = TestOutputs.traces();
    var gzip =
        TestOutputs.settings(
            Protocol.GRPC,
            backend.endpoint(),
            Tls.DEFAULT,
            Compression.GZIP,
            TestOutputs.REQUEST_TIMEOUT,
            TestOutputs.FAST_RETRY);

    assertEquals(ExportResult.DELIVERED, delivered(exporter(gzip), batch));

    Received received = backend.received().get(0);
    assertEquals("gzip", received.headers().get("grpc-encoding"));
    assertEquals(batch.merged(), received.request());
  }

  @Test
  void withoutCompressionTheMessageIsSentAsItIs() throws Exception {
    delivered(exporter(), TestOutputs.traces());

    String encoding = backend.received().get(0).headers().get("grpc-encoding");
    assertTrue(encoding == null || encoding.equals("identity"), encoding);
  }

  @Test
  void resourceExhaustedWithoutRetryInfoIsRejected() {
    backend.script(new OtlpBackend.TooLarge());

    ExportFailedException e = dropped(exporter(), TestOutputs.traces());

    assertEquals(DropReason.REJECTED, e.reason());
    assertTrue(e.getMessage().contains("RESOURCE_EXHAUSTED"), e.getMessage());
    assertEquals(1, backend.received().size());
  }
}
