package dev.shoal.pipeline.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScrapePhaseTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);

  @Test
  void everyOwnerComputesTheSameInstants() {
    String id = "http://10.0.0.7:9100/metrics";
    long first = ScrapePhase.nextMillis(id, INTERVAL, 1_700_000_000_123L);
    // An owner that starts later, at any moment, lands on the same grid.
    for (long later = 1_700_000_000_123L; later < 1_700_000_100_000L; later += 7_919) {
      long next = ScrapePhase.nextMillis(id, INTERVAL, later);
      assertTrue(next > later && next - later <= INTERVAL.toMillis());
      assertEquals(0, Math.floorMod(next - first, INTERVAL.toMillis()));
    }
  }

  @Test
  void anInstantIsNeverRepeated() {
    String id = "t";
    long phase = ScrapePhase.phaseMillis(id, INTERVAL);
    long instant = 1_700_000_010_000L - Math.floorMod(1_700_000_010_000L, 30_000) + phase;
    assertEquals(instant + 30_000, ScrapePhase.nextMillis(id, INTERVAL, instant));
  }

  @Test
  void phasesSpreadOverTheInterval() {
    Set<Long> tenths = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      tenths.add(ScrapePhase.phaseMillis("http://host-" + i + ":9100/metrics", INTERVAL) / 3_000);
    }
    assertEquals(10, tenths.size(), "every tenth of the interval gets targets");
  }

  @Test
  void theHashIsFixed() {
    // Part of the contract between members of different versions: must never change.
    assertEquals(ScrapePhase.hash("x"), ScrapePhase.hash(new String("x")));
    assertEquals(0x2d711642b726b044L, ScrapePhase.hash("x"));
  }
}
