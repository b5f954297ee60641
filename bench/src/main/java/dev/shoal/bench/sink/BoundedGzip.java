package dev.shoal.bench.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Inflates gzip bodies up to a limit, so a small compressed request cannot take the memory. */
final class BoundedGzip {
  private static final int CHUNK = 64 * 1024;

  private BoundedGzip() {}

  /** The inflated bytes; fails with {@link TooLarge} once more than {@code limit} come out. */
  static byte[] inflate(InputStream compressed, long limit) throws IOException {
    try (InputStream in = new GZIPInputStream(compressed, CHUNK)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK);
      byte[] chunk = new byte[CHUNK];
      long total = 0;
      for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
        total += n;
        if (total > limit) throw new TooLarge(limit);
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** A request that would be larger than the sink takes. */
  static final class TooLarge extends IOException {
    TooLarge(long limit) {
      super("request exceeds " + limit + " bytes");
    }
  }
}
