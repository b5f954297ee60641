package dev.shoal.manager.folder;

import static dev.shoal.manager.Manifests.secret;
import static dev.shoal.manager.Manifests.tracePipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.reconcile.PipelineReconciler;
import dev.shoal.manager.reconcile.ReconcilerSettings;
import dev.shoal.manager.status.StatusFiles;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import dev.shoal.pipeline.supervisor.PipelineSupervisor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderPipelineSourceTest {

  /** The brief: a change is applied within 2 s. */
  static final Duration APPLIED_WITHIN = Duration.ofSeconds(2);

  /** The first pass of a fresh JVM loads YAML, fabric8 and TLS classes; it gets longer. */
  static final Duration FIRST_PASS_WITHIN = Duration.ofSeconds(10);

  static final ResourceRef BACKEND = new ResourceRef(PipelineKind.TRACE_PIPELINE, "backend");

  @TempDir Path dir;

  ActorTestKit testKit;
  TestProbe<PipelineSupervisor.Command> supervisor;
  ActorRef<FolderPipelineSource.Command> source;

  /**
   * Loads the classes a pass uses once, so that the 2-second bounds below measure the polling and
   * not the JVM's class loading.
   */
  @BeforeAll
  static void warmUp(@TempDir Path scratch) throws IOException {
    Files.writeString(scratch.resolve("p.yaml"), tracePipeline("warm", "http://collector:4317"));
    FolderContents contents =
        FolderSource.parse(new FolderSource(scratch, 1 << 20).scan(), FolderContents.EMPTY);
    PipelineReconciler.Result result =
        new PipelineReconciler(
                PipelineDefaults.fromConfig(ConfigFactory.load()),
                ReconcilerSettings.fromConfig(ConfigFactory.load()))
            .reconcile(contents.snapshot(), Instant.now());
    new StatusFiles(scratch).write(result.conditions());
  }

  @BeforeEach
  void start() {
    Config config =
        ConfigFactory.parseString(
                "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                    + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"")
            .withFallback(ConfigFactory.load())
            .resolve();
    testKit = ActorTestKit.create("folder-source-test", config);
    supervisor = testKit.createTestProbe();
  }

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
  }

  private void startSource() {
    source =
        testKit.spawn(
            FolderPipelineSource.create(
                dir,
                PipelineDefaults.fromConfig(testKit.system().settings().config()),
                supervisor.ref()));
  }

  private List<PipelineSettings> nextApply() {
    return supervisor
        .expectMessageClass(PipelineSupervisor.ApplyPipelines.class, APPLIED_WITHIN)
        .pipelines();
  }

  private List<PipelineSettings> firstApply() {
    return supervisor
        .expectMessageClass(PipelineSupervisor.ApplyPipelines.class, FIRST_PASS_WITHIN)
        .pipelines();
  }

  private static URI endpoint(PipelineSettings settings) {
    return ((OtlpOutputSettings) settings.output()).endpoint();
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content);
  }

  private String backendWithSecretHeader() {
    return tracePipeline(
        "backend",
        "http://collector:4317",
        "headers:",
        "  - name: X-Token",
        "    valueFrom: {secretKeyRef: {name: token, namespace: default, key: token}}");
  }

  @Test
  void appliesCreateEditAndDeleteOfAPipelineWithinTwoSeconds() throws IOException {
    startSource();
    assertEquals(List.of(), firstApply(), "an empty folder runs no pipelines");

    write("backend.yaml", tracePipeline("backend", "http://collector-a:4317"));
    List<PipelineSettings> created = nextApply();
    assertEquals(1, created.size());
    assertEquals("tracepipeline/backend", created.get(0).name());
    assertEquals(URI.create("http://collector-a:4317"), endpoint(created.get(0)));

    write("backend.yaml", tracePipeline("backend", "http://collector-b:4317"));
    List<PipelineSettings> edited = nextApply();
    assertEquals(URI.create("http://collector-b:4317"), endpoint(edited.get(0)));

    Files.delete(dir.resolve("backend.yaml"));
    assertEquals(List.of(), nextApply());
  }

  @Test
  void sendsNothingWhileNothingChanges() throws IOException {
    write("backend.yaml", tracePipeline("backend", "http://collector:4317"));
    startSource();
    assertEquals(1, firstApply().size());

    supervisor.expectNoMessage(Duration.ofMillis(1500));

    // Same content written again (new modification time), and a file that is not YAML.
    write("backend.yaml", tracePipeline("backend", "http://collector:4317"));
    write("notes.txt", "not read");
    supervisor.expectNoMessage(Duration.ofMillis(1500));
  }

  @Test
  void editingAReferencedSecretAppliesTheNewValue() throws IOException {
    write("backend.yaml", backendWithSecretHeader());
    write("secret.yaml", secret("default", "token", "token", "one"));
    startSource();
    List<PipelineSettings> first = firstApply();
    assertEquals(Map.of("X-Token", "one"), ((OtlpOutputSettings) first.get(0).output()).headers());

    write("secret.yaml", secret("default", "token", "token", "two"));
    List<PipelineSettings> second = nextApply();
    assertEquals(Map.of("X-Token", "two"), ((OtlpOutputSettings) second.get(0).output()).headers());

    Files.delete(dir.resolve("secret.yaml"));
    assertEquals(List.of(), nextApply(), "without its Secret the pipeline stops");
    supervisor.awaitAssert(
        APPLIED_WITHIN,
        () -> {
          String status = readStatus(BACKEND);
          assertTrue(status.contains("reason: ReferencedSecretMissing"), status);
          return null;
        });
  }

  @Test
  void writesStatusFilesAndRemovesThemWithTheirResource() throws IOException {
    write("backend.yaml", tracePipeline("backend", "http://collector:4317"));
    write("broken.yaml", tracePipeline("broken", "collector:4317"));
    startSource();
    List<PipelineSettings> running = firstApply();
    assertEquals(
        List.of("tracepipeline/backend"), running.stream().map(PipelineSettings::name).toList());
    supervisor.awaitAssert(
        APPLIED_WITHIN,
        () -> {
          assertTrue(readStatus(BACKEND).contains("reason: ConfigurationApplied"));
          String broken = readStatus(new ResourceRef(PipelineKind.TRACE_PIPELINE, "broken"));
          assertTrue(broken.contains("status: \"False\""), broken);
          assertTrue(broken.contains("reason: EndpointInvalid"), broken);
          return null;
        });

    TestProbe<FolderPipelineSource.Status> status = testKit.createTestProbe();
    source.tell(new FolderPipelineSource.GetStatus(status.ref()));
    FolderPipelineSource.Status reply = status.receiveMessage(APPLIED_WITHIN);
    assertEquals(running, reply.running());
    assertEquals(
        "EndpointInvalid",
        reply.conditions().get(new ResourceRef(PipelineKind.TRACE_PIPELINE, "broken")).getReason());

    Files.delete(dir.resolve("broken.yaml"));
    Path brokenStatus = dir.resolve(".status/tracepipeline-broken.yaml");
    supervisor.awaitAssert(
        APPLIED_WITHIN,
        () -> {
          assertFalse(Files.exists(brokenStatus));
          return null;
        });
    supervisor.expectNoMessage(Duration.ofMillis(200)); // the running set did not change
  }

  @Test
  void aFolderThatAppearsLaterIsRead() throws IOException {
    Path later = dir.resolve("later");
    source =
        testKit.spawn(
            FolderPipelineSource.create(
                later,
                PipelineDefaults.fromConfig(testKit.system().settings().config()),
                supervisor.ref()));
    assertEquals(List.of(), nextApply());
    Files.createDirectories(later);
    Files.writeString(later.resolve("p.yaml"), tracePipeline("backend", "http://collector:4317"));
    assertEquals(1, nextApply().size());
  }

  private String readStatus(ResourceRef ref) {
    try {
      return Files.readString(
          dir.resolve(".status/" + ref.kind().id() + "-" + ref.name() + ".yaml"));
    } catch (IOException e) {
      throw new AssertionError("no status file for " + ref, e);
    }
  }
}
