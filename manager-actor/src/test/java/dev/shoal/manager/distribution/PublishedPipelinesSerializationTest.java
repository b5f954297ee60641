package dev.shoal.manager.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.serialization.JavaSerializer;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The published configuration crosses the cluster inside a Distributed Data register: the register
 * through Pekko's own serializer, the configuration in it through jackson-cbor. Both trips keep
 * every setting.
 */
class PublishedPipelinesSerializationTest {
  private static ActorTestKit testKit;
  private static Serialization serialization;

  private static final PublishedPipelines CONFIGURATION =
      new PublishedPipelines(
          42,
          "the pipelines folder /etc/shoal",
          1_780_000_000_123L,
          List.of(
              SamplePipelines.otlp("traces-to-tempo", "https://tempo.example:4318"),
              SamplePipelines.debug("logs-debug", Path.of("/var/lib/shoal/debug"))));

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("serialization");
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void theConfigurationRoundTripsThroughJacksonCbor() {
    Serializer serializer = serialization.findSerializerFor(CONFIGURATION);
    assertEquals(
        testKit.system().settings().config().getString("pekko.actor.serializers.jackson-cbor"),
        serializer.getClass().getName());
    assertEquals(CONFIGURATION, roundTrip(CONFIGURATION));
  }

  @Test
  void theRegisterHoldingItRoundTripsWithTheConfigurationInside() {
    SelfUniqueAddress node =
        new SelfUniqueAddress(
            new UniqueAddress(new Address("pekko", "shoal", "10.0.0.7", 25520), 7L));
    LWWRegister<PublishedPipelines> register = LWWRegister.create(node, CONFIGURATION);
    Serializer serializer = serialization.findSerializerFor(register);
    assertNotEquals(JavaSerializer.class, serializer.getClass());

    @SuppressWarnings("unchecked")
    LWWRegister<PublishedPipelines> back = (LWWRegister<PublishedPipelines>) roundTrip(register);

    assertEquals(CONFIGURATION, back.getValue());
    assertEquals(register.timestamp(), back.timestamp());
  }

  private static Object roundTrip(Object message) {
    Serializer serializer = serialization.findSerializerFor(message);
    byte[] bytes = serialization.serialize(message).get();
    return serialization
        .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message))
        .get();
  }
}
