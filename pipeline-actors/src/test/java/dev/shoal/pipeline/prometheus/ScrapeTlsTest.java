package dev.shoal.pipeline.prometheus;

import static dev.shoal.pipeline.prometheus.ScrapeTesting.scrape;
import static dev.shoal.pipeline.prometheus.ScrapeTesting.target;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.output.otlp.TestCertificates;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Scrapes over HTTPS: with the target's CA, without verification, and refused with another CA. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScrapeTlsTest {
  private static ActorSystem<Void> system;
  private static ServerBinding binding;
  private static TestCertificates.Issued ca;

  @BeforeAll
  static void start() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "scrape-tls");
    ca = TestCertificates.ca("scrape test CA");
    binding =
        Http.get(system)
            .newServerAt("127.0.0.1", 0)
            .enableHttps(
                TestCertificates.serverContext(TestCertificates.server(ca), Optional.empty()))
            .bindSync(request -> HttpResponse.create().withEntity("tls_ok 1\n"))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private URI url() {
    return URI.create("https://127.0.0.1:" + binding.localAddress().getPort() + "/metrics");
  }

  private ScrapeResult scrapeWith(boolean insecure, String caPem) throws Exception {
    return scrape(
        new TargetScraper(
            target(url(), Duration.ofSeconds(5), 1 << 20, 100, insecure, caPem),
            ScrapeTesting.CLIENTS));
  }

  @Test
  void theTargetsCaIsTrusted() throws Exception {
    assertNull(scrapeWith(false, ca.certificatePem()).failure());
  }

  @Test
  void insecureSkipsVerification() throws Exception {
    assertNull(scrapeWith(true, null).failure());
  }

  @Test
  void anUnknownCaFails() throws Exception {
    ScrapeResult other = scrapeWith(false, TestCertificates.ca("another CA").certificatePem());
    assertTrue(
        other.failure() != null && other.failure().contains("TLS"),
        String.valueOf(other.failure()));
    ScrapeResult jvm = scrapeWith(false, null);
    assertTrue(jvm.failure() != null, "the JVM's CAs do not know the test CA");
  }
}
