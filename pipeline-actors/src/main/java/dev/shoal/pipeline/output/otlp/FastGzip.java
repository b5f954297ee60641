package dev.shoal.pipeline.output.otlp;

import io.grpc.Compressor;
import io.grpc.CompressorRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * gzip at the fastest level, for both exporters. Level 1 takes about a third of the CPU of the
 * default level 6 on OTLP batches, for output a few tenths of a percent larger (measured on
 * generated spans: 17.4 % against 16.6 % of the original size): for a collector, CPU per span is
 * worth more than those bytes. Backends read it as any gzip.
 */
final class FastGzip implements Compressor {
  static final FastGzip INSTANCE = new FastGzip();

  /** gRPC's compressors with "gzip" meaning this one. */
  static final CompressorRegistry REGISTRY = registry();

  private FastGzip() {}

  @Override
  public String getMessageEncoding() {
    return "gzip";
  }

  @Override
  public OutputStream compress(OutputStream os) throws IOException {
    return stream(os);
  }

  /** A whole body compressed, for OTLP/HTTP. */
  static byte[] compress(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (OutputStream gz = stream(out)) {
      gz.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static OutputStream stream(OutputStream os) throws IOException {
    return new GZIPOutputStream(os, 64 * 1024) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    };
  }

  private static CompressorRegistry registry() {
    CompressorRegistry registry = CompressorRegistry.newEmptyInstance();
    registry.register(INSTANCE);
    return registry;
  }
}
