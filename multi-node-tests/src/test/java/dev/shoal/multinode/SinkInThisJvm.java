package dev.shoal.multinode;

import com.typesafe.config.ConfigFactory;
import dev.shoal.bench.sink.SinkBackend;
import dev.shoal.bench.sink.SinkMode;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The bench module's OTLP sink backend, run in the test's own JVM on free loopback ports, on an
 * actor system of its own with local actors only (the node's application.conf is on the test
 * classpath, and its cluster settings are not the sink's). Closing stops both.
 */
final class SinkInThisJvm implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final SinkBackend backend;

  private SinkInThisJvm(ActorSystem<Void> system, SinkBackend backend) {
    this.system = system;
    this.backend = backend;
  }

  /** A sink that accepts everything until told otherwise. */
  static SinkInThisJvm start(String name) throws Exception {
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            name,
            ConfigFactory.load(
                ConfigFactory.parseString(
                    "pekko.actor.provider = local\npekko.loglevel = WARNING")));
    try {
      return new SinkInThisJvm(system, SinkBackend.start(system, "127.0.0.1", 0, 0, SinkMode.OK));
    } catch (Exception | Error e) {
      system.terminate();
      throw e;
    }
  }

  SinkBackend backend() {
    return backend;
  }

  @Override
  public void close() throws Exception {
    try {
      backend.stop();
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
