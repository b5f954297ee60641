package dev.shoal.bench.run;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.opentelemetry.proto.collector.trace.v1.TraceService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the node in runner tests: started like the node ({@code --pipelines DIR --data-dir
 * DIR}, ports from the environment), it relays each OTLP/gRPC trace export to the endpoint of the
 * pipeline in DIR and acknowledges it once that endpoint did.
 */
public final class RelayNode {
  private static final MethodDescriptor<byte[], byte[]> EXPORT =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(TraceService.name, "Export"))
          .setRequestMarshaller(new Bytes())
          .setResponseMarshaller(new Bytes())
          .build();

  private RelayNode() {}

  public static void main(String[] args) throws Exception {
    Path pipelines = Path.of(args[1]);
    String yaml = Files.readString(pipelines.resolve("bench.yaml"));
    Matcher endpoint = Pattern.compile("value: http://127.0.0.1:(\\d+)").matcher(yaml);
    if (!endpoint.find()) throw new IllegalStateException("no endpoint in " + yaml);
    ManagedChannel out =
        NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(endpoint.group(1)))
            .usePlaintext()
            .build();
    int port = Integer.parseInt(System.getenv("SHOAL_OTLP_GRPC_PORT"));
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .addService(
                ServerServiceDefinition.builder(TraceService.name)
                    .addMethod(EXPORT, relayTo(out))
                    .build())
            .build()
            .start();
    System.out.println("Shoal node ready: relaying 127.0.0.1:" + port + " to " + endpoint.group());
    server.awaitTermination();
  }

  private static ServerCallHandler<byte[], byte[]> relayTo(ManagedChannel out) {
    return (call, headers) -> {
      call.request(1);
      return new ServerCall.Listener<>() {
        @Override
        public void onMessage(byte[] request) {
          ClientCall<byte[], byte[]> relayed =
              out.newCall(EXPORT, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
          relayed.start(
              new ClientCall.Listener<>() {
                private byte[] response = new byte[0];

                @Override
                public void onMessage(byte[] message) {
                  response = message;
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                  if (status.isOk()) {
                    call.sendHeaders(new Metadata());
                    call.sendMessage(response);
                  }
                  call.close(status, new Metadata());
                }
              },
              new Metadata());
          relayed.request(1);
          relayed.sendMessage(request);
          relayed.halfClose();
        }
      };
    };
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
