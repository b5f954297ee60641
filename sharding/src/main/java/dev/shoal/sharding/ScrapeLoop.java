package dev.shoal.sharding;

import dev.shoal.pipeline.prometheus.ScrapeClients;
import dev.shoal.pipeline.prometheus.ScrapeDelivery;
import dev.shoal.pipeline.prometheus.ScrapePhase;
import dev.shoal.pipeline.prometheus.ScrapeResult;
import dev.shoal.pipeline.prometheus.ScrapeTarget;
import dev.shoal.pipeline.prometheus.TargetScraper;
import dev.shoal.pipeline.stream.Admission;
import dev.shoal.sharding.ScrapeTargetEntity.TargetStatus;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * The scraping state of one {@link ScrapeTargetEntity}: the target's scraper (with the converter's
 * memory of its series), whether a scrape is in flight, and what the last scrapes did. Owned by the
 * entity's actor; lives as long as the entity does on this member.
 */
final class ScrapeLoop {
  private final ScrapeClients clients;
  private final ScrapeDelivery delivery;
  private final Logger log;
  private final String member;
  private TargetScraper scraper;
  private boolean inFlight;
  private long scrapes;
  private long failures;
  private long skipped;
  private Instant lastScrape;
  private String lastFailure;
  private int lastSamples;
  private Admission lastAdmission = Admission.ACCEPTED;
  private boolean removing;
  private long handOffAfterMillis = -1;

  ScrapeLoop(ScrapeClients clients, ScrapeDelivery delivery, Logger log, String member) {
    this.clients = clients;
    this.delivery = delivery;
    this.log = log;
    this.member = member;
  }

  ScrapeTarget target() {
    return scraper == null ? null : scraper.target();
  }

  boolean inFlight() {
    return inFlight;
  }

  /** The target left the desired set: the coming stop is final, with no last scrape. */
  void removing() {
    removing = true;
  }

  boolean isRemoving() {
    return removing;
  }

  /**
   * The target moves to another member once the scrape of {@code lastInstantMillis} (or the one in
   * flight, when it is {@code 0}) has finished.
   */
  void handOffAfter(long lastInstantMillis) {
    handOffAfterMillis = lastInstantMillis;
  }

  boolean handingOff() {
    return handOffAfterMillis >= 0;
  }

  /** Whether the scrape of {@code instantMillis} was the last one before the hand-over. */
  boolean lastBeforeHandOff(long instantMillis) {
    return handingOff() && instantMillis >= handOffAfterMillis;
  }

  /** Takes a new or changed target; a changed one starts with an empty series memory. */
  boolean configure(ScrapeTarget target) {
    if (scraper != null && scraper.target().equals(target)) return false;
    scraper = new TargetScraper(target, clients);
    return true;
  }

  /** The next scrape instant after {@code nowMillis}, on the target's grid. */
  long nextInstant(long nowMillis) {
    ScrapeTarget t = scraper.target();
    return ScrapePhase.nextMillis(t.id(), t.interval(), nowMillis);
  }

  /**
   * Starts the scrape of {@code instantMillis}, or returns null when the previous one is still
   * running (its timeout is at most the interval, so this only happens under overload).
   */
  java.util.concurrent.CompletionStage<ScrapeResult> start(long instantMillis) {
    if (inFlight) {
      skipped++;
      log.warn(
          "scrape target {}: the previous scrape is still running; skipping {}",
          scraper.target().id(),
          Instant.ofEpochMilli(instantMillis));
      return null;
    }
    inFlight = true;
    return scraper.scrape(instantMillis * 1_000_000L);
  }

  /** A scrape ended: hands its result to the member's pipelines and records how it went. */
  void finished(ScrapeResult result, long instantMillis) {
    inFlight = false;
    ScrapeTarget target = scraper.target();
    scrapes++;
    lastScrape = Instant.ofEpochMilli(instantMillis);
    lastSamples = result.samples();
    String previousFailure = lastFailure;
    lastFailure = result.failure();
    if (result.failure() != null) {
      failures++;
      if (previousFailure == null) {
        log.warn("scrape target {}: scrape failed: {}", target.id(), result.failure());
      } else {
        log.debug("scrape target {}: scrape failed: {}", target.id(), result.failure());
      }
    } else if (previousFailure != null) {
      log.info("scrape target {}: scrapes succeed again", target.id());
    }
    if (result.duplicates() > 0 || result.invalid() > 0) {
      log.debug(
          "scrape target {}: left out {} duplicate samples and {} contradictory series",
          target.id(),
          result.duplicates(),
          result.invalid());
    }
    lastAdmission = delivery.deliver(target, result);
    if (lastAdmission != Admission.ACCEPTED) {
      log.warn(
          "scrape target {}: pipelines {} took none of the scrape ({})",
          target.id(),
          target.pipelines(),
          lastAdmission);
    }
  }

  TargetStatus status(String id) {
    ScrapeTarget t = target();
    return new TargetStatus(
        id,
        t == null ? null : t.url(),
        member,
        t != null,
        lastScrape,
        lastFailure,
        lastSamples,
        scrapes,
        failures,
        skipped,
        lastAdmission.name());
  }
}
