package dev.shoal.pipeline.durable;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/** Actor systems whose pipelines keep a durable queue in a given folder, and what is in it. */
final class DurableTestKits {
  private DurableTestKits() {}

  /** Small segments, so a few requests span several; a short sync interval. */
  static ActorTestKit durableIn(String name, Path dir, String extra) {
    return ActorTestKit.create(
        name,
        ConfigFactory.parseString(
                "shoal.pipeline.durable-queue {\n"
                    + "  enabled = true\n"
                    + "  dir = \""
                    + dir.toString().replace("\\", "/")
                    + "\"\n"
                    + "  segment-bytes = 4KiB\n"
                    + "  max-bytes = 1MiB\n"
                    + "  fsync-interval = 20ms\n"
                    + "}\n"
                    + extra)
            .withFallback(ConfigFactory.load()));
  }

  /** Every segment file under {@code dir}, quarantine excluded. */
  static List<Path> segments(Path dir) throws IOException {
    if (!Files.exists(dir)) return List.of();
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> Segment.idOf(p) >= 0)
          .filter(p -> !p.toString().contains(Recovery.QUARANTINE))
          .sorted()
          .toList();
    }
  }

  /** Every file under the quarantine folders below {@code dir}. */
  static List<Path> quarantined(Path dir) throws IOException {
    if (!Files.exists(dir)) return List.of();
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile)
          .filter(p -> p.getParent().getFileName().toString().equals(Recovery.QUARANTINE))
          .toList();
    }
  }
}
