package dev.shoal.pipeline.otlp;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place where OTLP/JSON departs from the standard protobuf JSON mapping: trace and span ids
 * are hex strings, not base64. {@link OtlpJson} lets {@code JsonFormat} do everything else and uses
 * this class to translate the id fields on the way in and out.
 *
 * <p>Both translations walk only the fields that can lead to an id (found from the descriptors once
 * per message type), so attributes, bodies and data point values are never visited.
 */
final class HexIds {

  /** Byte length of each id field, by proto field name; OTLP uses these names only for ids. */
  private static final Map<String, Integer> ID_LENGTHS =
      Map.of("trace_id", 16, "span_id", 8, "parent_span_id", 8);

  private static final HexFormat HEX = HexFormat.of();
  private static final int MAX_QUOTED_VALUE = 64;
  private static final Map<Descriptor, List<FieldDescriptor>> ROUTES = new ConcurrentHashMap<>();

  private HexIds() {}

  /**
   * Replaces every hex id under {@code json}, a message of {@code type}, by its base64 form so that
   * {@code JsonFormat} reads the right bytes. Ids are checked before anything is replaced in the
   * caller's builder, so a bad id leaves the builder untouched.
   */
  static void hexToBase64(JsonObject json, Descriptor type) throws InvalidProtocolBufferException {
    for (FieldDescriptor field : routesIn(type)) {
      // JsonFormat accepts both spellings of a field name, so both must be translated.
      hexToBase64(json, field.getJsonName(), field);
      if (!field.getName().equals(field.getJsonName())) {
        hexToBase64(json, field.getName(), field);
      }
    }
  }

  private static void hexToBase64(JsonObject json, String key, FieldDescriptor field)
      throws InvalidProtocolBufferException {
    JsonElement value = json.get(key);
    if (value == null || value.isJsonNull()) {
      return;
    }
    if (isId(field)) {
      json.addProperty(key, Base64.getEncoder().encodeToString(parseHex(value, key, field)));
    } else if (value.isJsonArray()) {
      for (JsonElement element : value.getAsJsonArray()) {
        if (element.isJsonObject()) {
          hexToBase64(element.getAsJsonObject(), field.getMessageType());
        }
      }
    } else if (value.isJsonObject()) {
      hexToBase64(value.getAsJsonObject(), field.getMessageType());
    }
    // Any other shape is wrong for a message field; JsonFormat rejects it, naming the field.
  }

  private static byte[] parseHex(JsonElement value, String key, FieldDescriptor field)
      throws InvalidProtocolBufferException {
    String name = field.getContainingType().getName() + "." + key;
    int length = ID_LENGTHS.get(field.getName());
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new InvalidProtocolBufferException(
          name + " must be a hex string, found " + quoted(value.toString()));
    }
    String hex = value.getAsString();
    if (hex.isEmpty()) {
      return new byte[0];
    }
    if (hex.length() != 2 * length) {
      throw new InvalidProtocolBufferException(
          name + " must be " + 2 * length + " hex digits, found " + quoted(hex));
    }
    try {
      return HEX.parseHex(hex);
    } catch (IllegalArgumentException notHex) {
      throw new InvalidProtocolBufferException(
          name + " must be " + 2 * length + " hex digits, found " + quoted(hex));
    }
  }

  private static String quoted(String value) {
    String shown =
        value.length() <= MAX_QUOTED_VALUE ? value : value.substring(0, MAX_QUOTED_VALUE) + "...";
    return "\"" + shown + "\"";
  }

  /**
   * Returns {@code message} with each id replaced by the bytes whose base64 form is the id's
   * lowercase hex, so that {@code JsonFormat}, which prints bytes as base64, prints the hex. This
   * works because hex digits are base64 characters and an 8 or 16 byte id has a hex length that is
   * a multiple of four, which base64 decodes without padding and re-encodes to the same text. Only
   * the messages on the way to an id are rebuilt, and only when they hold one.
   *
   * @throws IllegalArgumentException if an id has a length OTLP forbids; {@link OtlpJson#merge}
   *     would refuse it, so printing it would not round-trip
   */
  static Message printableAsHex(Message message) {
    Message.Builder rewritten = null;
    for (FieldDescriptor field : routesIn(message.getDescriptorForType())) {
      if (isId(field)) {
        ByteString id = (ByteString) message.getField(field);
        if (!id.isEmpty()) {
          rewritten = rewritten != null ? rewritten : message.toBuilder();
          rewritten.setField(field, base64Disguise(id, field));
        }
      } else if (field.isRepeated()) {
        for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
          Message child = (Message) message.getRepeatedField(field, i);
          Message printable = printableAsHex(child);
          if (printable != child) {
            rewritten = rewritten != null ? rewritten : message.toBuilder();
            rewritten.setRepeatedField(field, i, printable);
          }
        }
      } else if (message.hasField(field)) {
        Message child = (Message) message.getField(field);
        Message printable = printableAsHex(child);
        if (printable != child) {
          rewritten = rewritten != null ? rewritten : message.toBuilder();
          rewritten.setField(field, printable);
        }
      }
    }
    return rewritten == null ? message : rewritten.build();
  }

  private static ByteString base64Disguise(ByteString id, FieldDescriptor field) {
    int length = ID_LENGTHS.get(field.getName());
    if (id.size() != length) {
      throw new IllegalArgumentException(
          field.getFullName()
              + " holds "
              + id.size()
              + " bytes but OTLP ids are "
              + length
              + " bytes or empty, so it has no OTLP/JSON form");
    }
    return ByteString.copyFrom(Base64.getDecoder().decode(HEX.formatHex(id.toByteArray())));
  }

  /** The fields of {@code type} that are ids or lead to messages holding ids; mostly none. */
  private static List<FieldDescriptor> routesIn(Descriptor type) {
    List<FieldDescriptor> routes = ROUTES.get(type);
    if (routes == null) {
      // Computed outside the map because finding routes looks at other types; a racing
      // thread computes the same list, so either copy may win.
      routes = findRoutes(type);
      ROUTES.putIfAbsent(type, routes);
    }
    return routes;
  }

  private static List<FieldDescriptor> findRoutes(Descriptor type) {
    List<FieldDescriptor> routes = new ArrayList<>();
    for (FieldDescriptor field : type.getFields()) {
      if (isId(field) || (isMessage(field) && reachesId(field.getMessageType(), new HashSet<>()))) {
        routes.add(field);
      }
    }
    return List.copyOf(routes);
  }

  private static boolean reachesId(Descriptor type, Set<Descriptor> seen) {
    if (!seen.add(type)) {
      return false;
    }
    for (FieldDescriptor field : type.getFields()) {
      if (isId(field) || (isMessage(field) && reachesId(field.getMessageType(), seen))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isId(FieldDescriptor field) {
    return field.getType() == FieldDescriptor.Type.BYTES
        && !field.isRepeated()
        && ID_LENGTHS.containsKey(field.getName());
  }

  /** Map fields are left out: JSON writes them as objects, and OTLP has none. */
  private static boolean isMessage(FieldDescriptor field) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField();
  }
}
