package dev.shoal.pipeline.enrich;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What enrichment needs to know of one resource of an encoded request ({@code ResourceSpans},
 * {@code ResourceMetrics} or {@code ResourceLogs}): where its {@code Resource} message lies, which
 * attribute keys it has, the values it is associated by, and where a {@code service.name} that
 * names no service lies. Only the {@code Resource} is entered; the scopes are skipped unread.
 *
 * <p>Offsets are absolute positions in the request's bytes.
 */
final class ResourceReading {
  private static final int RESOURCE = 1;
  private static final int ATTRIBUTES = 1;
  private static final int KEY = 1;
  private static final int VALUE = 2;
  private static final int STRING_VALUE = 1;

  /**
   * Where the (last) {@code Resource} field starts, tag included; -1 when the resource has none.
   */
  int resourceFieldStart = -1;

  /** Where that field's content starts and ends. */
  int resourceContentStart;

  int resourceContentEnd;

  /** Attribute keys present, in any {@code Resource} field of the resource. */
  final List<String> keys = new ArrayList<>(16);

  String podUid;
  String podIp;
  String serviceName;

  /** Start and end of each {@code service.name} attribute (tag included), in pairs. */
  final List<Integer> serviceNameRanges = new ArrayList<>(2);

  private ResourceReading() {}

  /** Reads the resource whose message content is {@code bytes[start, end)}. */
  static ResourceReading read(byte[] bytes, int start, int end) throws IOException {
    ResourceReading r = new ResourceReading();
    CodedInputStream in = CodedInputStream.newInstance(bytes, start, end - start);
    while (true) {
      int fieldStart = start + in.getTotalBytesRead();
      int tag = in.readTag();
      if (tag == 0) break;
      if (!isMessage(tag, RESOURCE)) {
        in.skipField(tag);
        continue;
      }
      int length = in.readRawVarint32();
      int contentStart = start + in.getTotalBytesRead();
      int limit = in.pushLimit(length);
      r.resourceFieldStart = fieldStart;
      r.resourceContentStart = contentStart;
      r.resourceContentEnd = contentStart + length;
      r.serviceNameRanges.clear(); // only the edited Resource's own are dropped
      r.readAttributes(in, start);
      in.popLimit(limit);
    }
    return r;
  }

  private void readAttributes(CodedInputStream in, int base) throws IOException {
    while (true) {
      int attributeStart = base + in.getTotalBytesRead();
      int tag = in.readTag();
      if (tag == 0) break;
      if (!isMessage(tag, ATTRIBUTES)) {
        in.skipField(tag);
        continue;
      }
      int limit = in.pushLimit(in.readRawVarint32());
      String key = null;
      String value = null;
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        if (isMessage(t, KEY)) {
          key = in.readStringRequireUtf8();
        } else if (isMessage(t, VALUE)) {
          int valueLimit = in.pushLimit(in.readRawVarint32());
          value = anyValueString(in);
          in.popLimit(valueLimit);
        } else {
          in.skipField(t);
        }
      }
      in.popLimit(limit);
      int attributeEnd = base + in.getTotalBytesRead();
      if (key == null) continue;
      keys.add(key);
      switch (key) {
        case PodAttributes.POD_UID -> podUid = value;
        case PodAttributes.POD_IP -> podIp = IpAddresses.normalize(value);
        case PodAttributes.SERVICE_NAME -> {
          serviceName = value;
          serviceNameRanges.add(attributeStart);
          serviceNameRanges.add(attributeEnd);
        }
        default -> {}
      }
    }
  }

  /** The string of an {@code AnyValue}, or null when it holds something else. */
  private static String anyValueString(CodedInputStream in) throws IOException {
    String s = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (isMessage(tag, STRING_VALUE)) {
        s = in.readStringRequireUtf8();
      } else {
        s = null; // another member of the oneof: the last one read wins
        in.skipField(tag);
      }
    }
    return s;
  }

  boolean hasKey(String key) {
    return keys.contains(key);
  }

  private static boolean isMessage(int tag, int field) {
    return WireFormat.getTagFieldNumber(tag) == field
        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }
}
