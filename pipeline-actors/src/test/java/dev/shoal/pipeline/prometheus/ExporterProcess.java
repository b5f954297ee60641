package dev.shoal.pipeline.prometheus;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus exporter from Debian (installed by {@code .ci/run}), started on a free loopback
 * port and stopped by {@link #close()}. Fails with the install command when the binary is missing.
 */
final class ExporterProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private ExporterProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts {@code binary} with {@code --web.listen-address=127.0.0.1:<port>} and the arguments. */
  static ExporterProcess start(String binary, String... args) throws Exception {
    Path path = Path.of("/usr/bin", binary);
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(
          path
              + " is missing; install the exporters with `bash .ci/run` or `apt-get install -y"
              + " prometheus-node-exporter prometheus-pushgateway prometheus`");
    }
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(path.toString());
    command.add("--web.listen-address=127.0.0.1:" + port);
    command.addAll(List.of(args));
    Path log = Files.createTempFile(binary, ".log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ExporterProcess exporter = new ExporterProcess(p, port, log);
    exporter.awaitMetrics(Duration.ofSeconds(30));
    return exporter;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private void awaitMetrics(Duration within) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("exporter exited: " + Files.readString(log));
      }
      try {
        HttpResponse<Void> r =
            client.send(
                HttpRequest.newBuilder(uri("/metrics")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    close();
    throw new IllegalStateException("exporter did not serve /metrics within " + within);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
