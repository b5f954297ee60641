package dev.shoal.bench.sink;

import dev.shoal.bench.BenchSystem;
import dev.shoal.bench.CommandLine;
import dev.shoal.pipeline.otlp.Signal;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.pekko.actor.typed.ActorSystem;

/** {@code sink}: runs the sink backend until Ctrl-C, printing what it accepted now and then. */
public final class SinkCommand {
  public static final String USAGE =
      String.join(
          "\n",
          "sink --grpc-port P --http-port Q [--mode MODE] [--droppable false] [--report-every 5s]",
          "     [--bind 127.0.0.1]",
          "  An OTLP backend that counts what it accepts (GET /counts on the HTTP port) and",
          "  answers according to MODE: " + SinkMode.CHOICES + ".",
          "  Change the mode while it runs: curl -X POST 'http://127.0.0.1:Q/mode?m=fail-503'",
          "  Mode drop (cut the connection, no answer) needs --droppable true, which relays",
          "  every connection at some CPU cost; --mode drop implies it.");

  private static final Set<String> OPTIONS =
      Set.of("grpc-port", "http-port", "mode", "droppable", "report-every", "bind");

  private SinkCommand() {}

  public static void run(String[] args) throws InterruptedException {
    CommandLine options = CommandLine.parse(args, OPTIONS);
    int grpcPort = options.integer("grpc-port", 4317);
    int httpPort = options.integer("http-port", 4318);
    SinkMode mode = SinkMode.parse(options.string("mode", "ok"));
    boolean droppable =
        switch (options.string("droppable", "false")) {
          case "true" -> true;
          case "false" -> mode.kind() == SinkMode.Kind.DROP;
          default -> throw new IllegalArgumentException("--droppable takes true or false");
        };
    Duration every = options.duration("report-every", Duration.ofSeconds(5));
    String bind = options.string("bind", "127.0.0.1");

    ActorSystem<Void> system = BenchSystem.create("shoal-sink");
    SinkBackend sink;
    try {
      sink =
          SinkBackend.start(
              system,
              bind,
              grpcPort,
              httpPort,
              mode,
              droppable ? SinkBackend.Connections.DROPPABLE : SinkBackend.Connections.DIRECT);
    } catch (RuntimeException e) {
      BenchSystem.terminate(system, Duration.ofSeconds(10));
      throw e;
    }
    System.out.printf(
        "sink: OTLP/gRPC on %s, OTLP/HTTP on %s (counts: GET %s/counts), mode %s%s%n",
        sink.grpcEndpoint(),
        sink.httpEndpoint(),
        sink.httpEndpoint(),
        sink.mode(),
        droppable ? ", connections relayed (droppable)" : "");

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "sink-stop"));
    SinkCounts previous = sink.counts();
    long previousNanos = System.nanoTime();
    while (!stopped.await(every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      SinkCounts now = sink.counts();
      long nowNanos = System.nanoTime();
      System.out.println(report(previous, now, (nowNanos - previousNanos) / 1e9));
      previous = now;
      previousNanos = nowNanos;
    }
  }

  static String report(SinkCounts before, SinkCounts after, double seconds) {
    StringBuilder line = new StringBuilder("sink [" + after.mode() + "]");
    for (Signal s : Signal.values()) {
      SinkCounts.PerSignal a = after.of(s);
      SinkCounts.PerSignal b = before.of(s);
      line.append(
          String.format(
              " | %s: %,.0f %s/s (%,.1f req/s), total %,d, refused %,d, dropped %,d, invalid %,d",
              s.id(),
              (a.items() - b.items()) / seconds,
              s.itemName(),
              (a.requests() - b.requests()) / seconds,
              a.items(),
              a.refused(),
              a.dropped(),
              a.invalid()));
    }
    return line.toString();
  }
}
