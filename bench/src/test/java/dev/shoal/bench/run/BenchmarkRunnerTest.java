package dev.shoal.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A whole run against {@link RelayNode}, a stand-in that relays to the sink: the runner starts it,
 * waits for it, loads it, measures it and checks that what it acknowledged reached the sink.
 */
class BenchmarkRunnerTest {

  @Test
  void measuresARelayingNodeEndToEnd() throws Exception {
    List<String> node =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m",
            "-cp",
            System.getProperty("java.class.path"),
            RelayNode.class.getName());
    var load = Scenario.TESTBED.load(URI.create("grpc://127.0.0.1:4317")).withRate(2_000);
    var settings =
        new BenchmarkRunner.Settings(
            node, "relay", Scenario.TESTBED, load, Duration.ofSeconds(2), Duration.ofSeconds(3));
    List<String> progress = new ArrayList<>();
    BenchmarkResult result = new BenchmarkRunner(settings, progress::add).run();
    System.out.println(result.summary() + "\n" + result.markdownRow());

    assertEquals(3.0, result.seconds(), 0.5, result.summary());
    assertEquals(2_000, result.acceptedRate(), 400, result.summary());
    assertEquals(2_000, result.sinkRate(), 400, result.summary());
    assertEquals(result.acknowledgedTotal(), result.deliveredTotal(), result.summary());
    assertEquals(0, result.refusedSpans() + result.failedSpans(), result.summary());
    assertTrue(result.nodeCpuSeconds() > 0, result.summary());
    assertTrue(result.nodePeakRssBytes() > 10L * 1024 * 1024, result.summary());
    String row = result.markdownRow();
    assertTrue(row.startsWith("| 20") && row.contains("| testbed |"), row);
    assertEquals(
        BenchmarkResult.markdownHeader().lines().findFirst().orElseThrow().split("\\|").length,
        row.split("\\|").length,
        row);
    assertTrue(progress.stream().anyMatch(p -> p.startsWith("node ready")), progress.toString());
  }
}
