package dev.shoal.pipeline.prometheus;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.zip.GZIPInputStream;

/**
 * Reads a response body up to a limit and no further: beyond it the connection's stream is
 * cancelled and the body fails with {@link TooLargeException}. A gzip body is inflated up to the
 * same limit.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final long limit;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  BoundedBody(long limit) {
    this.limit = limit;
  }

  /** The body was larger than the limit. */
  static final class TooLargeException extends IOException {
    TooLargeException(String what, long limit) {
      super(what + " is larger than the body-size limit of " + limit + " bytes");
    }
  }

  static HttpResponse.BodyHandler<byte[]> handler(long limit) {
    return info -> {
      long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
      if (declared > limit) {
        return HttpResponse.BodySubscribers.replacing(null);
      }
      return new BoundedBody(limit);
    };
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) return;
    for (ByteBuffer b : buffers) {
      if (bytes.size() + (long) b.remaining() > limit) {
        subscription.cancel();
        result.completeExceptionally(new TooLargeException("the body", limit));
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      bytes.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(bytes.toByteArray());
  }

  /** Inflates a gzip body, failing beyond {@code limit} bytes. */
  static byte[] gunzip(byte[] body, long limit) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 64 * 1024)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 4);
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (out.size() + (long) n > limit) {
          throw new TooLargeException("the decompressed body", limit);
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }
}
