package dev.shoal.pipeline.output.otlp;

import java.time.Duration;
import java.util.Optional;

/**
 * One attempt to deliver a batch failed in a way that a later attempt may not: the backend was
 * unreachable, too slow, or asked to be called again later. An exporter that makes single attempts
 * fails with it, and {@link RetryingExporter} either retries or turns it into a drop.
 */
public final class RetryableExportException extends RuntimeException {
  private final transient Optional<Duration> serverDelay;

  /**
   * @param serverDelay the wait the backend asked for (HTTP {@code Retry-After}, gRPC {@code
   *     RetryInfo}); it replaces the computed backoff
   */
  public RetryableExportException(String message, Optional<Duration> serverDelay, Throwable cause) {
    super(message, cause);
    this.serverDelay = serverDelay;
  }

  public RetryableExportException(String message, Throwable cause) {
    this(message, Optional.empty(), cause);
  }

  public Optional<Duration> serverDelay() {
    return serverDelay;
  }
}
