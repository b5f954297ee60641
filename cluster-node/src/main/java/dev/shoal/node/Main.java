package dev.shoal.node;

import com.typesafe.config.Config;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Starts a node from the command line. Exit status: 0 after a clean shutdown (SIGTERM, Ctrl-C), 2
 * for a bad command line or configuration, 1 when the node cannot start (a port in use, ...).
 */
public final class Main {
  static {
    // CompletableFuture runs async callbacks (pekko's CompletionStages use them) on the common
    // pool, but on a machine of one or two cores that pool has parallelism 1 and the JDK then
    // starts a new thread for every task. Two workers at least keep it a pool. Must be set
    // before anything touches the pool.
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
      int workers = Math.max(2, Runtime.getRuntime().availableProcessors() - 1);
      System.setProperty(
          "java.util.concurrent.ForkJoinPool.common.parallelism", String.valueOf(workers));
    }
  }

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  /** Why the node stops when it got SIGTERM or SIGINT. */
  private static final CoordinatedShutdown.Reason SIGNAL =
      new CoordinatedShutdown.Reason() {
        @Override
        public String toString() {
          return "termination signal";
        }
      };

  private Main() {}

  public static void main(String[] args) {
    NodeOptions options;
    Config config;
    try {
      options = NodeOptions.parse(args);
      if (options.help()) {
        System.out.println(NodeOptions.USAGE);
        return;
      }
      config = options.loadConfig();
    } catch (RuntimeException e) {
      System.err.println("shoal: " + e.getMessage());
      System.err.println("Run with --help for the options.");
      System.exit(2);
      return;
    }

    ShoalNode node;
    try {
      node = ShoalNode.start(config);
    } catch (ShoalNode.NodeStartException e) {
      log.error("Shoal node cannot start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    stopOnSignal(node, "TERM");
    stopOnSignal(node, "INT");
  }

  /**
   * Replaces the JVM's default handling of the signal (exit 143 while shutdown hooks run) by the
   * node's shutdown sequence followed by exit 0.
   */
  private static void stopOnSignal(ShoalNode node, String signal) {
    Signal.handle(
        new Signal(signal),
        s -> {
          log.info("SIG{} received: shutting down", signal);
          node.stop(SIGNAL)
              .orTimeout(5, TimeUnit.MINUTES)
              .whenComplete(
                  (done, failure) -> {
                    if (failure != null) log.error("shutdown did not complete cleanly", failure);
                    Runtime.getRuntime().halt(failure == null ? 0 : 1);
                  });
        });
  }
}
