package dev.shoal.pipeline.durable;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the records of one segment file in order, from a given offset, and stops at its end or at
 * the first record that is not valid ({@link SegmentFormat}). Holds one open file and a 64 KiB
 * buffer; not thread-safe.
 */
final class SegmentReader implements AutoCloseable {
  /** A valid record and the offset just after it. */
  record Record(int items, byte[] payload, long end) {}

  /** Why reading stopped before the end of the file. */
  enum Problem {
    /** No problem: the file ended after a whole record (or reading has not stopped). */
    NONE,
    /** The last record is cut short: the file ends inside it. */
    TORN,
    /** A record's length is impossible or its checksum does not match. */
    CORRUPT
  }

  private final FileChannel channel;
  private final DataInputStream in;
  private final long size;
  private long position;
  private Problem problem = Problem.NONE;
  private String problemText = "";

  SegmentReader(Path file, long from) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.READ);
    size = channel.size();
    channel.position(from);
    InputStream raw = Channels.newInputStream(channel);
    in = new DataInputStream(new BufferedInputStream(raw, 64 * 1024));
    position = from;
  }

  /** The next valid record, or null at the end of the file or at a record that is not valid. */
  Record next() throws IOException {
    if (problem != Problem.NONE) return null;
    long remaining = size - position;
    if (remaining == 0) return null;
    if (remaining < SegmentFormat.RECORD_HEADER_BYTES) {
      return stop(Problem.TORN, "the file ends inside a record header");
    }
    int length = in.readInt();
    int crc = in.readInt();
    int items = in.readInt();
    if (length < 0 || length > SegmentFormat.MAX_PAYLOAD_BYTES || items < 0) {
      return stop(Problem.CORRUPT, "a record header holds an impossible length " + length);
    }
    if (remaining < SegmentFormat.recordBytes(length)) {
      return stop(Problem.TORN, "the file ends inside a record of " + length + " bytes");
    }
    byte[] payload = new byte[length];
    try {
      in.readFully(payload);
    } catch (EOFException e) {
      return stop(Problem.TORN, "the file ended while a record was read");
    }
    if (SegmentFormat.checksum(items, payload, 0, length) != crc) {
      return stop(Problem.CORRUPT, "a record's checksum does not match its bytes");
    }
    position += SegmentFormat.recordBytes(length);
    return new Record(items, payload, position);
  }

  private Record stop(Problem p, String text) {
    problem = p;
    problemText = text + " at offset " + position;
    return null;
  }

  /** The offset just after the last valid record read. */
  long position() {
    return position;
  }

  long size() {
    return size;
  }

  Problem problem() {
    return problem;
  }

  String problemText() {
    return problemText;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
