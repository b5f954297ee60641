package dev.shoal.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time and peak memory of a process, from Linux's {@code /proc}: {@code utime + stime} of
 * {@code /proc/PID/stat} (all threads, in clock ticks) and {@code VmHWM} of {@code
 * /proc/PID/status} (the peak resident set size).
 */
public final class ProcessStats {
  private final long pid;
  private final long ticksPerSecond;

  public ProcessStats(long pid, long ticksPerSecond) {
    this.pid = pid;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** CPU seconds the process used so far, in user and kernel mode. */
  public double cpuSeconds() throws IOException {
    return (double) cpuTicks(read("stat")) / ticksPerSecond;
  }

  /**
   * CPU seconds used so far by the JVM's JIT compiler threads ({@code C1/C2 CompilerThread}) and by
   * its garbage collector threads, from {@code /proc/PID/task/TID/stat}. Threads that ended are no
   * longer counted, so this is a lower bound.
   */
  public JvmThreadsCpu jvmThreadsCpu() throws IOException {
    long jit = 0;
    long gc = 0;
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String name;
        long ticks;
        try {
          name = Files.readString(task.resolve("comm"), StandardCharsets.US_ASCII).trim();
          ticks = cpuTicks(Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII));
        } catch (IOException gone) {
          continue; // the thread ended meanwhile
        }
        if (isJit(name)) jit += ticks;
        else if (isGc(name)) gc += ticks;
      }
    }
    return new JvmThreadsCpu((double) jit / ticksPerSecond, (double) gc / ticksPerSecond);
  }

  /** CPU seconds of the JIT compiler and the garbage collector. */
  public record JvmThreadsCpu(double jitSeconds, double gcSeconds) {
    public JvmThreadsCpu minus(JvmThreadsCpu earlier) {
      return new JvmThreadsCpu(
          Math.max(0, jitSeconds - earlier.jitSeconds), Math.max(0, gcSeconds - earlier.gcSeconds));
    }
  }

  static boolean isJit(String threadName) {
    return threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler");
  }

  static boolean isGc(String threadName) {
    return threadName.startsWith("GC Thread")
        || threadName.startsWith("G1 ")
        || threadName.startsWith("ZWorker")
        || threadName.startsWith("ZDriver")
        || threadName.startsWith("Shenandoah");
  }

  /** Peak resident set size so far, in bytes. */
  public long peakRssBytes() throws IOException {
    return kib(read("status"), "VmHWM") * 1024;
  }

  private String read(String file) throws IOException {
    return Files.readString(Path.of("/proc", Long.toString(pid), file), StandardCharsets.US_ASCII);
  }

  /**
   * {@code utime + stime} of a {@code /proc/PID/stat} line. The command name (field 2) is in
   * parentheses and may hold spaces and parentheses itself, so fields are counted from the last
   * ')': after it come state (field 3) ... utime (14), stime (15).
   */
  static long cpuTicks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
    return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
  }

  /** A {@code Key: 123 kB} value of {@code /proc/PID/status}, in KiB. */
  static long kib(String status, String key) {
    for (String line : status.split("\n")) {
      if (line.startsWith(key + ":")) {
        String value = line.substring(key.length() + 1).trim();
        return Long.parseLong(value.split(" +")[0]);
      }
    }
    throw new IllegalStateException(key + " not found in /proc status");
  }

  /** Clock ticks per second ({@code getconf CLK_TCK}); 100, Linux's usual value, if unknown. */
  public static long clockTicksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
        String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        return Long.parseLong(out.trim());
      }
      getconf.destroyForcibly();
    } catch (IOException | NumberFormatException e) {
      // fall back below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
