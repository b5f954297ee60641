package dev.shoal.pipeline.output.otlp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import scala.concurrent.ExecutionContext;

/**
 * Fails a call that takes longer than the request timeout. The timer is one of the actor system's
 * scheduler, cancelled as soon as the call completes.
 */
final class RequestTimeout {
  private final Duration timeout;
  private final Scheduler scheduler;
  private final ExecutionContext executor;

  RequestTimeout(Duration timeout, Scheduler scheduler, ExecutionContext executor) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("request timeout must be positive");
    }
    this.timeout = timeout;
    this.scheduler = scheduler;
    this.executor = executor;
  }

  Duration timeout() {
    return timeout;
  }

  /** {@code call}'s outcome, or {@code onTimeout}'s failure once the timeout has passed. */
  <T> CompletionStage<T> bound(CompletionStage<T> call, Supplier<Throwable> onTimeout) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Cancellable timer =
        scheduler.scheduleOnce(
            timeout, () -> result.completeExceptionally(onTimeout.get()), executor);
    call.whenComplete(
        (value, failure) -> {
          timer.cancel();
          if (failure == null) result.complete(value);
          else result.completeExceptionally(failure);
        });
    return result;
  }
}
