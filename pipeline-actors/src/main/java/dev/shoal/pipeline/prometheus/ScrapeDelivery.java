package dev.shoal.pipeline.prometheus;

import dev.shoal.pipeline.route.SignalRouter;
import dev.shoal.pipeline.stream.Admission;

/** Where a member's scrapes go: into its own metric pipelines. */
@FunctionalInterface
public interface ScrapeDelivery {

  /** Hands over a scrape's series and diagnostics; answers whether the pipelines took them. */
  Admission deliver(ScrapeTarget target, ScrapeResult result);

  /**
   * Into the pipelines {@code target.pipelines()} names that take scraped series, through the
   * member's router; {@code up} and {@code scrape_*} only into those that keep diagnostics.
   */
  static ScrapeDelivery to(SignalRouter router) {
    // The scrape loop does not wait for a durable queue's write: such a pipeline answers later,
    // and counts its own losses; the loop sees it as taken.
    return (target, result) -> {
      Admission series = Admission.ACCEPTED;
      if (result.series().items() > 0) {
        series =
            router
                .offerScraped(result.series(), target.pipelines(), false)
                .toCompletableFuture()
                .getNow(Admission.ACCEPTED);
      }
      router.offerScraped(result.diagnostics(), target.pipelines(), true);
      return series;
    };
  }
}
