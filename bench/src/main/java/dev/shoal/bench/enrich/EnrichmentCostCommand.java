package dev.shoal.bench.enrich;

import dev.shoal.bench.CommandLine;
import dev.shoal.pipeline.enrich.EnrichmentSettings;
import dev.shoal.pipeline.enrich.KubernetesMetadata;
import dev.shoal.pipeline.enrich.MetadataCache;
import dev.shoal.pipeline.enrich.PodEnrichment;
import dev.shoal.pipeline.enrich.PodMetadata;
import dev.shoal.pipeline.otlp.ExportRequest;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Measures what Kubernetes enrichment costs: heap bytes per cached pod (the metadata cache, its
 * published snapshot, and the informer store's reduced copy), and CPU per request and per span of
 * the enrich stage, for the ways a resource finds its pod and for requests with nothing to add.
 */
public final class EnrichmentCostCommand {
  public static final String USAGE =
      String.join(
          "\n",
          "enrichment [--pods 10000] [--duration 5s]",
          "  heap bytes per cached pod and CPU per span of the enrich stage (run the jar with",
          "  -XX:+UseSerialGC for steady heap figures)");

  private EnrichmentCostCommand() {}

  public static void run(String[] args) throws Exception {
    CommandLine line = CommandLine.parse(args, java.util.Set.of("pods", "duration"));
    int pods = line.integer("pods", 10_000);
    Duration duration = line.duration("duration", Duration.ofSeconds(5));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "enrichment-cost");
    try {
      measure(system, pods, duration);
    } finally {
      system.terminate();
    }
  }

  private static void measure(ActorSystem<Void> system, int pods, Duration duration)
      throws Exception {
    EnrichmentSettings settings =
        new EnrichmentSettings(
            "prod-eu-1",
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            List.of(),
            List.of(),
            true,
            Duration.ofMillis(200));
    KubernetesSerialization serialization = new KubernetesSerialization();
    SyntheticPods synthetic = new SyntheticPods(42);
    Pod sample = synthetic.pod(0);
    long fullPodBytes = serialization.asJson(sample).length();

    long before = usedHeap();
    KubernetesMetadata metadata = new KubernetesMetadata();
    var cache = system.systemActorOf(MetadataCache.create(settings, metadata), "cache", props());
    ReducedStateItemStore<Pod> informerStore =
        new ReducedStateItemStore<>(
            ReducedStateItemStore.NAME_KEY_STATE, Pod.class, serialization, "metadata.uid");
    for (int i = 0; i < pods; i++) {
      Pod pod = synthetic.pod(i);
      informerStore.put(informerStore.getKey(pod), pod);
      cache.tell(new MetadataCache.PodUpserted(PodMetadata.from(pod, settings)));
    }
    for (int i = 0; i < pods / 10; i++) {
      cache.tell(
          new MetadataCache.ReplicaSetOwned(
              SyntheticPods.namespace(i), SyntheticPods.replicaSet(i), SyntheticPods.workload(i)));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (metadata.current().pods() < pods && System.nanoTime() < deadline) Thread.sleep(50);
    Thread.sleep(500); // the last snapshot is published; the previous ones become garbage
    long after = usedHeap();
    long perPod = (after - before) / pods;
    System.out.printf(
        "pods cached: %d; heap: %,d bytes in all, %d bytes per pod (cache, snapshot and informer"
            + " store); a full pod object as JSON: %,d bytes%n",
        metadata.current().pods(), after - before, perPod, fullPodBytes);
    if (informerStore.size() != pods) throw new IllegalStateException("store lost pods");

    PodEnrichment enrichment = new PodEnrichment(metadata, settings);
    String ip = SyntheticPods.ip(pods / 2);
    InetAddress peer = InetAddress.getByName(ip);
    ExportRequest byIp = SyntheticRequests.traces(100, Map.of("k8s.pod.ip", ip));
    ExportRequest byPeer = SyntheticRequests.traces(100, Map.of());
    ExportRequest done = enrichment.enrich(byIp, null);
    ExportRequest single = SyntheticRequests.traces(1, Map.of("k8s.pod.ip", ip));
    ExportRequest unknown = SyntheticRequests.traces(100, Map.of("k8s.pod.ip", "192.0.2.1"));
    System.out.println("case | spans/request | ns per request | ns per span (thread CPU)");
    cost("k8s.pod.ip, 11 attributes added", byIp, null, enrichment, duration);
    cost("peer address, 12 attributes added", byPeer, peer, enrichment, duration);
    cost("k8s.pod.ip, 1 span per request", single, null, enrichment, duration);
    cost("already enriched: passed through", done, null, enrichment, duration);
    cost("no such pod: passed through", unknown, null, enrichment, duration);
  }

  private static void cost(
      String what,
      ExportRequest request,
      InetAddress peer,
      PodEnrichment enrichment,
      Duration duration) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sink = 0;
    // Warm-up as long as the measurement: the JIT compiles the path first.
    for (int round = 0; round < 2; round++) {
      long n = 0;
      long cpu0 = threads.getCurrentThreadCpuTime();
      long end = System.nanoTime() + duration.toNanos();
      while (System.nanoTime() < end) {
        for (int i = 0; i < 100; i++) sink += enrichment.enrich(request, peer).protobuf().length;
        n += 100;
      }
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      if (round == 1) {
        System.out.printf(
            "%s | %d | %,d | %,.1f%n",
            what, request.items(), cpu / n, (double) cpu / n / request.items());
      }
    }
    if (sink == 42) System.out.println(); // keeps the result alive
  }

  private static org.apache.pekko.actor.typed.Props props() {
    return org.apache.pekko.actor.typed.Props.empty();
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
