package dev.shoal.bench.run;

import dev.shoal.bench.BenchSystem;
import dev.shoal.bench.load.LoadCounts;
import dev.shoal.bench.load.LoadGenerator;
import dev.shoal.bench.load.LoadSettings;
import dev.shoal.bench.load.RequestPool;
import dev.shoal.bench.sink.SinkBackend;
import dev.shoal.bench.sink.SinkCounts;
import dev.shoal.bench.sink.SinkMode;
import dev.shoal.pipeline.otlp.Signal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * One benchmark: a sink in this process, the node jar as a separate process exporting to it, and
 * the load generator in this process sending to the node. After a warm-up it measures, over a
 * window, what the node acknowledged, what reached the sink, and the node's CPU time and peak
 * memory from {@code /proc}.
 */
public final class BenchmarkRunner {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SAMPLE = Duration.ofSeconds(1);
  private static final int INTERVAL_SAMPLES = 5;

  /**
   * @param nodeCommand how to start the node, without its options: {@link #javaJar}
   * @param nodeNotes how the node was started, for the results table (JVM options)
   * @param scenario what load to put on it
   * @param load the scenario's load, with any command-line overrides (its target is replaced)
   * @param warmup how long the load runs before measuring
   * @param duration the measurement window
   */
  public record Settings(
      List<String> nodeCommand,
      String nodeNotes,
      Scenario scenario,
      LoadSettings load,
      Duration warmup,
      Duration duration) {}

  /** {@code java [javaOptions] -jar JAR}, with the java running this process. */
  public static List<String> javaJar(Path jar, List<String> javaOptions) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          "no node jar at " + jar + ": build it with `mvn -B -q -DskipTests package`");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    return command;
  }

  private final Settings settings;
  private final Consumer<String> progress;

  public BenchmarkRunner(Settings settings, Consumer<String> progress) {
    this.settings = settings;
    this.progress = progress;
  }

  public BenchmarkResult run() throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("shoal-bench-");
    ActorSystem<Void> system = BenchSystem.create("shoal-bench");
    boolean succeeded = false;
    try (SinkBackend sink = SinkBackend.start(system, "127.0.0.1", 0, 0, SinkMode.OK)) {
      progress.accept(
          "sink: OTLP/gRPC on " + sink.grpcEndpoint() + ", HTTP on " + sink.httpEndpoint());
      Path pipelines = work.resolve("pipelines");
      PipelineFolder.write(pipelines, sink.grpcPort());
      int grpcPort = freePort();
      try (NodeProcess node = startNode(work, pipelines, grpcPort)) {
        progress.accept("node: pid " + node.pid() + ", log " + node.log());
        node.awaitReady(READY_TIMEOUT);
        progress.accept("node ready: OTLP/gRPC on 127.0.0.1:" + grpcPort);
        BenchmarkResult result = measure(sink, node, grpcPort, system);
        succeeded = true;
        return result;
      }
    } finally {
      BenchSystem.terminate(system, Duration.ofSeconds(10));
      if (succeeded) deleteRecursively(work);
      else progress.accept("kept the run's files for a look: " + work);
    }
  }

  private NodeProcess startNode(Path work, Path pipelines, int grpcPort) throws IOException {
    List<String> command = new ArrayList<>(settings.nodeCommand());
    command.addAll(
        List.of(
            "--pipelines", pipelines.toString(), "--data-dir", work.resolve("data").toString()));
    Map<String, String> env =
        Map.of(
            "SHOAL_OTLP_GRPC_PORT", String.valueOf(grpcPort),
            "SHOAL_OTLP_HTTP_PORT", String.valueOf(freePort()),
            "SHOAL_CLUSTER_PORT", String.valueOf(freePort()),
            "SHOAL_BIND_ADDRESS", "127.0.0.1");
    return NodeProcess.start(command, env, work, work.resolve("node.log"));
  }

  private BenchmarkResult measure(
      SinkBackend sink, NodeProcess node, int grpcPort, ActorSystem<?> system)
      throws IOException, InterruptedException {
    LoadSettings load = settings.load().withTarget(URI.create("grpc://127.0.0.1:" + grpcPort));
    RequestPool pool =
        RequestPool.build(load.poolSize(), load.spansPerRequest(), load.spanBytes(), 42);
    long ticks = ProcessStats.clockTicksPerSecond();
    ProcessStats nodeStats = new ProcessStats(node.pid(), ticks);
    ProcessStats benchStats = new ProcessStats(ProcessHandle.current().pid(), ticks);

    progress.accept("load: " + load.describe() + "; warm-up " + settings.warmup());
    LoadGenerator generator = LoadGenerator.start(load, pool, system, progress);
    LoadCounts loadStart;
    LoadCounts loadEnd;
    SinkCounts sinkStart;
    SinkCounts sinkEnd;
    double nodeCpuStart;
    double nodeCpuEnd;
    ProcessStats.JvmThreadsCpu nodeThreadsStart;
    ProcessStats.JvmThreadsCpu nodeThreadsEnd;
    double benchCpuStart;
    double benchCpuEnd;
    long peakRss;
    double best = 0;
    try {
      watch(node, settings.warmup());
      progress.accept("measuring for " + settings.duration());
      loadStart = generator.counts();
      sinkStart = sink.counts();
      nodeCpuStart = nodeStats.cpuSeconds();
      nodeThreadsStart = nodeStats.jvmThreadsCpu();
      benchCpuStart = benchStats.cpuSeconds();

      long samples = Math.max(1, settings.duration().toMillis() / SAMPLE.toMillis());
      LoadCounts intervalStart = loadStart;
      for (long i = 1; i <= samples; i++) {
        watch(node, SAMPLE);
        if (i % INTERVAL_SAMPLES == 0 || i == samples) {
          LoadCounts now = generator.counts();
          best = Math.max(best, now.since(intervalStart).acknowledgedRate());
          intervalStart = now;
        }
      }
      loadEnd = generator.counts();
      sinkEnd = sink.counts();
      nodeCpuEnd = nodeStats.cpuSeconds();
      nodeThreadsEnd = nodeStats.jvmThreadsCpu();
      benchCpuEnd = benchStats.cpuSeconds();
      peakRss = nodeStats.peakRssBytes();
    } finally {
      generator.stop(load.timeout().plusSeconds(1));
    }
    LoadCounts total = generator.counts();
    long delivered = awaitDelivery(sink, node, total.acknowledgedSpans());
    peakRss = Math.max(peakRss, nodeStats.peakRssBytes());

    LoadCounts window = loadEnd.since(loadStart);
    double seconds = window.seconds();
    return new BenchmarkResult(
        settings.scenario(),
        load.describe(),
        seconds,
        window.sentSpans() / seconds,
        window.acknowledgedSpans() / seconds,
        (sinkEnd.items(Signal.TRACES) - sinkStart.items(Signal.TRACES)) / seconds,
        best,
        nodeCpuEnd - nodeCpuStart,
        nodeThreadsEnd.minus(nodeThreadsStart).jitSeconds(),
        nodeThreadsEnd.minus(nodeThreadsStart).gcSeconds(),
        peakRss,
        window.refusedSpans(),
        window.failedSpans(),
        total.acknowledgedSpans(),
        delivered,
        100 * (benchCpuEnd - benchCpuStart) / seconds,
        settings.nodeNotes(),
        machine());
  }

  /** Lets {@code time} pass, failing at once if the node exits meanwhile. */
  private static void watch(NodeProcess node, Duration time)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + time.toNanos();
    for (long left = time.toMillis(); left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
      node.checkAlive("while under load");
      TimeUnit.MILLISECONDS.sleep(Math.min(left, 200));
    }
  }

  /** Waits until the sink holds every acknowledged span, or the drain timeout passed. */
  private long awaitDelivery(SinkBackend sink, NodeProcess node, long acknowledged)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    long delivered = sink.counts().items(Signal.TRACES);
    while (delivered < acknowledged && System.nanoTime() < deadline) {
      node.checkAlive("while draining");
      TimeUnit.MILLISECONDS.sleep(200);
      delivered = sink.counts().items(Signal.TRACES);
    }
    return delivered;
  }

  private static String machine() {
    String model = "";
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      model =
          lines
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .findFirst()
              .orElse("");
    } catch (IOException | UncheckedIOException e) {
      // the core count alone then
    }
    int cores = Runtime.getRuntime().availableProcessors();
    return cores
        + " cores"
        + (model.isEmpty() ? "" : ", " + model)
        + ", Java "
        + System.getProperty("java.version");
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
