package dev.shoal.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of one subcommand: {@code --name value} or {@code --name=value}. Every option takes a
 * value; unknown options and options without a value are errors that say what is wrong.
 */
public final class CommandLine {
  private final Map<String, String> values;

  private CommandLine(Map<String, String> values) {
    this.values = values;
  }

  /** Parses {@code args}, accepting only the option names in {@code known} (without "--"). */
  public static CommandLine parse(String[] args, Set<String> known) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + arg);
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        value = args[++i];
      }
      if (!known.contains(name)) throw new IllegalArgumentException("unknown option --" + name);
      values.put(name, value);
    }
    return new CommandLine(values);
  }

  public Optional<String> string(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  public String required(String name) {
    return string(name)
        .orElseThrow(() -> new IllegalArgumentException("--" + name + " is required"));
  }

  public int integer(String name, int fallback) {
    String v = values.get(name);
    if (v == null) return fallback;
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, not " + v);
    }
  }

  public double number(String name, double fallback) {
    String v = values.get(name);
    if (v == null) return fallback;
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, not " + v);
    }
  }

  public Duration duration(String name, Duration fallback) {
    String v = values.get(name);
    if (v == null) return fallback;
    try {
      return parseDuration(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + name + ": " + e.getMessage());
    }
  }

  /** "60s", "500ms", "2m", "1h"; a bare number is seconds. */
  public static Duration parseDuration(String text) {
    String v = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms"))
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      if (v.endsWith("s"))
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      if (v.endsWith("m"))
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      if (v.endsWith("h")) return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
      return Duration.ofSeconds(Long.parseLong(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "not a duration: " + text + " (use e.g. 500ms, 60s, 2m, 1h)");
    }
  }
}
