package dev.shoal.node;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real kube-apiserver with its etcd on 127.0.0.1, for tests: started and stopped by {@code
 * shared/tools/kube-apiserver.sh}, which sits beside the repository ({@code ../shared} of its root,
 * in a developer's set-up and in CI alike). The binary is built once by {@code kube-apiserver.sh
 * build} (about 10 minutes, cached); .ci/run does that before the build. When the script or the
 * binary is missing, {@link #start} fails the test and says how to get them: a skipped acceptance
 * test would look like a passed one.
 */
public final class KubeApiServer implements AutoCloseable {
  private static final long START_SECONDS = 240; // etcd may be apt-installed first; then 60 s ready
  private static final long STOP_SECONDS = 30;

  private final Path script;
  private final Path dir;
  private final Config config;
  private final Thread stopOnExit;
  private boolean stopped;

  private KubeApiServer(Path script, Path dir, Config config) {
    this.script = script;
    this.dir = dir;
    this.config = config;
    // Also stop when the test JVM ends without reaching close(), so no server outlives the run.
    this.stopOnExit = new Thread(this::stop, "kube-apiserver-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /** Starts etcd and kube-apiserver on free loopback ports, state in {@code dir}. */
  public static KubeApiServer start(Path dir) throws IOException, InterruptedException {
    Path script = script();
    Path binary = binary();
    if (!Files.isExecutable(binary)) {
      fail(
          "no kube-apiserver binary at "
              + binary
              + ". Build it once (about 10 minutes, cached) from the repository root with: bash"
              + " ../shared/tools/kube-apiserver.sh build");
    }
    Files.createDirectories(dir);
    int port = freePort();
    Path log = dir.resolve("start.log");
    Process start =
        new ProcessBuilder("bash", script.toString(), "start", dir.toString(), String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!start.waitFor(START_SECONDS, TimeUnit.SECONDS)) {
      start.destroyForcibly();
      stopQuietly(script, dir);
      fail("kube-apiserver.sh start took over " + START_SECONDS + " s; " + logs(dir));
    }
    Path kubeconfig = dir.resolve("kubeconfig");
    if (start.exitValue() != 0 || !Files.isRegularFile(kubeconfig)) {
      stopQuietly(script, dir);
      fail("kube-apiserver.sh start failed (exit " + start.exitValue() + "); " + logs(dir));
    }
    Config config =
        new ConfigBuilder(Config.fromKubeconfig(Files.readString(kubeconfig)))
            .withConnectionTimeout(10_000)
            .withRequestTimeout(30_000)
            .build();
    return new KubeApiServer(script, dir, config);
  }

  /** The kubeconfig file the script wrote: the server's address and the admin token. */
  Path kubeconfig() {
    return dir.resolve("kubeconfig");
  }

  /** Client configuration: the server's address and the admin token. */
  public Config config() {
    return config;
  }

  /**
   * The certificate the server presents (self-signed, with its CA), to trust it the way a pod
   * trusts its API server through {@code ca.crt}.
   */
  public Path servingCertificate() {
    return dir.resolve("certs").resolve("apiserver.crt");
  }

  /**
   * Creates the pipeline CRDs of the repository's {@code deploy/crds} (the module's parent folder
   * is the repository root) and waits until each is Established.
   */
  public static void applyPipelineCrds(io.fabric8.kubernetes.client.KubernetesClient client)
      throws IOException {
    Path crds = Path.of("").toAbsolutePath().getParent().resolve("deploy").resolve("crds");
    try (Stream<Path> files = Files.list(crds)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
          io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition crd =
              client.apiextensions().v1().customResourceDefinitions().load(in).item();
          client.resource(crd).create();
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .waitUntilCondition(
                  c ->
                      c.getStatus() != null
                          && c.getStatus().getConditions() != null
                          && c.getStatus().getConditions().stream()
                              .anyMatch(
                                  x ->
                                      x.getType().equals("Established")
                                          && x.getStatus().equals("True")),
                  60,
                  TimeUnit.SECONDS);
        }
      }
    }
  }

  /** Stops both servers and deletes etcd's data (tens of MB); the logs stay in the folder. */
  @Override
  public void close() throws IOException {
    stop();
    Runtime.getRuntime().removeShutdownHook(stopOnExit);
    Path etcd = dir.resolve("etcd");
    if (Files.isDirectory(etcd)) {
      try (Stream<Path> files = Files.walk(etcd)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(file);
      }
    }
  }

  private synchronized void stop() {
    if (stopped) return;
    stopped = true;
    stopQuietly(script, dir);
  }

  private static void stopQuietly(Path script, Path dir) {
    try {
      Process stop =
          new ProcessBuilder("bash", script.toString(), "stop", dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("stop.log").toFile())
              .start();
      if (!stop.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) stop.destroyForcibly();
    } catch (IOException e) {
      System.err.println("kube-apiserver.sh stop failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The script, in ../shared/tools beside the repository root (the module folder's parent). */
  private static Path script() {
    Path root = Path.of("").toAbsolutePath().getParent();
    Path script = root.resolveSibling("shared").resolve("tools").resolve("kube-apiserver.sh");
    if (!Files.isRegularFile(script)) {
      fail(
          "no "
              + script
              + ": the tests that need a real API server expect the project's shared/ folder beside"
              + " the repository");
    }
    return script;
  }

  /** Where the script keeps the binary (the same rules as the script's own). */
  private static Path binary() {
    String explicit = System.getenv("KUBE_APISERVER");
    if (explicit != null && !explicit.isEmpty()) return Path.of(explicit);
    String cache = System.getenv("SHOAL_KUBE_CACHE");
    Path base =
        cache != null && !cache.isEmpty()
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache", "shoal-kube");
    return base.resolve("bin").resolve("kube-apiserver");
  }

  /**
   * A port for the API server whose two neighbours 10000 and 10001 above, which the script gives
   * etcd, are free as well.
   */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      if (free(port) && free(port + 10_000) && free(port + 10_001)) return port;
    }
    throw new IOException("no free loopback port triple found in 100 attempts");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String logs(Path dir) {
    StringBuilder text = new StringBuilder();
    for (String name : List.of("start.log", "kube-apiserver.log", "etcd.log")) {
      File file = dir.resolve(name).toFile();
      if (!file.isFile()) continue;
      try {
        List<String> lines = Files.readAllLines(file.toPath());
        text.append("\n--- last lines of ").append(file).append(":\n");
        lines
            .subList(Math.max(0, lines.size() - 20), lines.size())
            .forEach(l -> text.append(l).append('\n'));
      } catch (IOException e) {
        text.append("\n(").append(file).append(" unreadable: ").append(e).append(')');
      }
    }
    return text.length() == 0 ? "no logs in " + dir : text.toString();
  }
}
