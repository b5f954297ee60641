package dev.shoal.bench.sink;

import java.util.Locale;

/**
 * How the sink answers export requests. Only {@link Kind#OK} and {@link Kind#DELAY} accept (and
 * count) what they receive.
 *
 * @param kind what the sink does
 * @param delayMillis for {@link Kind#DELAY}: how long each answer is held back
 */
public record SinkMode(Kind kind, long delayMillis) {
  public static final SinkMode OK = new SinkMode(Kind.OK, 0);
  public static final String CHOICES = "ok|fail-503|throttle-429|reject-400|delay:MS|hang|drop";

  public enum Kind {
    /** Accepts: HTTP 200 / gRPC OK. */
    OK,
    /** A retryable failure: HTTP 503 / gRPC UNAVAILABLE. */
    FAIL_503,
    /** Throttling: HTTP 429 with Retry-After: 1 / gRPC RESOURCE_EXHAUSTED with RetryInfo 1 s. */
    THROTTLE_429,
    /** A permanent rejection: HTTP 400 / gRPC INVALID_ARGUMENT. */
    REJECT_400,
    /** Accepts, answering only after {@code delayMillis}. */
    DELAY,
    /** Never answers; the client's timeout (or the server's request timeout) ends the request. */
    HANG,
    /**
     * Cuts the connection that carries the request, without answering (a TCP reset), also for
     * gRPC's HTTP/2 connections: the client sees its connection lost.
     */
    DROP
  }

  public SinkMode {
    if (delayMillis < 0) throw new IllegalArgumentException("a delay cannot be negative");
  }

  /** Whether requests are accepted and counted in this mode. */
  public boolean accepts() {
    return kind == Kind.OK || kind == Kind.DELAY;
  }

  /** Parses the command-line form: {@value #CHOICES}. */
  public static SinkMode parse(String text) {
    String v = text.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("delay:")) {
      try {
        return new SinkMode(Kind.DELAY, Long.parseLong(v.substring("delay:".length())));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("delay needs milliseconds, e.g. delay:200, not " + text);
      }
    }
    return switch (v) {
      case "ok" -> OK;
      case "fail-503" -> new SinkMode(Kind.FAIL_503, 0);
      case "throttle-429" -> new SinkMode(Kind.THROTTLE_429, 0);
      case "reject-400" -> new SinkMode(Kind.REJECT_400, 0);
      case "hang" -> new SinkMode(Kind.HANG, 0);
      case "drop" -> new SinkMode(Kind.DROP, 0);
      default -> throw new IllegalArgumentException("unknown mode " + text + "; use " + CHOICES);
    };
  }

  /** The command-line form, which {@link #parse} reads back. */
  @Override
  public String toString() {
    return switch (kind) {
      case OK -> "ok";
      case FAIL_503 -> "fail-503";
      case THROTTLE_429 -> "throttle-429";
      case REJECT_400 -> "reject-400";
      case DELAY -> "delay:" + delayMillis;
      case HANG -> "hang";
      case DROP -> "drop";
    };
  }
}
