package dev.shoal.manager.folder;

import com.typesafe.config.Config;
import dev.shoal.manager.reconcile.ReconcilerSettings;
import java.time.Duration;

/**
 * Settings of {@link FolderPipelineSource} ({@code shoal.manager.folder} and the reconciler's
 * {@code shoal.manager}), read once.
 *
 * @param pollInterval how often the folder is checked for changes
 * @param resyncInterval how often the pipelines are validated again when nothing changed
 * @param maxFileBytes larger files are skipped
 * @param reconciler limits and defaults of validation
 */
public record FolderSourceSettings(
    Duration pollInterval,
    Duration resyncInterval,
    long maxFileBytes,
    ReconcilerSettings reconciler) {

  public FolderSourceSettings {
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("shoal.manager.folder.poll-interval must be positive");
    }
    if (resyncInterval.isNegative() || resyncInterval.isZero()) {
      throw new IllegalArgumentException("shoal.manager.folder.resync-interval must be positive");
    }
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException("shoal.manager.folder.max-file-bytes must be positive");
    }
  }

  /** Reads {@code shoal.manager} of the given (root) configuration. */
  public static FolderSourceSettings fromConfig(Config config) {
    Config folder = config.getConfig("shoal.manager.folder");
    return new FolderSourceSettings(
        folder.getDuration("poll-interval"),
        folder.getDuration("resync-interval"),
        folder.getBytes("max-file-bytes"),
        ReconcilerSettings.fromConfig(config));
  }
}
