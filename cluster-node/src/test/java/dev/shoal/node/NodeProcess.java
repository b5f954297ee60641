package dev.shoal.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A node started from the packaged jar as a separate JVM process, on loopback with free ports. Its
 * output goes to a file the test can read.
 *
 * <p>Shared with {@code multi-node-tests} through cluster-node's test jar, so that both start nodes
 * the same way. The jar is passed in the system property {@code shoal.node.jar} by failsafe.
 */
public final class NodeProcess implements AutoCloseable {
  /**
   * JVM options of every node a test starts. Tests run several nodes at once on small machines (two
   * cores, beside other builds): a small heap, the client compiler only (C2 compiles cost more CPU
   * than a short-lived node gains from them) and the serial collector (no GC threads per node) keep
   * each node's CPU low, so that heartbeats are not starved and nobody is marked unreachable for
   * being slow.
   */
  public static final List<String> LEAN_JVM =
      List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final int FIRST_PORT = 10000;

  /** The node's own defaults, which a node started by hand on the machine may be using. */
  private static final Set<Integer> DEFAULT_PORTS = Set.of(4317, 4318, 8558, 25520);

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private static final int EPHEMERAL_LOW = ephemeralLow();

  private final Process process;
  private final Path log;
  private final Ports ports;

  /**
   * The ports of one node on 127.0.0.1. OTLP ports of -1 mean the caller's environment sets them.
   */
  public record Ports(int cluster, int management, int grpc, int http) {
    /** Four ports that were free a moment ago. */
    public static Ports free() throws IOException {
      return new Ports(freePort(), freePort(), freePort(), freePort());
    }

    /** The node's cluster address as {@code --seed} takes it. */
    public String clusterAddress() {
      return "127.0.0.1:" + cluster;
    }
  }

  private NodeProcess(Process process, Path log, Ports ports) {
    this.process = process;
    this.log = log;
    this.ports = ports;
  }

  public static Path jar() {
    String jar = System.getProperty("shoal.node.jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException(
          "shoal.node.jar is not set or missing: run the *IT tests through `mvn verify`");
    }
    return Path.of(jar);
  }

  /**
   * Starts {@code java -jar shoal-node.jar args...} on free ports, with the given extra environment
   * (which may set the OTLP ports itself). Output goes to a new file in {@code workDir}.
   */
  public static NodeProcess start(Path workDir, Map<String, String> env, String... args)
      throws IOException {
    Ports free = Ports.free();
    Ports ports =
        new Ports(
            free.cluster(),
            free.management(),
            env.containsKey("SHOAL_OTLP_GRPC_PORT") ? -1 : free.grpc(),
            env.containsKey("SHOAL_OTLP_HTTP_PORT") ? -1 : free.http());
    return start(workDir, Files.createTempFile(workDir, "node-", ".log"), ports, env, args);
  }

  /**
   * Starts {@code java -jar shoal-node.jar args...} on the given ports, writing its output to
   * {@code log}.
   */
  public static NodeProcess start(
      Path workDir, Path log, Ports ports, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(LEAN_JVM);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    // The node picks its pipeline source from these when no option does: a test's node takes
    // only what the test gives it.
    environment.remove("KUBECONFIG");
    environment.remove("KUBERNETES_SERVICE_HOST");
    environment.put("SHOAL_BIND_ADDRESS", "127.0.0.1");
    environment.put("SHOAL_CLUSTER_PORT", String.valueOf(ports.cluster()));
    environment.put("SHOAL_MANAGEMENT_PORT", String.valueOf(ports.management()));
    if (ports.grpc() > 0) environment.put("SHOAL_OTLP_GRPC_PORT", String.valueOf(ports.grpc()));
    if (ports.http() > 0) environment.put("SHOAL_OTLP_HTTP_PORT", String.valueOf(ports.http()));
    environment.putAll(env);
    return new NodeProcess(builder.start(), log, ports);
  }

  /**
   * A port free on 127.0.0.1, and not handed out before by this JVM. It is picked below the
   * kernel's ephemeral range: ports there are not taken by the local end of outgoing connections
   * (this test's, or those of other builds on the machine) between now and when the node binds it,
   * which a port the kernel picked for {@code new ServerSocket(0)} could be.
   */
  public static int freePort() throws IOException {
    int low = Math.max(EPHEMERAL_LOW, 2 * FIRST_PORT);
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = FIRST_PORT + ThreadLocalRandom.current().nextInt(low - FIRST_PORT);
      if (DEFAULT_PORTS.contains(port) || !HANDED_OUT.add(port)) continue;
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException inUse) {
        // try another
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static int ephemeralLow() {
    try {
      return Integer.parseInt(
          Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
              .trim()
              .split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32768; // Linux's default; other systems use 49152 and up
    }
  }

  public Process process() {
    return process;
  }

  public Ports ports() {
    return ports;
  }

  /** The node's cluster address, {@code pekko://shoal@127.0.0.1:port}. */
  public String clusterNode() {
    return "pekko://shoal@" + ports.clusterAddress();
  }

  public String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** Waits until the node logged that it is ready; fails with its output otherwise. */
  public void awaitReady(Duration timeout) throws Exception {
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
  public int awaitExit(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("node still running after " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  public String httpEndpoint() {
    return "http://127.0.0.1:" + ports.http();
  }

  public String grpcEndpoint() {
    return "http://127.0.0.1:" + ports.grpc();
  }

  public String managementUrl(String path) {
    return "http://127.0.0.1:" + ports.management() + path;
  }

  /** GETs a path of the management port: its status and body. */
  public HttpResponse<String> getManagement(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(managementUrl(path)))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Kills the process if it still runs ({@code kill -9}) and waits for it to be gone. */
  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
