package dev.shoal.pipeline.output.otlp;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Hands grpc-java a message that is already encoded: the bytes go on the wire as they are, never
 * decoded. The stream tells its length ({@link KnownLength}), so grpc-java frames it without
 * buffering, and writes itself in one piece ({@link Drainable}) into the frame or the compressor.
 */
final class EncodedMessageMarshaller implements MethodDescriptor.Marshaller<byte[]> {
  static final EncodedMessageMarshaller INSTANCE = new EncodedMessageMarshaller();

  private EncodedMessageMarshaller() {}

  @Override
  public InputStream stream(byte[] message) {
    return new EncodedStream(message);
  }

  /** Not used by a client, which only sends such messages. */
  @Override
  public byte[] parse(InputStream stream) {
    try {
      return stream.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read a gRPC message", e);
    }
  }

  private static final class EncodedStream extends ByteArrayInputStream
      implements KnownLength, Drainable {
    EncodedStream(byte[] message) {
      super(message);
    }

    @Override
    public synchronized int drainTo(OutputStream target) throws IOException {
      int length = count - pos;
      target.write(buf, pos, length);
      pos = count;
      return length;
    }
  }
}
