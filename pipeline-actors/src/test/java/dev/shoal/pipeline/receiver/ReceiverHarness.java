package dev.shoal.pipeline.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Message;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.shoal.pipeline.otlp.OtlpJson;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.route.SignalRouter;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.pipeline.stream.RunningPipeline;
import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A data plane on loopback for tests: one debug pipeline per signal writing into a temporary
 * folder, and both receivers bound to free ports on 127.0.0.1.
 */
final class ReceiverHarness implements AutoCloseable {
  final ActorTestKit testKit;
  final Path debugDir;
  final SignalRouter router = new SignalRouter();
  final OtlpReceivers.Bindings bindings;
  final List<RunningPipeline> pipelines;
  private final ActorRef<PipelineSupervisor.Command> supervisor;

  ReceiverHarness(Path debugDir, String configOverrides) {
    this.debugDir = debugDir;
    Config config =
        ConfigFactory.parseString(
                configOverrides
                    + "\nshoal.pipeline.receiver { bind-address = \"127.0.0.1\", grpc.port = 0,"
                    + " http.port = 0 }\n"
                    + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                    + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"")
            .withFallback(ConfigFactory.load())
            .resolve();
    testKit = ActorTestKit.create("receiver-test", config);
    PipelineDefaults defaults = PipelineDefaults.fromConfig(config);
    List<PipelineSettings> settings = new ArrayList<>();
    for (Signal s : Signal.values()) {
      settings.add(defaults.pipeline(s.id(), s, defaults.debugOutput(debugDir, s.id())));
    }
    supervisor = testKit.spawn(PipelineSupervisor.create(router), "pipelines");
    TestProbe<PipelineSupervisor.Applied> applied = testKit.createTestProbe();
    supervisor.tell(new PipelineSupervisor.ApplyPipelines(settings, applied.ref()));
    pipelines = applied.receiveMessage(Duration.ofSeconds(10)).running();
    bindings =
        OtlpReceivers.bind(ReceiverSettings.fromConfig(config), router, testKit.system())
            .toCompletableFuture()
            .join();
  }

  RunningPipeline pipeline(Signal signal) {
    return pipelines.stream()
        .filter(p -> p.settings().signal() == signal)
        .findFirst()
        .orElseThrow();
  }

  String grpcEndpoint() {
    return "http://127.0.0.1:" + bindings.grpcAddress().getPort();
  }

  String httpEndpoint() {
    return "http://127.0.0.1:" + bindings.httpAddress().getPort();
  }

  /** Every export request the debug output of a signal wrote so far, decoded. */
  List<Message> written(Signal signal) throws IOException {
    Path file = debugDir.resolve(signal.id() + ".jsonl");
    List<Message> requests = new ArrayList<>();
    if (!Files.exists(file)) return requests;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) requests.add(signal.parseJson(line.getBytes(StandardCharsets.UTF_8)));
    }
    return requests;
  }

  /** Drains the pipelines, so that everything accepted is in the output. */
  void drain() {
    TestProbe<PipelineSupervisor.Drained> drained = testKit.createTestProbe();
    supervisor.tell(new PipelineSupervisor.Drain(drained.ref()));
    assertEquals(
        PipelineSupervisor.Drained.INSTANCE, drained.receiveMessage(Duration.ofSeconds(30)));
  }

  static String json(Message m) {
    return OtlpJson.print(m);
  }

  static List<String> lines(String... l) {
    return Arrays.asList(l);
  }

  @Override
  public void close() {
    bindings.unbind().toCompletableFuture().join();
    testKit.shutdownTestKit();
  }
}
