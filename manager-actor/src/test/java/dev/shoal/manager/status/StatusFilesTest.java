package dev.shoal.manager.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.ResourceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusFilesTest {

  static final ResourceRef BACKEND = new ResourceRef(PipelineKind.TRACE_PIPELINE, "backend");
  static final ResourceRef LOGS = new ResourceRef(PipelineKind.LOG_PIPELINE, "logs");
  static final FileTime LONG_AGO = FileTime.fromMillis(1_000_000_000_000L);

  @TempDir Path dir;

  static Condition condition(String status, String reason, String message, String time) {
    return new Condition(Condition.CONFIGURATION_GENERATED, status, reason, message, time, 2L);
  }

  @Test
  void writesKindNameGenerationAndTheCondition() throws IOException {
    StatusFiles files = new StatusFiles(dir);
    files.write(
        Map.of(
            BACKEND,
            condition(
                "False", "EndpointInvalid", "endpoint: 'x' is not a URL", "2026-11-23T12:00:00Z")));

    Path file = dir.resolve(".status/tracepipeline-backend.yaml");
    assertEquals(
        """
        apiVersion: telemetry.shoal.dev/v1beta1
        kind: TracePipeline
        metadata:
          name: backend
          generation: 2
        status:
          conditions:
          - type: ConfigurationGenerated
            status: "False"
            reason: EndpointInvalid
            message: "endpoint: 'x' is not a URL"
            lastTransitionTime: 2026-11-23T12:00:00Z
            observedGeneration: 2
        """,
        Files.readString(file));
    Condition read = files.read(BACKEND).orElseThrow().status().getConditions().get(0);
    assertEquals("EndpointInvalid", read.getReason());
    assertEquals("False", read.getStatus());
  }

  @Test
  void unchangedContentIsNotRewrittenAndKeepsItsTransitionTime() throws IOException {
    StatusFiles files = new StatusFiles(dir);
    files.write(
        Map.of(BACKEND, condition("True", "ConfigurationApplied", "ok", "2026-11-23T12:00:00Z")));
    Path file = files.file(BACKEND);
    String before = Files.readString(file);
    Files.setLastModifiedTime(file, LONG_AGO);

    StatusFiles.Outcome outcome =
        files.write(
            Map.of(
                BACKEND, condition("True", "ConfigurationApplied", "ok", "2026-11-23T13:00:00Z")));

    assertEquals(List.of(), outcome.written());
    assertEquals(before, Files.readString(file));
    assertEquals(LONG_AGO, Files.getLastModifiedTime(file), "the file was written again");
    assertEquals(
        "2026-11-23T12:00:00Z",
        outcome.conditions().get(BACKEND).getLastTransitionTime(),
        "the outcome reports the time the file keeps");
  }

  @Test
  void aNewMessageWithTheSameStatusAndReasonKeepsTheTransitionTime() throws IOException {
    StatusFiles files = new StatusFiles(dir);
    files.write(
        Map.of(BACKEND, condition("False", "EndpointInvalid", "one", "2026-11-23T12:00:00Z")));
    Files.setLastModifiedTime(files.file(BACKEND), LONG_AGO);

    StatusFiles.Outcome outcome =
        files.write(
            Map.of(BACKEND, condition("False", "EndpointInvalid", "two", "2026-11-23T13:00:00Z")));

    assertEquals(List.of(BACKEND), outcome.written());
    assertFalse(LONG_AGO.equals(Files.getLastModifiedTime(files.file(BACKEND))));
    Condition now = files.read(BACKEND).orElseThrow().status().getConditions().get(0);
    assertEquals("two", now.getMessage());
    assertEquals("2026-11-23T12:00:00Z", now.getLastTransitionTime());
  }

  @Test
  void aNewReasonOrStatusTakesTheNewTransitionTime() throws IOException {
    StatusFiles files = new StatusFiles(dir);
    files.write(
        Map.of(BACKEND, condition("False", "EndpointInvalid", "bad", "2026-11-23T12:00:00Z")));
    files.write(
        Map.of(
            BACKEND,
            condition("False", "ReferencedSecretMissing", "gone", "2026-11-23T13:00:00Z")));
    assertEquals(
        "2026-11-23T13:00:00Z",
        files.read(BACKEND).orElseThrow().status().getConditions().get(0).getLastTransitionTime());
    files.write(
        Map.of(BACKEND, condition("True", "ConfigurationApplied", "ok", "2026-11-23T14:00:00Z")));
    Condition now = files.read(BACKEND).orElseThrow().status().getConditions().get(0);
    assertEquals("ConfigurationApplied", now.getReason());
    assertEquals("2026-11-23T14:00:00Z", now.getLastTransitionTime());
  }

  @Test
  void theStatusOfADeletedResourceIsRemovedAndOtherFilesStay() throws IOException {
    StatusFiles files = new StatusFiles(dir);
    Condition ok = condition("True", "ConfigurationApplied", "ok", "2026-11-23T12:00:00Z");
    files.write(Map.of(BACKEND, ok, LOGS, ok));
    Path notes = dir.resolve(".status/README.txt");
    Files.writeString(notes, "written by a person");
    assertTrue(Files.exists(files.file(LOGS)));

    StatusFiles.Outcome outcome = files.write(Map.of(BACKEND, ok));

    assertEquals(List.of("logpipeline-logs.yaml"), outcome.removed());
    assertFalse(Files.exists(files.file(LOGS)));
    assertTrue(Files.exists(files.file(BACKEND)));
    assertTrue(Files.exists(notes));
    try (var left = Files.list(dir.resolve(".status"))) {
      assertEquals(2, left.count(), "no temporary files are left behind");
    }
  }
}
