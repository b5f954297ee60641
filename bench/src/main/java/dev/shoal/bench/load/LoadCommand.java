package dev.shoal.bench.load;

import dev.shoal.bench.BenchSystem;
import dev.shoal.bench.CommandLine;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;

/** {@code load}: sends spans to an OTLP endpoint for a while and reports the achieved rate. */
public final class LoadCommand {
  public static final String USAGE =
      String.join(
          "\n",
          "load --target URL [options]",
          "  Sends pre-encoded ExportTraceServiceRequests and reports acknowledged spans/s.",
          LoadSettings.OPTIONS_USAGE);

  private LoadCommand() {}

  public static void run(String[] args) throws InterruptedException {
    CommandLine options = CommandLine.parse(args, LoadSettings.OPTIONS);
    LoadSettings settings = LoadSettings.from(options, LoadSettings.defaults(null));
    RequestPool pool =
        RequestPool.build(
            settings.poolSize(), settings.spansPerRequest(), settings.spanBytes(), 42);
    System.out.printf(
        "load: %s for %s; %d distinct requests, %,d bytes each on average%n",
        settings.describe(), settings.duration(), pool.size(), pool.bytes() / pool.size());
    ActorSystem<Void> system = BenchSystem.create("shoal-load");
    try {
      LoadCounts total = LoadGenerator.runFor(settings, pool, system, System.out::println);
      System.out.println("load total: " + total.describe());
    } finally {
      BenchSystem.terminate(system, Duration.ofSeconds(10));
    }
  }
}
