package dev.shoal.pipeline.output.otlp;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;

/**
 * Compresses the messages of every call with gzip. The request builders of pekko-grpc's generated
 * clients do not expose gRPC call options, so compression is asked for here, on the channel.
 */
final class GzipCalls implements ClientInterceptor {
  static final GzipCalls INSTANCE = new GzipCalls();

  private GzipCalls() {}

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return next.newCall(method, options.withCompression("gzip"));
  }
}
