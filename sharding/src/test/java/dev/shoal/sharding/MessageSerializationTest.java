package dev.shoal.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.shoal.sharding.PipelineEntity.Flow;
import dev.shoal.sharding.PipelineEntity.MemberView;
import dev.shoal.sharding.PipelineEntity.PipelineView;
import dev.shoal.sharding.PipelineEntity.Rates;
import dev.shoal.sharding.PipelineEntity.ReportStats;
import dev.shoal.sharding.PipelineEntity.StatsSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JavaSerializer;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every message that crosses the cluster goes through Pekko's jackson-cbor serializer and back. */
class MessageSerializationTest {
  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("serialization");
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static final Instant AT = Instant.parse("2026-03-04T05:06:07.123456789Z");

  private static final StatsSnapshot SNAPSHOT =
      new StatsSnapshot(1000, 990, 10, 950, 12, Map.of("queue_full", 10L, "rejected", 30L));

  static List<Object> messages(TestProbe<PipelineView> probe) {
    MemberView member = new MemberView(AT, true, 123, 1024, 123 / 1024.0);
    return List.of(
        new ReportStats("pekko://shoal@10.0.0.1:25520", "traces", SNAPSHOT, 123, 1024, AT),
        new ReportStats("m", "p", StatsSnapshot.ZERO, 0, 0, Instant.EPOCH),
        new PipelineEntity.GetView(probe.ref()),
        new PipelineView(
            "traces",
            AT,
            Duration.ofSeconds(60),
            Duration.ofMillis(42_500),
            1,
            Map.of("pekko://shoal@10.0.0.1:25520", member),
            new Flow(500, 490, 10, 480, Map.of("queue_full", 10L)),
            new Rates(11.76, 11.53, 0.235, 11.29, Map.of("queue_full", 0.235))),
        new PipelineView(
            "empty",
            AT,
            Duration.ofSeconds(60),
            Duration.ZERO,
            0,
            Map.of(),
            Flow.ZERO,
            new Rates(0, 0, 0, 0, Map.of())));
  }

  @Test
  void everyMessageRoundTripsThroughJacksonCbor() {
    TestProbe<PipelineView> probe = testKit.createTestProbe();
    String cborClass =
        testKit.system().settings().config().getString("pekko.actor.serializers.jackson-cbor");
    for (Object message : messages(probe)) {
      Serializer serializer = serialization.findSerializerFor(message);
      assertEquals(cborClass, serializer.getClass().getName(), message.getClass().getName());
      assertNotEquals(JavaSerializer.class, serializer.getClass());

      byte[] bytes = serialization.serialize(message).get();
      String manifest = Serializers.manifestFor(serializer, message);
      Object back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
      assertEquals(message, back, message.getClass().getName());
    }
  }

  @Test
  void theReplyAddressStillReachesTheAskerAfterTheTrip() {
    TestProbe<PipelineView> probe = testKit.createTestProbe();
    PipelineEntity.GetView get = new PipelineEntity.GetView(probe.ref());
    Serializer serializer = serialization.findSerializerFor(get);
    Object back =
        serialization
            .deserialize(
                serialization.serialize(get).get(),
                serializer.identifier(),
                Serializers.manifestFor(serializer, get))
            .get();
    PipelineView view = (PipelineView) messages(probe).get(3);
    ((PipelineEntity.GetView) back).replyTo().tell(view);
    probe.expectMessage(view);
  }
}
