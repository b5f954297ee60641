package dev.shoal.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node started from the packaged jar as a separate JVM process, on loopback with free ports. Its
 * output goes to a file the test can read.
 */
final class NodeProcess implements AutoCloseable {
  final Process process;
  final Path log;
  final int grpcPort;
  final int httpPort;
  final int clusterPort;
  final int managementPort;

  private NodeProcess(
      Process process, Path log, int grpcPort, int httpPort, int clusterPort, int managementPort) {
    this.process = process;
    this.log = log;
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
    this.clusterPort = clusterPort;
    this.managementPort = managementPort;
  }

  static Path jar() {
    String jar = System.getProperty("shoal.node.jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException(
          "shoal.node.jar is not set or missing: run the *IT tests through `mvn verify`");
    }
    return Path.of(jar);
  }

  /** Starts {@code java -jar shoal-node.jar args...} with the given extra environment. */
  static NodeProcess start(Path workDir, Map<String, String> env, String... args)
      throws IOException {
    int grpc = env.containsKey("SHOAL_OTLP_GRPC_PORT") ? -1 : freePort();
    int http = env.containsKey("SHOAL_OTLP_HTTP_PORT") ? -1 : freePort();
    int cluster = freePort();
    int management = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    Path log = Files.createTempFile(workDir, "node-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    environment.put("SHOAL_BIND_ADDRESS", "127.0.0.1");
    environment.put("SHOAL_CLUSTER_PORT", String.valueOf(cluster));
    environment.put("SHOAL_MANAGEMENT_PORT", String.valueOf(management));
    if (grpc > 0) environment.put("SHOAL_OTLP_GRPC_PORT", String.valueOf(grpc));
    if (http > 0) environment.put("SHOAL_OTLP_HTTP_PORT", String.valueOf(http));
    environment.putAll(env);
    return new NodeProcess(builder.start(), log, grpc, http, cluster, management);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** Waits until the node logged that it is ready; fails with its output otherwise. */
  void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains("Shoal node ready")) return;
      if (!process.isAlive()) {
        throw new AssertionError("node exited with " + process.exitValue() + ":\n" + output());
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("node not ready within " + timeout + ":\n" + output());
  }

  /** Waits for the process to exit and returns its exit status. */
  int awaitExit(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("node still running after " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  String httpEndpoint() {
    return "http://127.0.0.1:" + httpPort;
  }

  String managementUrl(String path) {
    return "http://127.0.0.1:" + managementPort + path;
  }

  /** GETs a path of the management port: its status and body. */
  java.net.http.HttpResponse<String> getManagement(String path) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(managementUrl(path)))
                .timeout(Duration.ofSeconds(10))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  String grpcEndpoint() {
    return "http://127.0.0.1:" + grpcPort;
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
