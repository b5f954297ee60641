package dev.shoal.pipeline.durable;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the durable queue ({@code shoal.pipeline.durable-queue}), the same for every pipeline
 * of a node.
 *
 * @param enabled whether pipelines keep their queue on disk
 * @param dir the folder holding one sub-folder per pipeline
 * @param maxBytes bound of one pipeline's segment files on disk; a full log refuses like a full
 *     queue
 * @param segmentBytes a segment file is closed and a new one begun once it holds this much
 * @param fsyncInterval how long acknowledged records may sit in the page cache before they are
 *     synced to the disk; zero syncs every group of records before they are acknowledged
 */
public record DurableQueueSettings(
    boolean enabled, Path dir, long maxBytes, long segmentBytes, Duration fsyncInterval) {
  public static final String CONFIG_PATH = "shoal.pipeline.durable-queue";

  public DurableQueueSettings {
    if (enabled && (dir == null || dir.toString().isBlank())) {
      throw new IllegalArgumentException(
          CONFIG_PATH
              + ".dir is empty: name the folder of the durable queues (on a node it is"
              + " <data-dir>/queue), or set "
              + CONFIG_PATH
              + ".enabled = false");
    }
    if (segmentBytes < 4096) {
      throw new IllegalArgumentException(CONFIG_PATH + ".segment-bytes must be at least 4KiB");
    }
    if (maxBytes < 2 * segmentBytes) {
      throw new IllegalArgumentException(
          CONFIG_PATH + ".max-bytes must be at least twice segment-bytes (" + segmentBytes + ")");
    }
    if (fsyncInterval.isNegative()) {
      throw new IllegalArgumentException(CONFIG_PATH + ".fsync-interval must not be negative");
    }
  }

  /** Durable queue off: pipelines keep their queue in memory only. */
  public static DurableQueueSettings disabled() {
    return new DurableQueueSettings(false, null, 1L << 30, 64L << 20, Duration.ofMillis(200));
  }

  public static DurableQueueSettings from(Config root) {
    if (!root.hasPath(CONFIG_PATH)) return disabled();
    Config c = root.getConfig(CONFIG_PATH);
    String dir = c.getString("dir");
    return new DurableQueueSettings(
        c.getBoolean("enabled"),
        dir.isBlank() ? null : Path.of(dir),
        c.getBytes("max-bytes"),
        c.getBytes("segment-bytes"),
        c.getDuration("fsync-interval"));
  }

  public DurableQueueSettings withDir(Path newDir) {
    return new DurableQueueSettings(enabled, newDir, maxBytes, segmentBytes, fsyncInterval);
  }

  public DurableQueueSettings withEnabled(boolean on) {
    return new DurableQueueSettings(on, dir, maxBytes, segmentBytes, fsyncInterval);
  }
}
