package dev.shoal.bench.run;

import dev.shoal.bench.BenchSystem;
import dev.shoal.bench.CommandLine;
import dev.shoal.bench.scrape.ExpositionServer;
import dev.shoal.bench.sink.SinkBackend;
import dev.shoal.bench.sink.SinkMode;
import dev.shoal.pipeline.otlp.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * {@code scrape-load}: what a node spends to keep many series scraped. Serves {@code --targets}
 * synthetic exporters of {@code --series-per-target} series each from this process, starts the node
 * jar with one MetricPipeline scraping them all at {@code --interval} and exporting to a sink here,
 * and after a warm-up measures the node's CPU over whole intervals, its peak RSS, and its live heap
 * after a full GC ({@code jcmd}).
 */
public final class ScrapeLoadCommand {
  public static final String USAGE =
      String.join(
          "\n",
          "scrape-load --node-jar cluster-node/target/shoal-node.jar [--targets 10]",
          "    [--series-per-target 10000] [--interval 30s] [--intervals 4] [--warmup-intervals 2]",
          "    [--node-java-opts \"-Xmx1400m\"]",
          "  Scrapes targets*series active series with a node, and prints its CPU per interval,",
          "  peak RSS and live heap.");

  private static final Set<String> OPTIONS =
      Set.of(
          "node-jar",
          "targets",
          "series-per-target",
          "interval",
          "intervals",
          "warmup-intervals",
          "node-java-opts");
  private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  private ScrapeLoadCommand() {}

  public static void run(String[] args) throws Exception {
    CommandLine options = CommandLine.parse(args, OPTIONS);
    int targets = options.integer("targets", 10);
    int series = options.integer("series-per-target", 10_000);
    Duration interval = options.duration("interval", Duration.ofSeconds(30));
    int intervals = options.integer("intervals", 4);
    int warmup = options.integer("warmup-intervals", 2);
    // The deploy/ StatefulSet's heap: 70 % of its 2 GiB limit.
    String javaOptions = options.string("node-java-opts", "-Xmx1400m").trim();
    List<String> command =
        BenchmarkRunner.javaJar(
            Path.of(options.required("node-jar")), Arrays.asList(javaOptions.split("\\s+")));

    Path work = Files.createTempDirectory("shoal-scrape-bench-");
    ActorSystem<Void> system = BenchSystem.create("shoal-scrape-bench");
    try (ExpositionServer exporters = new ExpositionServer(targets, series);
        SinkBackend sink = SinkBackend.start(system, "127.0.0.1", 0, 0, SinkMode.OK)) {
      System.out.printf(
          Locale.ROOT,
          "targets: %d x %d series (%.1f MiB each), interval %d s%n",
          targets,
          series,
          exporters.bodyBytes() / 1048576.0,
          interval.toSeconds());
      Path pipelines = writePipeline(work, exporters.urls(), interval, sink.grpcPort());
      List<String> nodeCommand = new ArrayList<>(command);
      nodeCommand.addAll(
          List.of(
              "--pipelines", pipelines.toString(), "--data-dir", work.resolve("data").toString()));
      Map<String, String> env =
          Map.of(
              "SHOAL_OTLP_GRPC_PORT", String.valueOf(BenchmarkRunner.freePort()),
              "SHOAL_OTLP_HTTP_PORT", String.valueOf(BenchmarkRunner.freePort()),
              "SHOAL_CLUSTER_PORT", String.valueOf(BenchmarkRunner.freePort()),
              "SHOAL_MANAGEMENT_PORT", String.valueOf(BenchmarkRunner.freePort()),
              "SHOAL_BIND_ADDRESS", "127.0.0.1");
      try (NodeProcess node = NodeProcess.start(nodeCommand, env, work, work.resolve("node.log"))) {
        node.awaitReady(Duration.ofSeconds(90));
        System.out.println("node ready: pid " + node.pid() + ", log " + node.log());
        ProcessStats stats = new ProcessStats(node.pid(), ProcessStats.clockTicksPerSecond());
        pass(node, interval.multipliedBy(warmup), "warm-up, " + warmup + " intervals");
        long servedStart = exporters.served();
        long pointsStart = sink.counts().items(Signal.METRICS);
        double cpuStart = stats.cpuSeconds();
        ProcessStats.JvmThreadsCpu threadsStart = stats.jvmThreadsCpu();
        pass(node, interval.multipliedBy(intervals), "measuring, " + intervals + " intervals");
        double cpu = stats.cpuSeconds() - cpuStart;
        ProcessStats.JvmThreadsCpu threads = stats.jvmThreadsCpu().minus(threadsStart);
        long scrapes = exporters.served() - servedStart;
        long points = sink.counts().items(Signal.METRICS) - pointsStart;
        long peakRss = stats.peakRssBytes();
        String heap = liveHeap(node.pid());
        double seconds = interval.toMillis() * intervals / 1000.0;
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "| %d × %d series | %d s | %d | %d | %.1f | %.1f %% | %.1f / %.1f | %.0f | %s |%n",
            targets,
            series,
            interval.toSeconds(),
            scrapes,
            points,
            cpu / intervals,
            100 * cpu / seconds,
            threads.gcSeconds() / intervals,
            threads.jitSeconds() / intervals,
            peakRss / 1048576.0,
            heap);
        System.out.println(
            "(targets | interval | scrapes measured | data points delivered | node CPU s per"
                + " interval | of one core | GC / JIT CPU s per interval | peak RSS MiB | live heap"
                + " after full GC)");
      }
    } finally {
      BenchSystem.terminate(system, Duration.ofSeconds(10));
      BenchmarkRunner.deleteRecursively(work);
    }
  }

  private static Path writePipeline(Path work, List<String> urls, Duration interval, int sinkPort)
      throws IOException {
    Path dir = Files.createDirectories(work.resolve("pipelines"));
    StringBuilder yaml =
        new StringBuilder(
            String.join(
                "\n",
                "apiVersion: telemetry.shoal.dev/v1beta1",
                "kind: MetricPipeline",
                "metadata:",
                "  name: scraped",
                "spec:",
                "  input:",
                "    prometheus:",
                "      enabled: true",
                "      interval: " + interval.toSeconds() + "s",
                "      staticTargets:",
                ""));
    for (String url : urls) yaml.append("        - ").append(url).append('\n');
    yaml.append(
        String.join(
            "\n",
            "  output:",
            "    otlp:",
            "      protocol: grpc",
            "      endpoint:",
            "        value: http://127.0.0.1:" + sinkPort,
            ""));
    Files.writeString(dir.resolve("scraped.yaml"), yaml, StandardCharsets.UTF_8);
    return dir;
  }

  private static void pass(NodeProcess node, Duration time, String what)
      throws IOException, InterruptedException {
    System.out.println(what + " (" + time + ")");
    long deadline = System.nanoTime() + time.toNanos();
    while (System.nanoTime() < deadline) {
      node.checkAlive(what);
      TimeUnit.MILLISECONDS.sleep(Math.min(1000, (deadline - System.nanoTime()) / 1_000_000 + 1));
    }
  }

  /** The node's heap in use right after a full collection, by {@code jcmd}, as "N MiB". */
  private static String liveHeap(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) return "? (no jcmd in this JDK)";
    runJcmd(jcmd, pid, "GC.run");
    String info = runJcmd(jcmd, pid, "GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    return m.find()
        ? (Long.parseLong(m.group(2)) / 1024) + " MiB of " + (Long.parseLong(m.group(1)) / 1024)
        : "? (" + info.lines().findFirst().orElse("") + ")";
  }

  private static String runJcmd(Path jcmd, long pid, String what)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), what)
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "jcmd " + what + " timed out";
    }
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
