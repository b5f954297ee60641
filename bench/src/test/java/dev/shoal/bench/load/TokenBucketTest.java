package dev.shoal.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long MS = 1_000_000L;

  @Test
  void tokensFollowTheClockNotTheCalls() {
    TokenBucket bucket = new TokenBucket(1000, 500, 0);
    assertFalse(bucket.tryTake(100, 0));
    assertFalse(bucket.tryTake(100, 99 * MS));
    assertTrue(bucket.tryTake(100, 100 * MS));
    assertFalse(bucket.tryTake(100, 100 * MS));
    // One late call gets what the whole interval earned.
    assertTrue(bucket.tryTake(300, 400 * MS));
  }

  @Test
  void aStallIsNotFollowedByAnUnboundedBurst() {
    TokenBucket bucket = new TokenBucket(1000, 200, 0);
    long now = 10_000 * MS; // 10 s later: 10,000 tokens earned, 200 kept
    assertTrue(bucket.tryTake(100, now));
    assertTrue(bucket.tryTake(100, now));
    assertFalse(bucket.tryTake(100, now));
  }

  @Test
  void overALongRunTheRateIsExact() {
    TokenBucket bucket = new TokenBucket(10_000, 200, 0);
    long taken = 0;
    // A sender that wakes every 5 ms, sometimes late, for 10 s.
    for (long t = 0; t <= 10_000 * MS; t += (t / MS) % 7 == 0 ? 9 * MS : 5 * MS) {
      while (bucket.tryTake(100, t)) taken += 100;
    }
    assertEquals(100_000, taken, 200);
  }
}
