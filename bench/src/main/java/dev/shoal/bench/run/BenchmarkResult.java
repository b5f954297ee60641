package dev.shoal.bench.run;

import java.time.LocalDate;

/**
 * What one benchmark run measured over its measurement window (after the warm-up).
 *
 * @param scenario the scenario run
 * @param load what the generator sent, in words
 * @param seconds length of the measurement window
 * @param offeredRate spans per second the generator sent
 * @param acceptedRate spans per second the node acknowledged
 * @param sinkRate spans per second the sink received from the node
 * @param bestIntervalRate the highest acknowledged rate of one report interval in the window
 * @param nodeCpuSeconds CPU (user + system) the node used in the window
 * @param nodeJitCpuSeconds of which its JIT compiler threads (a lower bound)
 * @param nodeGcCpuSeconds of which its garbage collector threads (a lower bound)
 * @param nodePeakRssBytes the node's peak resident set size (VmHWM), whole run
 * @param refusedSpans spans the node refused (retryable) in the window
 * @param failedSpans spans that failed otherwise in the window
 * @param acknowledgedTotal spans the node acknowledged over the whole run, warm-up included
 * @param deliveredTotal spans the sink had received after the node was given time to drain
 * @param benchCpuPercent CPU of the bench process itself (load generator and sink), % of one core
 * @param nodeNotes how the node was started (JVM options), or empty
 * @param machine cores and CPU model
 */
public record BenchmarkResult(
    Scenario scenario,
    String load,
    double seconds,
    double offeredRate,
    double acceptedRate,
    double sinkRate,
    double bestIntervalRate,
    double nodeCpuSeconds,
    double nodeJitCpuSeconds,
    double nodeGcCpuSeconds,
    long nodePeakRssBytes,
    long refusedSpans,
    long failedSpans,
    long acknowledgedTotal,
    long deliveredTotal,
    double benchCpuPercent,
    String nodeNotes,
    String machine) {

  /** Node CPU seconds per million accepted spans (= µs per span). */
  public double cpuSecondsPerMillionSpans() {
    double spans = acceptedRate * seconds;
    return spans > 0 ? nodeCpuSeconds / (spans / 1e6) : Double.NaN;
  }

  /** A part of the node's CPU as a percentage of all of it. */
  private double share(double cpuSeconds) {
    return nodeCpuSeconds > 0 ? 100 * cpuSeconds / nodeCpuSeconds : 0;
  }

  /** Node CPU as a percentage of one core. */
  public double nodeCpuPercent() {
    return seconds > 0 ? 100 * nodeCpuSeconds / seconds : 0;
  }

  public double nodePeakRssMiB() {
    return nodePeakRssBytes / (1024.0 * 1024.0);
  }

  /** The header of the results table in docs/BENCHMARKS.md, which {@link #markdownRow} fills. */
  public static String markdownHeader() {
    return String.join(
        "\n",
        "| date | scenario | offered spans/s | accepted spans/s | sink spans/s | node CPU s / 1M spans"
            + " | node CPU % of 1 core | node peak RSS MiB | refused spans | machine | notes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
  }

  public String markdownRow() {
    String notes =
        String.format(
            "%.0f s window; node CPU %.0f %% JIT, %.0f %% GC; delivered %,d of %,d acknowledged;"
                + " bench process %.0f %% CPU%s",
            seconds,
            share(nodeJitCpuSeconds),
            share(nodeGcCpuSeconds),
            deliveredTotal,
            acknowledgedTotal,
            benchCpuPercent,
            nodeNotes.isBlank() ? "" : "; " + nodeNotes);
    return String.format(
        "| %s | %s | %,.0f | %,.0f | %,.0f | %.2f | %.0f %% | %.0f | %,d | %s | %s |",
        LocalDate.now(),
        scenario.id(),
        offeredRate,
        acceptedRate,
        sinkRate,
        cpuSecondsPerMillionSpans(),
        nodeCpuPercent(),
        nodePeakRssMiB(),
        refusedSpans,
        machine,
        notes);
  }

  /** A readable summary for the console. */
  public String summary() {
    return String.join(
        "\n",
        "scenario " + scenario.id() + ": " + load,
        String.format("  window                %.1f s", seconds),
        String.format("  offered               %,.0f spans/s", offeredRate),
        String.format("  accepted by the node  %,.0f spans/s", acceptedRate),
        String.format("  received by the sink  %,.0f spans/s", sinkRate),
        String.format("  best 5 s interval     %,.0f spans/s acknowledged", bestIntervalRate),
        String.format(
            "  node CPU              %.2f s per million spans (µs per span), %.0f %% of one core",
            cpuSecondsPerMillionSpans(), nodeCpuPercent()),
        String.format(
            "    of which            JIT compiler %.1f s (%.0f %%), garbage collector %.1f s (%.0f %%)",
            nodeJitCpuSeconds, share(nodeJitCpuSeconds), nodeGcCpuSeconds, share(nodeGcCpuSeconds)),
        String.format("  node peak RSS         %.0f MiB", nodePeakRssMiB()),
        String.format("  refused / failed      %,d / %,d spans", refusedSpans, failedSpans),
        String.format(
            "  delivery              sink received %,d of %,d acknowledged spans after drain",
            deliveredTotal, acknowledgedTotal),
        String.format(
            "  bench process CPU     %.0f %% of one core (generator + sink)", benchCpuPercent));
  }
}
