package dev.shoal.pipeline.stream;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

/**
 * Gathers export requests into batches bounded by item count and by bytes, and emits a batch that
 * is not full once the oldest request in it has waited {@code timeout}.
 *
 * <p>Pekko's {@code groupedWeightedWithin} bounds one weight only; the OpenTelemetry batch
 * processor's users expect both (items for the backend's limits, bytes for memory). While the
 * exporter is busy the stage keeps filling the current batch up to its bounds and then
 * backpressures, so a slow exporter gets large batches rather than many small ones.
 */
public final class BatchStage extends GraphStage<FlowShape<ExportRequest, Batch>> {
  private static final String TIMER = "batch-timeout";

  private final String pipeline;
  private final Signal signal;
  private final BatchSettings settings;
  private final Inlet<ExportRequest> in = Inlet.create("BatchStage.in");
  private final Outlet<Batch> out = Outlet.create("BatchStage.out");
  private final FlowShape<ExportRequest, Batch> shape = FlowShape.of(in, out);

  public BatchStage(String pipeline, Signal signal, BatchSettings settings) {
    this.pipeline = pipeline;
    this.signal = signal;
    this.settings = settings;
  }

  @Override
  public FlowShape<ExportRequest, Batch> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      private List<ExportRequest> current = new ArrayList<>();
      private int items;
      private long bytes;
      private boolean timedOut;

      {
        setHandler(
            in,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                ExportRequest r = grab(in);
                if (current.isEmpty()) scheduleOnce(TIMER, settings.timeout());
                current.add(r);
                items += r.items();
                bytes += r.bytes();
                if (ready() && isAvailable(out)) emitCurrent();
                if (!full() && !hasBeenPulled(in)) pull(in);
              }

              @Override
              public void onUpstreamFinish() {
                if (!current.isEmpty()) emit(out, takeCurrent());
                completeStage();
              }
            });
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                if (ready()) emitCurrent();
                if (!full() && !hasBeenPulled(in) && !isClosed(in)) pull(in);
              }
            });
      }

      @Override
      public void onTimer(Object key) {
        timedOut = true;
        if (isAvailable(out) && !current.isEmpty()) emitCurrent();
      }

      private boolean full() {
        return items >= settings.maxItems() || bytes >= settings.maxBytes();
      }

      private boolean ready() {
        return !current.isEmpty() && (full() || timedOut);
      }

      private void emitCurrent() {
        push(out, takeCurrent());
        if (!hasBeenPulled(in) && !isClosed(in)) pull(in);
      }

      private Batch takeCurrent() {
        Batch batch = new Batch(pipeline, signal, List.copyOf(current), items, bytes);
        current = new ArrayList<>();
        items = 0;
        bytes = 0;
        timedOut = false;
        cancelTimer(TIMER);
        return batch;
      }
    };
  }

  /**
   * Bounds of one batch.
   *
   * @param maxItems a batch is sent once it holds this many items
   * @param maxBytes a batch is sent once its requests take this many bytes
   * @param timeout a batch that is not full is sent this long after its first request arrived
   */
  public record BatchSettings(int maxItems, long maxBytes, Duration timeout) {
    public BatchSettings {
      if (maxItems < 1) throw new IllegalArgumentException("batch max-items must be at least 1");
      if (maxBytes < 1) throw new IllegalArgumentException("batch max-bytes must be at least 1");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("batch timeout must be positive");
      }
    }
  }
}
