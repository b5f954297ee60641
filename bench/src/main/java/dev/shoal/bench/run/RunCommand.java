package dev.shoal.bench.run;

import dev.shoal.bench.CommandLine;
import dev.shoal.bench.load.LoadSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code run}: benchmarks the node jar in one scenario and prints a row for docs/BENCHMARKS.md. */
public final class RunCommand {
  public static final String USAGE =
      String.join(
          "\n",
          "run --node-jar cluster-node/target/shoal-node.jar [--scenario testbed|max]",
          "    [--duration 60s] [--warmup 15s] [--node-java-opts \"-Xmx1g\"] [load overrides]",
          "  Starts a sink here, the node as a separate process exporting traces to it, sends",
          "  load to the node, and measures what it accepts and delivers, its CPU and memory.",
          "  Scenarios: testbed = " + Scenario.TESTBED.description() + ";",
          "             max = " + Scenario.MAX.description() + ".",
          "  Load overrides: --rate, --connections, --in-flight, --spans-per-request,",
          "  --span-bytes, --pool, --timeout, --report-every (see load).");

  private static final Set<String> OPTIONS = options();

  private RunCommand() {}

  private static Set<String> options() {
    Set<String> options =
        new HashSet<>(Set.of("node-jar", "scenario", "duration", "warmup", "node-java-opts"));
    options.addAll(LoadSettings.OPTIONS);
    options.remove("target");
    return Set.copyOf(options);
  }

  public static void run(String[] args) throws Exception {
    CommandLine options = CommandLine.parse(args, OPTIONS);
    Scenario scenario = Scenario.parse(options.string("scenario", "testbed"));
    Duration duration = options.duration("duration", Duration.ofSeconds(60));
    // The target is the node's port, known once it runs; the runner decides when to stop.
    LoadSettings load =
        LoadSettings.from(
            options, scenario.load(URI.create("grpc://127.0.0.1:4317")).withDuration(duration));
    String javaOptions = options.string("node-java-opts", "").trim();
    List<String> nodeCommand =
        BenchmarkRunner.javaJar(
            Path.of(options.required("node-jar")),
            javaOptions.isEmpty() ? List.of() : Arrays.asList(javaOptions.split("\\s+")));
    BenchmarkRunner.Settings settings =
        new BenchmarkRunner.Settings(
            nodeCommand,
            javaOptions.isEmpty() ? "" : "node JVM " + javaOptions,
            scenario,
            load,
            options.duration("warmup", Duration.ofSeconds(15)),
            duration);
    BenchmarkResult result = new BenchmarkRunner(settings, System.out::println).run();
    System.out.println();
    System.out.println(result.summary());
    System.out.println();
    System.out.println("Row for docs/BENCHMARKS.md:");
    System.out.println(BenchmarkResult.markdownHeader());
    System.out.println(result.markdownRow());
  }
}
