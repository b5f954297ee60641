package dev.shoal.pipeline.receiver;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the OTLP receivers, read once from {@code shoal.pipeline.receiver}.
 *
 * @param bindAddress interface both receivers listen on
 * @param grpcPort OTLP/gRPC port (4317 by default)
 * @param httpPort OTLP/HTTP port (4318 by default)
 * @param maxRequestBytes largest request body taken, compressed or not
 * @param readTimeout time allowed to receive a whole request body
 * @param retryAfter the wait a refused client is told to keep before it retries
 */
public record ReceiverSettings(
    String bindAddress,
    int grpcPort,
    int httpPort,
    long maxRequestBytes,
    Duration readTimeout,
    Duration retryAfter) {

  public static final String CONFIG_PATH = "shoal.pipeline.receiver";

  public ReceiverSettings {
    checkPort(grpcPort, "grpc.port");
    checkPort(httpPort, "http.port");
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException(CONFIG_PATH + ".max-request-bytes must be at least 1 KiB");
    }
  }

  private static void checkPort(int port, String key) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(CONFIG_PATH + "." + key + " must be 0..65535: " + port);
    }
  }

  public static ReceiverSettings fromConfig(Config config) {
    Config c = config.getConfig(CONFIG_PATH);
    return new ReceiverSettings(
        c.getString("bind-address"),
        c.getInt("grpc.port"),
        c.getInt("http.port"),
        c.getBytes("max-request-bytes"),
        c.getDuration("read-timeout"),
        c.getDuration("retry-after"));
  }

  /** Seconds for a {@code Retry-After} header: whole, at least one. */
  long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }
}
