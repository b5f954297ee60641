package dev.shoal.bench.scrape;

import com.sun.net.httpserver.HttpServer;
import dev.shoal.pipeline.prometheus.ExpositionFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scrape targets for a benchmark: one loopback HTTP server serving {@code /t/<n>/metrics} for
 * {@code targets} targets, each the same synthetic exposition of {@code seriesPerTarget} series
 * (text 0.0.4). The targets' series differ by their {@code instance}, so the node holds {@code
 * targets × seriesPerTarget} series. Counts the scrapes it served.
 */
public final class ExpositionServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final int targets;
  private final byte[] body;
  private final AtomicLong served = new AtomicLong();

  public ExpositionServer(int targets, int seriesPerTarget) throws IOException {
    this.targets = targets;
    this.body =
        SyntheticExposition.build(seriesPerTarget, ExpositionFormat.TEXT_0_0_4)
            .getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext(
        "/t/",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
          served.incrementAndGet();
        });
    server.setExecutor(executor);
    server.start();
  }

  public List<String> urls() {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < targets; i++) {
      urls.add("http://127.0.0.1:" + server.getAddress().getPort() + "/t/" + i + "/metrics");
    }
    return urls;
  }

  public long bodyBytes() {
    return body.length;
  }

  public long served() {
    return served.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
