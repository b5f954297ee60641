package dev.shoal.pipeline.output.otlp;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The little ASN.1 DER that turning PKCS#1 and SEC1 private keys into PKCS#8 takes: reading one
 * element, and writing an element around its content.
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int OCTET_STRING = 0x04;
  static final int OID = 0x06;
  static final int SEQUENCE = 0x30;
  static final int CONTEXT_0 = 0xA0;

  private Der() {}

  /** One element: its tag, and where its content starts and ends in {@code bytes}. */
  record Element(byte[] bytes, int tag, int start, int contentStart, int end) {
    byte[] content() {
      return Arrays.copyOfRange(bytes, contentStart, end);
    }

    /** The element with tag and length, as it is encoded. */
    byte[] encoded() {
      return Arrays.copyOfRange(bytes, start, end);
    }
  }

  /** Reads the element that starts at {@code offset}. */
  static Element read(byte[] bytes, int offset) {
    if (offset + 2 > bytes.length) throw new IllegalArgumentException("truncated DER");
    int tag = bytes[offset] & 0xFF;
    int first = bytes[offset + 1] & 0xFF;
    int pos = offset + 2;
    long length;
    if (first < 0x80) {
      length = first;
    } else {
      int count = first & 0x7F;
      if (count == 0 || count > 4 || pos + count > bytes.length) {
        throw new IllegalArgumentException("bad DER length");
      }
      length = 0;
      for (int i = 0; i < count; i++) length = (length << 8) | (bytes[pos++] & 0xFF);
    }
    if (pos + length > bytes.length) throw new IllegalArgumentException("truncated DER");
    return new Element(bytes, tag, offset, pos, (int) (pos + length));
  }

  /** Encodes an element of the given tag around already encoded content. */
  static byte[] element(int tag, byte[]... content) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] c : content) body.writeBytes(c);
    int length = body.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      int count = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
      out.write(0x80 | count);
      for (int i = count - 1; i >= 0; i--) out.write(length >>> (8 * i));
    }
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }
}
