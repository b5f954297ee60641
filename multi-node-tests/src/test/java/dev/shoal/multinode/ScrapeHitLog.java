package dev.shoal.multinode;

import com.sun.net.httpserver.HttpServer;
import dev.shoal.pipeline.prometheus.ScrapePhase;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Scrape targets in the test's JVM: one loopback HTTP server serving {@code /t/<n>/metrics} for
 * {@code count} targets, and logging every hit (which target, when, which member: the scrape's
 * {@code User-Agent} names it). From the log it tells, per target, which instant of the target's
 * grid ({@link ScrapePhase}) each hit served: two hits on one instant are a double scrape, a
 * skipped instant is a gap.
 */
final class ScrapeHitLog implements AutoCloseable {
  /** One request: its target's number, when it arrived, and the scraping member's User-Agent. */
  record Hit(int target, long millis, String userAgent) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final int count;
  private final Duration interval;
  private final List<Hit> hits = new CopyOnWriteArrayList<>();

  ScrapeHitLog(int count, Duration interval) throws IOException {
    this.count = count;
    this.interval = interval;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext(
        "/t/",
        exchange -> {
          String[] parts = exchange.getRequestURI().getPath().split("/");
          int n = Integer.parseInt(parts[2]);
          hits.add(
              new Hit(
                  n,
                  System.currentTimeMillis(),
                  String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent"))));
          byte[] body =
              ("# TYPE target_up gauge\ntarget_up{n=\"" + n + "\"} 1\n")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(executor);
    server.start();
  }

  int count() {
    return count;
  }

  String url(int target) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/t/" + target + "/metrics";
  }

  List<String> urls() {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < count; i++) urls.add(url(i));
    return urls;
  }

  /** The hits of {@code target} from {@code sinceMillis} on, in order of arrival. */
  List<Hit> hits(int target, long sinceMillis) {
    return hits.stream().filter(h -> h.target() == target && h.millis() >= sinceMillis).toList();
  }

  /** Whether every target was hit at least {@code times} times since {@code sinceMillis}. */
  boolean allHit(long sinceMillis, int times) {
    for (int i = 0; i < count; i++) if (hits(i, sinceMillis).size() < times) return false;
    return true;
  }

  /** The last hit of {@code target}, or null. */
  Hit last(int target) {
    List<Hit> all = hits(target, 0);
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /**
   * The grid instant a hit served: the last instant of the target's grid at or before its arrival
   * (a scrape goes out right at its instant; a loaded machine delays it by far less than one
   * interval).
   */
  long instantOf(Hit hit) {
    long phase = ScrapePhase.phaseMillis(url(hit.target()), interval);
    long k = Math.floorDiv(hit.millis() - phase, interval.toMillis());
    return phase + k * interval.toMillis();
  }

  /**
   * What went wrong for {@code target} between {@code fromMillis} and {@code toMillis}: instants
   * served twice and instants skipped between two served ones, as readable lines (empty: none).
   */
  List<String> problems(int target, long fromMillis, long toMillis) {
    List<String> problems = new ArrayList<>();
    Map<Long, List<Hit>> byInstant = new TreeMap<>();
    for (Hit h : hits(target, fromMillis)) {
      if (h.millis() <= toMillis)
        byInstant.computeIfAbsent(instantOf(h), i -> new ArrayList<>()).add(h);
    }
    Long previous = null;
    for (Map.Entry<Long, List<Hit>> e : byInstant.entrySet()) {
      if (e.getValue().size() > 1) {
        problems.add(
            "target " + target + ": instant " + e.getKey() + " scraped twice: " + e.getValue());
      }
      if (previous != null && e.getKey() - previous > interval.toMillis()) {
        problems.add(
            "target "
                + target
                + ": "
                + ((e.getKey() - previous) / interval.toMillis() - 1)
                + " instant(s) skipped between "
                + previous
                + " and "
                + e.getKey()
                + " (next hit "
                + e.getValue()
                + ")");
      }
      previous = e.getKey();
    }
    return problems;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
