package dev.shoal.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shoal.bench.sink.SinkMode;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  @Test
  void readsOptionsInBothForms() {
    CommandLine options =
        CommandLine.parse(
            new String[] {"--rate", "10000", "--duration=90s", "--target", "grpc://h:1"},
            Set.of("rate", "duration", "target"));
    assertEquals(10000.0, options.number("rate", 0));
    assertEquals(Duration.ofSeconds(90), options.duration("duration", Duration.ZERO));
    assertEquals("grpc://h:1", options.required("target"));
    assertEquals(7, options.integer("connections", 7));
  }

  @Test
  void saysWhatIsWrong() {
    var unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> CommandLine.parse(new String[] {"--rte", "1"}, Set.of("rate")));
    assertEquals("unknown option --rte", unknown.getMessage());
    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> CommandLine.parse(new String[] {"--rate"}, Set.of("rate")));
    assertEquals("--rate needs a value", missing.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> CommandLine.parse(new String[] {"--rate", "fast"}, Set.of("rate")).number("rate", 0));
  }

  @Test
  void durations() {
    assertEquals(Duration.ofMillis(500), CommandLine.parseDuration("500ms"));
    assertEquals(Duration.ofSeconds(60), CommandLine.parseDuration("60s"));
    assertEquals(Duration.ofMinutes(2), CommandLine.parseDuration("2m"));
    assertEquals(Duration.ofSeconds(5), CommandLine.parseDuration("5"));
    assertThrows(IllegalArgumentException.class, () -> CommandLine.parseDuration("soon"));
  }

  @Test
  void sinkModesReadBackWhatTheyPrint() {
    for (String mode :
        new String[] {
          "ok", "fail-503", "throttle-429", "reject-400", "delay:250", "hang", "drop"
        }) {
      assertEquals(mode, SinkMode.parse(mode).toString());
    }
    assertThrows(IllegalArgumentException.class, () -> SinkMode.parse("delay:soon"));
    assertThrows(IllegalArgumentException.class, () -> SinkMode.parse("flaky"));
  }
}
