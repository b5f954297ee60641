package dev.shoal.pipeline.receiver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.zip.GZIPInputStream;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;

/**
 * Reads request bodies with hard bounds: a body is never held beyond the limit, and a gzip body is
 * inflated only up to the limit, so a small "gzip bomb" cannot take the node's memory.
 */
final class RequestBodies {
  private static final int INFLATE_CHUNK = 64 * 1024;

  private RequestBodies() {}

  /**
   * The whole body, or a failure with {@link RequestTooLargeException} as soon as more than {@code
   * limit} bytes arrived (or were announced by Content-Length).
   */
  static CompletionStage<ByteString> read(
      HttpEntity entity, long limit, long timeoutMillis, Materializer mat) {
    // A body that arrived whole with its request needs no stream to be read (see
    // OtlpReceivers for how HTTP/2 requests are collected whole).
    if (entity instanceof HttpEntity.Strict strict) {
      return strict.getData().size() > limit
          ? CompletableFuture.failedFuture(new RequestTooLargeException(limit, false))
          : CompletableFuture.completedFuture(strict.getData());
    }
    return entity
        .withSizeLimit(limit)
        .toStrict(timeoutMillis, mat)
        .<ByteString>thenApply(HttpEntity.Strict::getData)
        .exceptionally(
            failure -> {
              if (hasCause(failure, EntityStreamSizeException.class)) {
                throw new RequestTooLargeException(limit, false);
              }
              throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            });
  }

  /** Inflates a gzip body, failing once the result would exceed {@code limit} bytes. */
  static byte[] gunzip(ByteString compressed, long limit) throws IOException {
    try (InputStream in = new GZIPInputStream(compressed.asInputStream(), INFLATE_CHUNK)) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream((int) Math.min(limit, 4L * compressed.size() + 64));
      byte[] chunk = new byte[INFLATE_CHUNK];
      long total = 0;
      int n;
      while ((n = in.read(chunk)) > 0) {
        total += n;
        if (total > limit) throw new RequestTooLargeException(limit, true);
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** Whether {@code t} or one of its causes is of the given type. */
  static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    return cause(t, type) != null;
  }

  /** The first of {@code t} and its causes that is of the given type, or null. */
  static <T extends Throwable> T cause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) return type.cast(c);
    }
    return null;
  }
}
