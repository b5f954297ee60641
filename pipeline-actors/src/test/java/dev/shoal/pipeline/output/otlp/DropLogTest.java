package dev.shoal.pipeline.output.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.stream.Batch;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DropLogTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final Logger logger = (Logger) LoggerFactory.getLogger("drop-log-test");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private DropLog drops;

  @BeforeEach
  void attach() {
    lines.start();
    logger.addAppender(lines);
    drops = new DropLog(logger, "OTLP/HTTP http://backend:4318/v1/traces", now::get);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(lines);
  }

  private List<String> messages() {
    return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void logsOneLinePerPipelineAndIntervalCountingTheRest() {
    Batch batch = TestOutputs.batch(Signal.TRACES, 5);

    drops.dropped(batch, 10, "rejected", "HTTP 400");
    now.addAndGet(DropLog.INTERVAL_NANOS - 1);
    drops.dropped(batch, 10, "rejected", "HTTP 400");
    drops.dropped(batch, 4, "partial_success", "too old");

    assertEquals(
        List.of(
            "pipeline pipeline-traces: 10 of 10 spans lost to OTLP/HTTP"
                + " http://backend:4318/v1/traces (rejected): HTTP 400"),
        messages());

    now.addAndGet(1);
    drops.dropped(batch, 10, "retries_exhausted", "HTTP 503");

    assertEquals(2, messages().size());
    String second = messages().get(1);
    assertTrue(second.contains("(retries_exhausted): HTTP 503"), second);
    assertTrue(second.endsWith("(and 14 spans of 2 more batches since the previous line)"), second);
  }

  @Test
  void eachPipelineHasItsOwnInterval() {
    drops.dropped(TestOutputs.batch(Signal.TRACES, 1), 2, "rejected", "HTTP 400");
    drops.dropped(TestOutputs.batch(Signal.LOGS, 1), 2, "rejected", "HTTP 400");

    assertEquals(2, messages().size());
    assertTrue(messages().get(1).startsWith("pipeline pipeline-logs: 2 of 2 log records"));
  }
}
