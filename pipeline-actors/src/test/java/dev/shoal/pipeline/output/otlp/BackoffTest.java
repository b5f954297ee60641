package dev.shoal.pipeline.output.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration INITIAL = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofMillis(300);

  @Test
  void withoutJitterEachWaitIsOneAndAHalfTimesTheLastUpToTheMax() {
    Backoff backoff = new Backoff(INITIAL, MAX, () -> 0.5);

    assertEquals(Duration.ofMillis(100), backoff.delay(0));
    assertEquals(Duration.ofMillis(150), backoff.delay(1));
    assertEquals(Duration.ofMillis(225), backoff.delay(2));
    assertEquals(Duration.ofMillis(300), backoff.delay(3));
    assertEquals(Duration.ofMillis(300), backoff.delay(10_000));
  }

  @Test
  void jitterSpreadsWaitsByHalfEitherWayButNeverBeyondTheMax() {
    Backoff lowest = new Backoff(INITIAL, MAX, () -> 0.0);
    Backoff highest = new Backoff(INITIAL, MAX, () -> 0.999_999);

    assertEquals(Duration.ofMillis(50), lowest.delay(0));
    assertEquals(149, highest.delay(0).toMillis());
    assertEquals(Duration.ofMillis(150), lowest.delay(3));
    assertEquals(Duration.ofMillis(300), highest.delay(3));
  }

  @Test
  void refusesIntervalsThatMakeNoSense() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, MAX));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(MAX, INITIAL));
  }
}
