package dev.shoal.pipeline.otlp;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes OTLP/JSON, the JSON encoding of the OTLP protobuf messages.
 *
 * <p>OTLP/JSON is the standard protobuf JSON mapping except for trace and span ids, which are hex
 * instead of base64. {@code JsonFormat} does the mapping and {@link HexIds} translates the ids.
 * Other {@code bytes} fields, such as {@code AnyValue.bytesValue}, stay base64 as the spec asks.
 */
public final class OtlpJson {

  /** Receivers must accept fields from newer OTLP versions than the one Shoal was built with. */
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  /** The OTLP specification asks senders to write enums as integers. */
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace().printingEnumsAsInts();

  /**
   * Gson's {@code JsonParser} always reads leniently (single quotes, unquoted names, trailing
   * values); the element adapter honours a strict reader, so malformed bodies are refused.
   */
  private static final TypeAdapter<JsonElement> JSON_TREE =
      new Gson().getAdapter(JsonElement.class);

  private static final String GSON_LENIENCY_HINT =
      "Use JsonReader.setLenient(true) to accept malformed JSON";

  private OtlpJson() {}

  /**
   * Merges an OTLP/JSON document into {@code builder}. Field names may be lowerCamelCase or the
   * proto's snake_case; enums may be names or integers; 64-bit integers may be strings or numbers;
   * unknown fields are ignored. Trace and span ids are hex in either case; an empty string is an
   * empty id.
   *
   * @return {@code builder}, for chaining
   * @throws InvalidProtocolBufferException if the body is not UTF-8, not a JSON object, or does not
   *     fit the message; the message says where. Ids are checked before {@code builder} is touched,
   *     but other errors may leave part of the document merged, as with {@code JsonFormat}.
   */
  public static <B extends Message.Builder> B merge(byte[] utf8Json, B builder)
      throws InvalidProtocolBufferException {
    JsonObject tree = parseObject(utf8Json);
    HexIds.hexToBase64(tree, builder.getDescriptorForType());
    // JsonFormat reads only text, so the tree is written out once more for it.
    PARSER.merge(tree.toString(), builder);
    return builder;
  }

  /**
   * Prints {@code message} as one line of OTLP/JSON: lowerCamelCase names, lowercase hex ids, enums
   * as integers, 64-bit integers as strings, default values left out.
   *
   * @throws IllegalArgumentException if a trace or span id has a length other than the one OTLP
   *     requires (or empty), since {@link #merge} would refuse the output
   */
  public static String print(MessageOrBuilder message) {
    Message built =
        message instanceof Message.Builder builder ? builder.buildPartial() : (Message) message;
    try {
      return PRINTER.print(HexIds.printableAsHex(built));
    } catch (InvalidProtocolBufferException e) {
      // JsonFormat only fails on google.protobuf.Any with an unregistered type; OTLP has none.
      throw new IllegalArgumentException("Cannot print " + built.getDescriptorForType(), e);
    }
  }

  private static JsonObject parseObject(byte[] utf8Json) throws InvalidProtocolBufferException {
    JsonReader reader =
        new JsonReader(
            new InputStreamReader(
                new ByteArrayInputStream(utf8Json), StandardCharsets.UTF_8.newDecoder()));
    reader.setLenient(false);
    JsonElement tree;
    boolean trailingData;
    try {
      tree = JSON_TREE.read(reader);
      // A strict reader calls anything after the value "malformed"; say what it is instead.
      reader.setLenient(true);
      trailingData = reader.peek() != JsonToken.END_DOCUMENT;
    } catch (CharacterCodingException e) {
      throw new InvalidProtocolBufferException("Invalid OTLP/JSON: the body is not valid UTF-8");
    } catch (IOException e) {
      throw new InvalidProtocolBufferException("Invalid OTLP/JSON: " + withoutGsonHint(e));
    }
    if (trailingData) {
      throw new InvalidProtocolBufferException(
          "Invalid OTLP/JSON: unexpected data after the top-level value");
    }
    if (!tree.isJsonObject()) {
      throw new InvalidProtocolBufferException(
          "Invalid OTLP/JSON: the top-level value must be an object");
    }
    return tree.getAsJsonObject();
  }

  /** Gson's advice to its own callers would only confuse whoever sent the body. */
  private static String withoutGsonHint(IOException e) {
    String message = String.valueOf(e.getMessage());
    return message.startsWith(GSON_LENIENCY_HINT)
        ? "malformed JSON" + message.substring(GSON_LENIENCY_HINT.length())
        : message;
  }
}
