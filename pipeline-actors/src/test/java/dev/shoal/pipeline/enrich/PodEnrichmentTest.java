package dev.shoal.pipeline.enrich;

import static dev.shoal.pipeline.enrich.EnrichmentRequests.assertSameItems;
import static dev.shoal.pipeline.enrich.EnrichmentRequests.attr;
import static dev.shoal.pipeline.enrich.EnrichmentRequests.attributes;
import static dev.shoal.pipeline.enrich.EnrichmentRequests.count;
import static dev.shoal.pipeline.enrich.EnrichmentRequests.resource;
import static dev.shoal.pipeline.enrich.EnrichmentRequests.resourceAt;
import static dev.shoal.pipeline.enrich.EnrichmentRequests.resourceSpans;
import static dev.shoal.pipeline.enrich.EnrichmentRequests.span;
import static dev.shoal.pipeline.enrich.EnrichmentRequests.traces;
import static dev.shoal.pipeline.enrich.TestPods.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.OtlpWire;
import dev.shoal.pipeline.otlp.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Enrichment on the wire: which pod a resource is associated with, which attributes it gets, and
 * that everything else of the request stays byte for byte.
 */
class PodEnrichmentTest {
  private static final String SHOP_UID = "uid-shop-1";
  private final KubernetesMetadata metadata = new KubernetesMetadata();

  private PodEnrichment enrichment(EnrichmentSettings settings, List<PodMetadata> pods) {
    PodTable table = new PodTable(settings.deletedPodGrace());
    for (PodMetadata p : pods) table.podUpserted(p, 0);
    table.replicaSetOwner("shop", "checkout-5d8f", "checkout");
    table.jobOwner("batch", "report-2901", "report");
    metadata.published().set(table.snapshot());
    return new PodEnrichment(metadata, settings);
  }

  private PodEnrichment standard(EnrichmentSettings settings) {
    return enrichment(
        settings,
        List.of(
            TestPods.metadata(
                pod(
                    "shop",
                    "checkout-5d8f-x",
                    SHOP_UID,
                    "10.1.0.5",
                    "ReplicaSet",
                    "checkout-5d8f",
                    Map.of(
                        "app.kubernetes.io/name",
                        "checkout-svc",
                        "team",
                        "red",
                        "example.com/tier",
                        "web")),
                settings),
            TestPods.metadata(
                pod(
                    "batch",
                    "report-2901-abc",
                    "uid-report",
                    "10.1.0.6",
                    "Job",
                    "report-2901",
                    Map.of()),
                settings),
            TestPods.metadata(
                pod(
                    "db",
                    "postgres-0",
                    "uid-pg",
                    "10.1.0.7",
                    "StatefulSet",
                    "postgres",
                    Map.of("app", "pg")),
                settings),
            TestPods.metadata(
                pod(
                    "kube-system",
                    "agent-x",
                    "uid-agent",
                    "10.1.0.8",
                    "DaemonSet",
                    "agent",
                    Map.of()),
                settings)));
  }

  @Test
  void aResourceWithItsPodUidGetsEveryAttributeOfThePodAndItsWorkload() {
    PodEnrichment e =
        standard(TestPods.settings("prod-eu", List.of("team"), List.of("example.com/")));
    ExportRequest in =
        traces(resource("k8s.pod.uid", SHOP_UID, "service.name", "unknown_service:java"));
    ExportRequest out = e.enrich(in, null);
    Map<String, String> attributes = attributes(out, 0);
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("k8s.pod.uid", SHOP_UID);
    expected.put("k8s.namespace.name", "shop");
    expected.put("k8s.pod.name", "checkout-5d8f-x");
    expected.put("k8s.node.name", "node-1");
    expected.put("k8s.replicaset.name", "checkout-5d8f");
    expected.put("k8s.deployment.name", "checkout");
    expected.put("k8s.cluster.name", "prod-eu");
    expected.put("k8s.pod.label.example.com/tier", "web");
    expected.put("k8s.pod.label.team", "red");
    expected.put("service.name", "checkout-svc");
    assertEquals(expected, attributes);
    assertEquals(3, resourceAt(out, 0).getDroppedAttributesCount(), "the Resource's other fields");
    assertEquals(in.items(), out.items());
    assertEquals(2, out.items());
    assertSameItems(in, out);
  }

  @Test
  void theSendersOwnAttributesWin() {
    PodEnrichment e = standard(TestPods.settings());
    ExportRequest out =
        e.enrich(
            traces(
                resource(
                    "k8s.pod.ip",
                    "10.1.0.5",
                    "k8s.namespace.name",
                    "mine",
                    "service.name",
                    "cart")),
            null);
    Map<String, String> a = attributes(out, 0);
    assertEquals("mine", a.get("k8s.namespace.name"));
    assertEquals("cart", a.get("service.name"));
    assertEquals("checkout-5d8f-x", a.get("k8s.pod.name"));
    assertEquals(1, count(out, 0, "service.name"));
  }

  @Test
  void serviceNameFallsBackFromTheNameLabelToAppToTheWorkload() {
    PodEnrichment e = standard(TestPods.settings());
    assertEquals(
        "pg",
        attributes(e.enrich(traces(resource("k8s.pod.uid", "uid-pg")), null), 0)
            .get("service.name"));
    Map<String, String> job =
        attributes(e.enrich(traces(resource("k8s.pod.uid", "uid-report")), null), 0);
    assertEquals("report", job.get("service.name"), "the CronJob is the workload");
    assertEquals("report-2901", job.get("k8s.job.name"));
    assertEquals("report", job.get("k8s.cronjob.name"));
    Map<String, String> agent =
        attributes(e.enrich(traces(resource("k8s.pod.uid", "uid-agent")), null), 0);
    assertEquals("agent", agent.get("k8s.daemonset.name"));
    assertEquals("agent", agent.get("service.name"));
    Map<String, String> pg =
        attributes(e.enrich(traces(resource("k8s.pod.uid", "uid-pg")), null), 0);
    assertEquals("postgres", pg.get("k8s.statefulset.name"));
  }

  @Test
  void thePeerAddressAssociatesOnlyWhenTheResourceNamesNoPod() throws Exception {
    PodEnrichment e = standard(TestPods.settings());
    InetAddress shop = InetAddress.getByName("10.1.0.5");
    assertEquals(
        "shop", attributes(e.enrich(traces(resource()), shop), 0).get("k8s.namespace.name"));
    ExportRequest unknownUid = traces(resource("k8s.pod.uid", "no-such-pod"));
    assertSame(unknownUid, e.enrich(unknownUid, shop), "an unknown UID is not replaced by a guess");
    ExportRequest unknownIp = traces(resource("k8s.pod.ip", "10.9.9.9"));
    assertSame(unknownIp, e.enrich(unknownIp, shop));
    ExportRequest noPeer = traces(resource("service.name", "x"));
    assertSame(noPeer, e.enrich(noPeer, InetAddress.getByName("10.200.0.1")));

    EnrichmentSettings off =
        new EnrichmentSettings(
            "",
            java.time.Duration.ofSeconds(1),
            java.time.Duration.ofMinutes(2),
            List.of(),
            List.of(),
            false,
            java.time.Duration.ofMillis(50));
    PodEnrichment withoutPeer = standard(off);
    ExportRequest anonymous = traces(resource());
    assertSame(anonymous, withoutPeer.enrich(anonymous, shop), "peer association turned off");
  }

  @Test
  void aSharedIpOrTheHostNetworkGivesNoAssociation() {
    EnrichmentSettings s = TestPods.settings();
    var host = pod("kube-system", "proxy", "uid-proxy", "192.168.0.10", null, null, Map.of());
    host.getSpec().setHostNetwork(true);
    PodEnrichment e =
        enrichment(
            s,
            List.of(
                TestPods.metadata(pod("a", "one", "uid-1", "10.2.0.1", null, null, Map.of()), s),
                TestPods.metadata(pod("b", "two", "uid-2", "10.2.0.1", null, null, Map.of()), s),
                TestPods.metadata(host, s)));
    ExportRequest shared = traces(resource("k8s.pod.ip", "10.2.0.1"));
    assertSame(shared, e.enrich(shared, null));
    ExportRequest hostIp = traces(resource("k8s.pod.ip", "192.168.0.10"));
    assertSame(hostIp, e.enrich(hostIp, null));
    assertEquals(
        "proxy",
        attributes(e.enrich(traces(resource("k8s.pod.uid", "uid-proxy")), null), 0)
            .get("k8s.pod.name"),
        "by UID a host-network pod is found");
  }

  @Test
  void aResourceWithEverythingAlreadyIsPassedThroughUncopied() {
    PodEnrichment e = standard(TestPods.settings());
    ExportRequest done = e.enrich(traces(resource("k8s.pod.uid", SHOP_UID)), null);
    assertSame(done, e.enrich(done, null));
  }

  @Test
  void onlyTheResourcesThatGainAttributesChange() {
    PodEnrichment e = standard(TestPods.settings());
    ResourceSpans other = resourceSpans(resource("service.name", "elsewhere"), 3);
    ResourceSpans noResource =
        ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span(9))).build();
    ExportTraceServiceRequest message =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(other)
            .addResourceSpans(resourceSpans(resource("k8s.pod.uid", "uid-pg"), 2))
            .addResourceSpans(noResource)
            .build();
    ExportRequest in = ExportRequest.of(Signal.TRACES, message);
    ExportRequest out = e.enrich(in, null);
    ExportTraceServiceRequest decoded = (ExportTraceServiceRequest) out.decode();
    assertEquals(other, decoded.getResourceSpans(0));
    assertEquals("db", attributes(out, 1).get("k8s.namespace.name"));
    assertEquals(noResource, decoded.getResourceSpans(2), "no association: untouched");
    assertEquals(6, out.items());
  }

  @Test
  void aResourceWithoutResourceMessageIsEnrichedByPeer() throws Exception {
    PodEnrichment e = standard(TestPods.settings());
    ResourceSpans bare =
        ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span(1))).build();
    ExportRequest in =
        ExportRequest.of(
            Signal.TRACES, ExportTraceServiceRequest.newBuilder().addResourceSpans(bare).build());
    ExportRequest out = e.enrich(in, InetAddress.getByName("10.1.0.7"));
    assertEquals("postgres-0", attributes(out, 0).get("k8s.pod.name"));
    assertSameItems(in, out);
  }

  @Test
  void metricsAndLogsAreEnrichedTheSameWay() throws Exception {
    PodEnrichment e = standard(TestPods.settings());
    ExportRequest metrics =
        ExportRequest.of(
            Signal.METRICS,
            ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(
                    ResourceMetrics.newBuilder()
                        .setResource(resource("k8s.pod.uid", SHOP_UID))
                        .addScopeMetrics(
                            ScopeMetrics.newBuilder()
                                .addMetrics(
                                    Metric.newBuilder()
                                        .setName("m")
                                        .setGauge(
                                            Gauge.newBuilder()
                                                .addDataPoints(
                                                    NumberDataPoint.newBuilder().setAsInt(1))
                                                .addDataPoints(
                                                    NumberDataPoint.newBuilder().setAsInt(2))))))
                .build());
    ExportRequest m = e.enrich(metrics, null);
    assertEquals(2, OtlpWire.countItems(Signal.METRICS, m.protobuf()));
    assertEquals(
        "checkout",
        attr(
            ((ExportMetricsServiceRequest) m.decode()).getResourceMetrics(0).getResource(),
            "k8s.deployment.name"));
    ExportRequest logs =
        ExportRequest.of(
            Signal.LOGS,
            ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(
                    ResourceLogs.newBuilder()
                        .setResource(resource())
                        .addScopeLogs(
                            ScopeLogs.newBuilder()
                                .addLogRecords(
                                    LogRecord.newBuilder()
                                        .setBody(AnyValue.newBuilder().setStringValue("hello")))))
                .build());
    ExportRequest l = e.enrich(logs, InetAddress.getByName("10.1.0.6"));
    assertEquals(1, OtlpWire.countItems(Signal.LOGS, l.protobuf()));
    assertEquals(
        "batch",
        attr(
            ((ExportLogsServiceRequest) l.decode()).getResourceLogs(0).getResource(),
            "k8s.namespace.name"));
    assertEquals(
        "batch",
        OtlpWire.resources(Signal.LOGS, l.protobuf(), "k8s.namespace.name").get(0).attribute(),
        "namespace selection reads the added namespace");
  }

  @Test
  void withAnEmptyCacheNothingIsRead() {
    PodEnrichment e = new PodEnrichment(new KubernetesMetadata(), TestPods.settings());
    ExportRequest in = traces(resource("k8s.pod.uid", SHOP_UID));
    assertSame(in, e.enrich(in, null));
  }

  @Test
  void ipv6AddressesCompareInOneSpelling() throws Exception {
    EnrichmentSettings s = TestPods.settings();
    PodEnrichment e =
        enrichment(
            s,
            List.of(
                TestPods.metadata(pod("v6", "p", "uid-6", "fd00::5", null, null, Map.of()), s)));
    assertEquals(
        "p",
        attributes(e.enrich(traces(resource("k8s.pod.ip", "fd00:0:0::5")), null), 0)
            .get("k8s.pod.name"));
    assertEquals(
        "p",
        attributes(e.enrich(traces(resource()), InetAddress.getByName("fd00::5")), 0)
            .get("k8s.pod.name"));
    assertNull(IpAddresses.normalize(""));
  }
}
