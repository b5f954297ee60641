package dev.shoal.bench;

import dev.shoal.bench.enrich.EnrichmentCostCommand;
import dev.shoal.bench.load.LoadCommand;
import dev.shoal.bench.run.RunCommand;
import dev.shoal.bench.run.ScrapeLoadCommand;
import dev.shoal.bench.scrape.ScrapeParseCommand;
import dev.shoal.bench.sink.SinkCommand;
import java.util.Arrays;

/**
 * {@code java -jar shoal-bench.jar sink|load|run|enrichment|scrape-parse|scrape-load [options]}.
 * Exit status: 0 on success, 2 for a bad command line, 1 when the benchmark itself failed.
 */
public final class Main {
  static final String USAGE =
      String.join(
          "\n",
          "Usage: java -jar shoal-bench.jar COMMAND [options]",
          "",
          SinkCommand.USAGE,
          "",
          LoadCommand.USAGE,
          "",
          RunCommand.USAGE,
          "",
          EnrichmentCostCommand.USAGE,
          ScrapeParseCommand.USAGE,
          "",
          ScrapeLoadCommand.USAGE,
          "",
          "Durations: 500ms, 60s, 2m. See docs/BENCHMARKS.md.");

  private Main() {}

  public static void main(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(USAGE);
      return;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "sink" -> SinkCommand.run(rest);
        case "load" -> LoadCommand.run(rest);
        case "run" -> RunCommand.run(rest);
        case "enrichment" -> EnrichmentCostCommand.run(rest);
        case "scrape-parse" -> ScrapeParseCommand.run(rest);
        case "scrape-load" -> ScrapeLoadCommand.run(rest);
        default -> throw new IllegalArgumentException("unknown command " + args[0]);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("shoal-bench: " + e.getMessage());
      System.err.println("Run with --help for the commands and their options.");
      System.exit(2);
    } catch (Exception e) {
      System.err.println("shoal-bench: " + e.getMessage());
      System.exit(1);
    }
    System.exit(0);
  }
}
