package dev.shoal.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shoal.pipeline.prometheus.ScrapeTarget;
import dev.shoal.sharding.ScrapeTargetEntity.TargetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scrape-target messages, and the target definitions the replicated desired set holds, go
 * through jackson-cbor and back unchanged.
 */
class ScrapeMessageSerializationTest {
  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("scrape-serialization");
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static final ScrapeTarget STATIC =
      ScrapeTarget.staticTarget(
          "http://127.0.0.1:9100/metrics", Set.of("a", "b"), Duration.ofSeconds(15));
  static final ScrapeTarget HTTPS =
      new ScrapeTarget(
          "shop/pod/cart-7d9f/8443/metrics",
          "https://10.1.2.3:8443/metrics",
          "cart",
          Set.of("metrics"),
          Duration.ofSeconds(30),
          Duration.ofSeconds(10),
          false,
          "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
          20L << 20,
          50_000);

  static Object roundTrip(Object message) {
    Serializer serializer = serialization.findSerializerFor(message);
    assertEquals(
        testKit.system().settings().config().getString("pekko.actor.serializers.jackson-cbor"),
        serializer.getClass().getName(),
        message.getClass().getName());
    byte[] bytes = serialization.serialize(message).get();
    return serialization
        .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message))
        .get();
  }

  @Test
  void everyMessageRoundTripsThroughJacksonCbor() {
    TestProbe<TargetStatus> probe = testKit.createTestProbe();
    List<Object> messages =
        List.of(
            STATIC,
            HTTPS,
            new ScrapeTargetEntity.Configure(STATIC),
            new ScrapeTargetEntity.Configure(HTTPS),
            ScrapeTargetEntity.Stop.INSTANCE,
            new ScrapeTargetEntity.GetStatus(probe.ref()),
            new TargetStatus(
                STATIC.id(),
                STATIC.url(),
                "pekko://shoal@10.0.0.1:25520",
                true,
                Instant.parse("2026-03-04T05:06:07.123Z"),
                "HTTP status 500",
                1234,
                10,
                1,
                0,
                "ACCEPTED"),
            new TargetStatus("x", null, "m", false, null, null, 0, 0, 0, 0, "ACCEPTED"));
    for (Object message : messages) {
      assertEquals(message, roundTrip(message), message.getClass().getName());
    }
  }

  @Test
  void theStatusReplyReachesTheAskerAfterTheTrip() {
    TestProbe<TargetStatus> probe = testKit.createTestProbe();
    var back =
        (ScrapeTargetEntity.GetStatus) roundTrip(new ScrapeTargetEntity.GetStatus(probe.ref()));
    TargetStatus status =
        new TargetStatus("x", null, "m", false, null, null, 0, 0, 0, 0, "ACCEPTED");
    back.replyTo().tell(status);
    probe.expectMessage(status);
  }
}
