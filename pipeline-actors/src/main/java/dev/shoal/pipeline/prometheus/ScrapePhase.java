package dev.shoal.pipeline.prometheus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * When a target is scraped: at the instants {@code phase + k × interval} of the wall clock (Unix
 * time), where the phase is a hash of the target's id modulo the interval. Every member computes
 * the same instants for a target, so when the target moves, its new owner scrapes where the old one
 * would have: no instant twice, no gap longer than one interval plus the hand-over. The hash
 * spreads a member's targets over the interval instead of scraping them all at once.
 */
public final class ScrapePhase {
  private ScrapePhase() {}

  /** The target's offset within each interval, in milliseconds. */
  public static long phaseMillis(String targetId, Duration interval) {
    return Math.floorMod(hash(targetId), interval.toMillis());
  }

  /** The first scrape instant strictly after {@code nowMillis}. */
  public static long nextMillis(String targetId, Duration interval, long nowMillis) {
    long period = interval.toMillis();
    long phase = phaseMillis(targetId, interval);
    long k = Math.floorDiv(nowMillis - phase, period) + 1;
    return k * period + phase;
  }

  /** A hash that is the same on every JVM and version: the first 8 bytes of the id's SHA-256. */
  static long hash(String id) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      long h = 0;
      for (int i = 0; i < 8; i++) h = (h << 8) | (d[i] & 0xff);
      return h;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
