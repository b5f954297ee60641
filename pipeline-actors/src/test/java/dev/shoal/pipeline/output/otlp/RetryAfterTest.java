package dev.shoal.pipeline.output.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  private static Optional<Duration> parse(String header) {
    return RetryAfter.parse(Optional.ofNullable(header), NOW);
  }

  @Test
  void readsSeconds() {
    assertEquals(Optional.of(Duration.ofSeconds(1)), parse("1"));
    assertEquals(Optional.of(Duration.ofSeconds(120)), parse(" 120 "));
  }

  @Test
  void readsAnHttpDate() {
    assertEquals(Optional.of(Duration.ofSeconds(30)), parse("Mon, 23 Nov 2026 10:00:30 GMT"));
  }

  @Test
  void aDateInThePastMeansNow() {
    assertEquals(Optional.of(Duration.ZERO), parse("Mon, 23 Nov 2026 09:00:00 GMT"));
  }

  @Test
  void nothingOrNonsenseGivesNoDelay() {
    assertEquals(Optional.empty(), parse(null));
    assertEquals(Optional.empty(), parse(""));
    assertEquals(Optional.empty(), parse("soon"));
    assertEquals(Optional.empty(), parse("-5"));
    assertEquals(Optional.empty(), parse("99999999999999999999999"));
  }
}
