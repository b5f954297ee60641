package dev.shoal.manager.folder;

import static dev.shoal.manager.folder.FolderSourceFixtures.LOG_PIPELINE;
import static dev.shoal.manager.folder.FolderSourceFixtures.TRACE_PIPELINE;
import static dev.shoal.manager.folder.FolderSourceFixtures.parse;
import static dev.shoal.manager.folder.FolderSourceFixtures.read;
import static dev.shoal.manager.folder.FolderSourceFixtures.refs;
import static dev.shoal.manager.folder.FolderSourceFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.reconcile.ResourceSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link FolderSource} handles broken files, unknown content and size limits. */
class FolderSourceProblemsTest {

  @TempDir Path dir;

  @Test
  void aBrokenFileIsReportedOnceAndTheOthersStillLoad() throws IOException {
    write(dir, "good.yaml", TRACE_PIPELINE);
    write(dir, "broken.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: [unclosed\n");
    write(dir, "also-good.yaml", LOG_PIPELINE);

    FolderContents contents = read(dir, FolderContents.EMPTY);

    assertEquals(2, contents.snapshot().pipelines().size());
    assertEquals(1, contents.warnings().size(), contents.warnings().toString());
    String warning = contents.warnings().get(0);
    assertTrue(warning.startsWith("broken.yaml: not valid YAML at line "), warning);
    assertTrue(warning.endsWith("nothing in it is read"), warning);
  }

  @Test
  void aFileThatBreaksKeepsItsPreviousContent() throws IOException {
    write(dir, "logs.yaml", LOG_PIPELINE);
    FolderContents before = read(dir, FolderContents.EMPTY);
    write(dir, "logs.yaml", LOG_PIPELINE + "\n  : : [\n");

    FolderContents after = read(dir, before);

    assertEquals(List.of("logpipeline/logs"), refs(after.snapshot()));
    assertTrue(
        after.warnings().get(0).endsWith("keeping its previous content until it is fixed"),
        after.warnings().toString());
    FolderContents unchanged = read(dir, after);
    assertEquals(List.of(), unchanged.warnings(), "an unchanged file is not parsed again");
  }

  @Test
  void unknownKindsAndForeignApiVersionsGiveOneWarningEach() {
    FolderContents contents =
        parse(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            ---
            apiVersion: telemetry.kyma-project.io/v1beta1
            kind: TracePipeline
            metadata: {name: kyma}
            spec: {}
            """);
    assertEquals(List.of(), contents.snapshot().pipelines());
    assertEquals(2, contents.warnings().size());
    assertTrue(contents.warnings().get(0).contains("kind 'ConfigMap'"), contents.warnings().get(0));
    assertTrue(
        contents.warnings().get(1).contains("use apiVersion: telemetry.shoal.dev/v1beta1"),
        contents.warnings().get(1));
  }

  @Test
  void anUnknownFieldOrAWrongTypeBecomesASchemaProblemOfThatPipeline() {
    FolderContents contents =
        parse(
            LOG_PIPELINE.replace("compression: gzip", "compresion: gzip")
                + "---\n"
                + TRACE_PIPELINE.replace("insecure: false", "insecure: [yes]"));
    ResourceSnapshot snapshot = contents.snapshot();
    assertEquals(2, snapshot.pipelines().size(), "both stay known, so their status can say why");
    String unknown =
        snapshot.schemaProblems().get(new ResourceRef(PipelineKind.LOG_PIPELINE, "logs"));
    assertTrue(
        unknown.startsWith("spec.output.otlp.compresion: unknown field; the fields here are "),
        unknown);
    assertTrue(unknown.contains("compression"), unknown);
    String wrongType =
        snapshot.schemaProblems().get(new ResourceRef(PipelineKind.TRACE_PIPELINE, "backend"));
    assertEquals("spec.output.otlp.tls.insecure: expected true or false", wrongType);
  }

  @Test
  void aPipelineDefinedTwiceIsASchemaProblem() {
    FolderContents contents = parse(LOG_PIPELINE + "---\n" + LOG_PIPELINE);
    assertEquals(1, contents.snapshot().pipelines().size());
    assertEquals(
        "LogPipeline logs is defined more than once (test.yaml twice); keep one definition",
        contents
            .snapshot()
            .schemaProblems()
            .get(new ResourceRef(PipelineKind.LOG_PIPELINE, "logs")));
  }

  @Test
  void aNameThatIsNoKubernetesNameIsSkipped() {
    FolderContents contents = parse(LOG_PIPELINE.replace("name: logs", "name: ../Logs"));
    assertEquals(List.of(), contents.snapshot().pipelines());
    assertTrue(contents.warnings().get(0).contains("is not a Kubernetes name"));
  }

  @Test
  void tooLargeFilesAreSkippedWithAProblem() throws IOException {
    write(dir, "logs.yaml", LOG_PIPELINE);
    FolderScan scan = new FolderSource(dir, 16).scan();
    assertTrue(scan.files().isEmpty());
    assertTrue(scan.problems().get(0).startsWith("logs.yaml: "), scan.problems().toString());
    assertFalse(new FolderSource(dir.resolve("absent"), 16).scan().files().size() > 0);
    assertTrue(new FolderSource(dir.resolve("absent"), 16).scan().missing());
  }
}
