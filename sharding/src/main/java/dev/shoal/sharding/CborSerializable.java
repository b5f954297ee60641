package dev.shoal.sharding;

/**
 * Marks a message that may cross the cluster. The module's {@code reference.conf} binds it to
 * Pekko's {@code jackson-cbor} serializer, so such messages are never sent with Java serialization.
 * Messages are records or enums with plain fields (strings, numbers, maps, lists, {@code Instant},
 * {@code Duration}, {@code ActorRef}); the compiler keeps parameter names ({@code -parameters}),
 * which Jackson uses to build records.
 */
public interface CborSerializable {}
