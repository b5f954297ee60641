package dev.shoal.pipeline.output.otlp;

import dev.shoal.pipeline.output.ExportResult;
import dev.shoal.pipeline.output.Exporter;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.stream.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.ContentEncoding;
import org.apache.pekko.http.javadsl.model.headers.HttpEncodings;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.Materializer;

/**
 * Makes one attempt to deliver a batch over OTLP/HTTP: POSTs the batch's encoded bytes as they are
 * (gzip-compressed if configured), with the configured headers, and reads the answer as the OTLP
 * specification says ({@link HttpAnswer}). No connection, a dropped connection or no answer within
 * the request timeout fail with a {@link RetryableExportException}.
 *
 * <p>The exporter owns its connection pool ({@link ExporterConnectionPool}) and shuts it down on
 * {@link #close()}.
 */
public final class OtlpHttpExporter implements Exporter {
  static final ContentType PROTOBUF =
      MediaTypes.applicationBinary("x-protobuf", false).toContentType();

  /** Requests waiting for a connection of the pool; more than the pipelines ever send at once. */
  static final int QUEUED_REQUESTS = 256;

  private final OtlpOutputSettings settings;
  private final OtlpEndpoint endpoint;
  private final List<HttpHeader> headers;
  private final Materializer materializer;
  private final ActorSystem<?> system;
  private final RequestTimeout timeout;
  private final ExporterConnectionPool pool;
  private final String target;

  public OtlpHttpExporter(OtlpOutputSettings settings, ActorSystem<?> system) {
    this.settings = settings;
    this.endpoint = OtlpEndpoint.of(settings);
    this.target =
        (endpoint.tls() ? "https://" : "http://")
            + endpoint.host()
            + ":"
            + endpoint.port()
            + endpoint.path();
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    this.timeout =
        new RequestTimeout(
            settings.requestTimeout(),
            system.classicSystem().scheduler(),
            system.executionContext());
    List<HttpHeader> h = new ArrayList<>();
    for (Map.Entry<String, String> e : settings.headers().entrySet()) {
      h.add(RawHeader.create(e.getKey(), e.getValue()));
    }
    if (settings.compression() == OtlpOutputSettings.Compression.GZIP) {
      h.add(ContentEncoding.create(HttpEncodings.GZIP));
    }
    this.headers = List.copyOf(h);

    Optional<HttpsConnectionContext> https =
        endpoint.tls()
            ? Optional.of(
                ConnectionContext.httpsClient(
                    engines(
                        ClientTls.sslContext(settings.tls()),
                        !settings.tls().insecureSkipVerify())))
            : Optional.empty();
    this.pool =
        new ExporterConnectionPool(
            endpoint.host(),
            endpoint.port(),
            https,
            poolSettings(settings, system),
            QUEUED_REQUESTS,
            system);
  }

  /**
   * The pool only connects and carries requests: {@link RetryingExporter} retries, so the pool
   * neither retries nor backs off long between connection attempts, and a connection that stays
   * silent for a request timeout is closed (a hung request would otherwise hold it).
   */
  private static ConnectionPoolSettings poolSettings(
      OtlpOutputSettings settings, ActorSystem<?> system) {
    ClientConnectionSettings connection =
        ClientConnectionSettings.create(system.classicSystem())
            .withConnectingTimeout(settings.requestTimeout())
            .withIdleTimeout(settings.requestTimeout());
    return ConnectionPoolSettings.create(system.classicSystem())
        .withMaxRetries(0)
        .withMaxConnectionBackoff(java.time.Duration.ofSeconds(1))
        .withConnectionSettings(connection);
  }

  /** Client engines that check the server's host name unless verification is off. */
  private static org.apache.pekko.japi.function.Function2<String, Integer, SSLEngine> engines(
      SSLContext context, boolean checkHostName) {
    return (host, port) -> {
      SSLEngine engine = context.createSSLEngine(host, port);
      engine.setUseClientMode(true);
      if (checkHostName) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
      }
      return engine;
    };
  }

  @Override
  public CompletionStage<ExportResult> export(Batch batch) {
    // Compressing a batch of megabytes takes a while: not on the stream's thread. Without
    // compression the batch's bytes are sent as they are.
    CompletionStage<HttpRequest> prepared =
        settings.compression() == OtlpOutputSettings.Compression.GZIP
            ? CompletableFuture.supplyAsync(() -> request(batch), system.executionContext())
            : CompletableFuture.completedFuture(request(batch));
    return prepared
        .thenCompose(
            request ->
                timeout.bound(
                    send(request),
                    () ->
                        new RetryableExportException(
                            "no answer from "
                                + target
                                + " within the request timeout of "
                                + timeout.timeout().toMillis()
                                + " ms",
                            null)))
        .thenApply(answer -> answer.outcome(batch.signal(), target));
  }

  private HttpRequest request(Batch batch) {
    byte[] body = batch.encoded();
    if (settings.compression() == OtlpOutputSettings.Compression.GZIP)
      body = FastGzip.compress(body);
    return HttpRequest.POST(endpoint.path())
        .withEntity(HttpEntities.create(PROTOBUF, body))
        .addHeaders(headers);
  }

  /** The answer with its body; fails only with a {@link RetryableExportException}. */
  private CompletionStage<HttpAnswer> send(HttpRequest request) {
    return pool.send(request)
        .exceptionally(
            noAnswer -> {
              if (noAnswer instanceof RetryableExportException r) throw r;
              // The connection could not be made, broke, or stayed silent: another try may work.
              throw new RetryableExportException(
                  "no answer from " + target + ": " + describe(noAnswer), noAnswer);
            })
        // Read even when the timeout has given up on the answer, so that the connection is free.
        .thenCompose(response -> HttpAnswer.read(response, timeout.timeout(), materializer));
  }

  private static String describe(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) c = c.getCause();
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }

  @Override
  public void close() {
    pool.shutdown();
  }
}
