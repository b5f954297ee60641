package dev.shoal.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.output.DebugOutputSettings;
import dev.shoal.pipeline.prometheus.ScrapeTarget;
import dev.shoal.pipeline.stream.BatchStage.BatchSettings;
import dev.shoal.pipeline.stream.InputSelector;
import dev.shoal.pipeline.stream.Overflow;
import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.pipeline.stream.PrometheusInput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The static targets of the pipelines become one scrape target per URL. */
class StaticTargetsTest {

  private static PipelineSettings pipeline(String name, PrometheusInput prometheus) {
    return new PipelineSettings(
        name,
        Signal.METRICS,
        1 << 20,
        new BatchSettings(10, 1 << 20, Duration.ofMillis(100)),
        1,
        Overflow.DROP,
        new InputSelector(true, Set.of(), Set.of(), prometheus),
        new DebugOutputSettings(Path.of("/tmp/x"), name, 1 << 20, 1, Duration.ZERO));
  }

  @Test
  void oneTargetPerUrlForEveryPipelineThatNamesItAtTheShortestInterval() {
    String a = "http://127.0.0.1:9100/metrics";
    String b = "http://127.0.0.1:9091/metrics";
    List<ScrapeTarget> targets =
        ScrapeTargets.staticTargets(
            List.of(
                pipeline(
                    "slow", new PrometheusInput(true, false, Duration.ofSeconds(60), List.of(a))),
                pipeline(
                    "fast", new PrometheusInput(true, true, Duration.ofSeconds(15), List.of(a, b))),
                pipeline(
                    "off", new PrometheusInput(false, false, Duration.ofSeconds(5), List.of(a))),
                pipeline("otlp", PrometheusInput.DISABLED)));
    assertEquals(2, targets.size());
    ScrapeTarget first = targets.stream().filter(t -> t.url().equals(a)).findFirst().orElseThrow();
    assertEquals(Set.of("slow", "fast"), first.pipelines());
    assertEquals(Duration.ofSeconds(15), first.interval());
    assertEquals(a, first.id(), "a static target's id is its URL");
    assertEquals(Duration.ofSeconds(10), first.timeout());
    ScrapeTarget second = targets.stream().filter(t -> t.url().equals(b)).findFirst().orElseThrow();
    assertEquals(Set.of("fast"), second.pipelines());
  }
}
