package dev.shoal.bench.sink;

import dev.shoal.pipeline.otlp.Signal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.pattern.Patterns;

/**
 * The sink's mode and its counters, shared by the gRPC and HTTP handlers. Counters are {@link
 * LongAdder}s: many connections update them at once, and reading them is rare.
 */
final class SinkState {
  private final Map<Signal, Counters> counters = new EnumMap<>(Signal.class);
  private final ClassicActorSystemProvider system;
  private final boolean droppable;
  private volatile SinkMode mode;

  /**
   * @param droppable whether the sink's connections can be dropped ({@link DroppableConnections});
   *     mode {@code drop} is refused otherwise
   */
  SinkState(SinkMode mode, boolean droppable, ClassicActorSystemProvider system) {
    this.droppable = droppable;
    this.system = system;
    setMode(mode);
    for (Signal s : Signal.values()) counters.put(s, new Counters());
  }

  SinkMode mode() {
    return mode;
  }

  /** Fails with {@link IllegalArgumentException} for mode drop on a sink that cannot drop. */
  void setMode(SinkMode mode) {
    if (mode.kind() == SinkMode.Kind.DROP && !droppable) {
      throw new IllegalArgumentException(
          "this sink cannot drop connections: start it with them relayed"
              + " (sink --droppable true, SinkBackend.Connections.DROPPABLE)");
    }
    this.mode = mode;
  }

  /** {@code value}, once the mode's delay has passed; at once in every other mode. */
  <T> CompletionStage<T> afterDelay(SinkMode mode, T value) {
    if (mode.kind() != SinkMode.Kind.DELAY || mode.delayMillis() == 0) {
      return CompletableFuture.completedFuture(value);
    }
    return Patterns.after(
        Duration.ofMillis(mode.delayMillis()),
        system,
        () -> CompletableFuture.completedFuture(value));
  }

  void accepted(Signal signal, long items) {
    Counters c = counters.get(signal);
    c.requests.increment();
    c.items.add(items);
  }

  void refused(Signal signal) {
    counters.get(signal).refused.increment();
  }

  void dropped(Signal signal) {
    counters.get(signal).dropped.increment();
  }

  void invalid(Signal signal) {
    counters.get(signal).invalid.increment();
  }

  SinkCounts snapshot() {
    Map<Signal, SinkCounts.PerSignal> signals = new EnumMap<>(Signal.class);
    counters.forEach(
        (s, c) ->
            signals.put(
                s,
                new SinkCounts.PerSignal(
                    c.requests.sum(),
                    c.items.sum(),
                    c.refused.sum(),
                    c.dropped.sum(),
                    c.invalid.sum())));
    return new SinkCounts(mode, signals);
  }

  private static final class Counters {
    final LongAdder requests = new LongAdder();
    final LongAdder items = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder invalid = new LongAdder();
  }
}
