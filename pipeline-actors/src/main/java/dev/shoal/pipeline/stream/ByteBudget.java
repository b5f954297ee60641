package dev.shoal.pipeline.stream;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes a pipeline may hold, reserved when a request enters and released when its batch has left
 * through the output. Lock-free; safe from any thread.
 */
final class ByteBudget {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  ByteBudget(long capacity) {
    this.capacity = capacity;
  }

  /**
   * Reserves {@code bytes} if they fit. When nothing is reserved anything fits, so that a request
   * larger than the whole budget is not refused forever.
   */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = used.get();
      if (now > 0 && now + bytes > capacity) return false;
      if (used.compareAndSet(now, now + bytes)) return true;
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  long used() {
    return used.get();
  }

  long capacity() {
    return capacity;
  }
}
