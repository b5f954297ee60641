package dev.shoal.pipeline.durable;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The bytes of a segment file: a header naming the format, then records one after the other.
 *
 * <pre>
 * header : "SHQ1" (4 bytes) | format version (int32, 1)
 * record : payload length (int32) | CRC32C of items and payload (int32) | items (int32) | payload
 * </pre>
 *
 * <p>The payload is an encoded {@code Export*ServiceRequest} as it was received. A record is valid
 * when its length fits in the file and its checksum matches; the first invalid record ends what is
 * read from a segment.
 */
final class SegmentFormat {
  static final int MAGIC = 0x53485131; // "SHQ1"
  static final int VERSION = 1;
  static final int HEADER_BYTES = 8;
  static final int RECORD_HEADER_BYTES = 12;

  /** Larger payloads are taken for corruption: no request the receivers admit comes near it. */
  static final int MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;

  private SegmentFormat() {}

  static ByteBuffer header() {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
    b.putInt(MAGIC).putInt(VERSION).flip();
    return b;
  }

  static boolean validHeader(ByteBuffer header) {
    return header.remaining() >= HEADER_BYTES
        && header.getInt(header.position()) == MAGIC
        && header.getInt(header.position() + 4) == VERSION;
  }

  /** The bytes a record of this payload takes in a segment. */
  static long recordBytes(long payloadBytes) {
    return RECORD_HEADER_BYTES + payloadBytes;
  }

  /** The header of a record, ready to be written before its payload. */
  static ByteBuffer recordHeader(int items, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_BYTES);
    b.putInt(payload.length).putInt(checksum(items, payload, 0, payload.length)).putInt(items);
    return b.flip();
  }

  static int checksum(int items, byte[] payload, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(items >>> 24);
    crc.update(items >>> 16);
    crc.update(items >>> 8);
    crc.update(items);
    crc.update(payload, offset, length);
    return (int) crc.getValue();
  }
}
