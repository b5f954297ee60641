package dev.shoal.bench;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.LoggerFactory;

/**
 * The actor system the sink and the HTTP load generator run on. It has no actors of its own: Pekko
 * HTTP and pekko-grpc need one for their streams and connection pools.
 */
public final class BenchSystem {
  private BenchSystem() {}

  public static ActorSystem<Void> create(String name) {
    // Logging first: otherwise Pekko's first log line races logback's start-up and SLF4J prints
    // a warning about "replayed" calls.
    LoggerFactory.getILoggerFactory();
    return ActorSystem.create(Behaviors.empty(), name, ConfigFactory.load());
  }

  /** Terminates the system and waits for it, at most {@code timeout}. */
  public static void terminate(ActorSystem<?> system, Duration timeout) {
    system.terminate();
    try {
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // Leaving is best effort: the process is about to end anyway.
    }
  }
}
