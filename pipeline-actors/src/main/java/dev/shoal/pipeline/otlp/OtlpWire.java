package dev.shoal.pipeline.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads encoded OTLP export requests on the protobuf wire, without building messages: counts their
 * items (spans, metric data points, log records) and finds where each resource lies and what one of
 * its attributes says. Only the nesting that leads to the items is entered; everything else is
 * skipped unread. Counts equal those of the decoded message ({@link ItemCounts}), at a fraction of
 * the cost and with no allocation per item.
 *
 * <p>Reading checks the wire structure of the request down to the fields of every item: tags,
 * lengths and nesting must be consistent, or {@link InvalidProtocolBufferException} says where it
 * broke. The contents of an item's fields are not decoded.
 *
 * <p>Field numbers are those of opentelemetry-proto, the same for the three signals: a request
 * holds resources (1); a resource holds its {@code Resource} (1) and scopes (2); a scope holds
 * spans / metrics / log records (2). A {@code Resource} holds attributes (1), each a key (1) and a
 * value (2) whose string is field 1. A metric holds one of gauge (5), sum (7), histogram (9),
 * exponential histogram (10) and summary (11), each holding data points (1).
 */
public final class OtlpWire {
  private static final int RESOURCES = 1;
  private static final int RESOURCE = 1;
  private static final int SCOPES = 2;
  private static final int ITEMS = 2;
  private static final int ATTRIBUTES = 1;
  private static final int KEY = 1;
  private static final int VALUE = 2;
  private static final int STRING_VALUE = 1;
  private static final int DATA_POINTS = 1;
  private static final int GAUGE = 5;
  private static final int SUM = 7;
  private static final int HISTOGRAM = 9;
  private static final int EXPONENTIAL_HISTOGRAM = 10;
  private static final int SUMMARY = 11;

  private OtlpWire() {}

  /** Items in an encoded export request of the signal. */
  public static int countItems(Signal signal, byte[] bytes) throws InvalidProtocolBufferException {
    return countItems(signal, bytes, 0, bytes.length);
  }

  /** Items in {@code length} bytes of {@code bytes} from {@code offset}. */
  public static int countItems(Signal signal, byte[] bytes, int offset, int length)
      throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
    try {
      long n = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (!isMessage(tag, RESOURCES)) {
          in.skipField(tag);
          continue;
        }
        int limit = enter(in);
        n += resourceItems(signal, in, null, null);
        in.popLimit(limit);
      }
      return Math.toIntExact(n);
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException | ArithmeticException e) {
      throw new InvalidProtocolBufferException(e.getMessage());
    }
  }

  /**
   * The resources of an encoded request in order: where each lies (its whole field, tag included,
   * so that slices concatenate into a valid request), its items, and the string value of the
   * resource attribute {@code attributeKey} (null when absent or not a string).
   */
  public static List<ResourceSlice> resources(Signal signal, byte[] bytes, String attributeKey)
      throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    List<ResourceSlice> slices = new ArrayList<>(2);
    String[] attribute = new String[1];
    try {
      while (true) {
        int start = in.getTotalBytesRead();
        int tag = in.readTag();
        if (tag == 0) break;
        if (!isMessage(tag, RESOURCES)) {
          in.skipField(tag);
          continue;
        }
        int limit = enter(in);
        attribute[0] = null;
        long items = resourceItems(signal, in, attributeKey, attribute);
        in.popLimit(limit);
        int end = in.getTotalBytesRead();
        slices.add(new ResourceSlice(start, end - start, Math.toIntExact(items), attribute[0]));
      }
      return slices;
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException | ArithmeticException e) {
      throw new InvalidProtocolBufferException(e.getMessage());
    }
  }

  /**
   * Where one resource lies in an encoded request.
   *
   * @param offset where its field (tag included) starts
   * @param length the field's length in bytes
   * @param items its spans, data points or log records
   * @param attribute the value of the attribute asked for, or null
   */
  public record ResourceSlice(int offset, int length, int items, String attribute) {}

  /** Items of one resource; reads the wanted attribute of its {@code Resource} on the way. */
  private static long resourceItems(
      Signal signal, CodedInputStream in, String attributeKey, String[] attribute)
      throws IOException {
    long n = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (attributeKey != null && isMessage(tag, RESOURCE)) {
        int limit = enter(in);
        String value = stringAttribute(in, attributeKey);
        if (value != null) attribute[0] = value;
        in.popLimit(limit);
      } else if (isMessage(tag, SCOPES)) {
        int limit = enter(in);
        n += signal == Signal.METRICS ? scopeDataPoints(in) : scopeItems(in);
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
    return n;
  }

  /** The string value of the attribute with the key among a {@code Resource}'s, or null. */
  private static String stringAttribute(CodedInputStream in, String key) throws IOException {
    String found = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (!isMessage(tag, ATTRIBUTES)) {
        in.skipField(tag);
        continue;
      }
      int limit = enter(in);
      String k = null;
      String v = null;
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        if (isMessage(t, KEY)) {
          k = in.readStringRequireUtf8();
        } else if (isMessage(t, VALUE)) {
          int value = enter(in);
          v = anyValueString(in);
          in.popLimit(value);
        } else {
          in.skipField(t);
        }
      }
      in.popLimit(limit);
      if (key.equals(k)) found = v;
    }
    return found;
  }

  /** The string of an {@code AnyValue}, or null when it holds something else. */
  private static String anyValueString(CodedInputStream in) throws IOException {
    String s = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (isMessage(tag, STRING_VALUE)) {
        s = in.readStringRequireUtf8();
      } else {
        // Another member of the oneof: the last one read wins, as in protobuf's parser.
        s = null;
        in.skipField(tag);
      }
    }
    return s;
  }

  /** Spans or log records of one scope; each item's own fields are checked, not decoded. */
  private static long scopeItems(CodedInputStream in) throws IOException {
    long n = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (isMessage(tag, ITEMS)) {
        n++;
        int limit = enter(in);
        skipAll(in);
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
    return n;
  }

  /** Data points of the metrics of one scope. */
  private static long scopeDataPoints(CodedInputStream in) throws IOException {
    long n = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (isMessage(tag, ITEMS)) {
        int limit = enter(in);
        n += metricDataPoints(in);
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
    return n;
  }

  /**
   * The data points of one metric. Its data is a oneof: when several of its fields occur, the last
   * one wins, and a repeated occurrence of the same field is merged (its points add up), exactly as
   * protobuf's own parser does.
   */
  private static long metricDataPoints(CodedInputStream in) throws IOException {
    int lastField = 0;
    long points = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (!isMetricData(field) || !isMessage(tag, field)) {
        in.skipField(tag);
        continue;
      }
      int data = enter(in);
      long n = 0;
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        if (isMessage(t, DATA_POINTS)) {
          n++;
          int point = enter(in);
          skipAll(in);
          in.popLimit(point);
        } else {
          in.skipField(t);
        }
      }
      in.popLimit(data);
      if (field == lastField) {
        points += n;
      } else {
        lastField = field;
        points = n;
      }
    }
    return points;
  }

  private static boolean isMetricData(int field) {
    return field == GAUGE
        || field == SUM
        || field == HISTOGRAM
        || field == EXPONENTIAL_HISTOGRAM
        || field == SUMMARY;
  }

  /** Skips every field up to the current limit, checking that each is well formed. */
  private static void skipAll(CodedInputStream in) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) in.skipField(tag);
  }

  private static boolean isMessage(int tag, int field) {
    return WireFormat.getTagFieldNumber(tag) == field
        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  /** Enters the length-delimited field whose tag was just read; returns the limit to restore. */
  private static int enter(CodedInputStream in) throws IOException {
    int length = in.readRawVarint32();
    if (length < 0) throw new InvalidProtocolBufferException("negative length");
    return in.pushLimit(length);
  }
}
