package dev.shoal.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The node under test: a separate JVM whose output goes to a log file. */
final class NodeProcess implements AutoCloseable {
  /** What the node logs once its receivers are bound and its pipelines run. */
  static final String READY = "Shoal node ready";

  private final Process process;
  private final Path log;

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static NodeProcess start(List<String> command, Map<String, String> env, Path workDir, Path log)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new NodeProcess(builder.start(), log);
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** Waits until the node logged {@value #READY}; fails if it exits first or takes too long. */
  void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains(READY)) return;
      checkAlive("before it was ready");
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new NodeFailedException(
        "the node did not log \""
            + READY
            + "\" within "
            + timeout
            + ". Its last output:\n"
            + tail(30));
  }

  /** Fails with the node's exit status and last output if it is no longer running. */
  void checkAlive(String when) throws IOException {
    if (process.isAlive()) return;
    String tail = tail(30);
    String hint =
        tail.contains("--pipelines")
            ? "\nThis node does not take --pipelines DIR yet, so it cannot export to the sink:"
                + " build a node that reads its pipelines from a folder, then run again."
            : "";
    throw new NodeFailedException(
        "the node exited with status "
            + process.exitValue()
            + " "
            + when
            + ". Its last output ("
            + log
            + "):\n"
            + tail
            + hint);
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** The last {@code lines} lines of the node's output. */
  String tail(int lines) throws IOException {
    List<String> all = output().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** SIGTERM, so the node drains and leaves; SIGKILL if it has not exited within {@code grace}. */
  void stop(Duration grace) throws InterruptedException {
    if (!process.isAlive()) return;
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    try {
      stop(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The node could not be started or stopped running. */
  static final class NodeFailedException extends IllegalStateException {
    NodeFailedException(String message) {
      super(message);
    }
  }
}
