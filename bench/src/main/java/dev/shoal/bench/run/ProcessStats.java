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
