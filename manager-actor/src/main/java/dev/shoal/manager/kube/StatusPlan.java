package dev.shoal.manager.kube;

import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.PipelineStatus;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.kube.StatusPatches.Patch;
import dev.shoal.manager.status.StatusConditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which resources' status to write, and with what: for each resource, its {@code
 * ConfigurationGenerated} condition and, while it runs, its {@code GatewayHealthy} and {@code
 * TelemetryFlowHealthy} (the fresh ones, or those it carries until fresh ones exist), merged with
 * what it carries so that unchanged conditions keep their transition time. A pure function.
 *
 * @param conditions every reconciled resource's conditions, as they are to be
 * @param due the writes needed to get there: only resources whose conditions differ
 */
record StatusPlan(Map<ResourceRef, List<Condition>> conditions, List<Patch> due) {

  static StatusPlan of(
      List<PipelineResource> resources,
      Map<ResourceRef, Condition> configuration,
      Map<ResourceRef, Condition> gateway,
      Map<ResourceRef, Condition> flow,
      Map<ResourceRef, Patch> lastWritten) {
    Map<ResourceRef, List<Condition>> all = new TreeMap<>();
    List<Patch> due = new ArrayList<>();
    for (PipelineResource resource : resources) {
      ResourceRef ref = resource.ref();
      Condition config = configuration.get(ref);
      if (config == null) continue; // not reconciled yet
      String version = resource.getMetadata().getResourceVersion();
      List<Condition> current = carried(resource, version, lastWritten.get(ref));
      List<Condition> wanted = new ArrayList<>();
      wanted.add(config);
      if (Condition.TRUE.equals(config.getStatus())) {
        freshOrCarried(wanted, gateway.get(ref), current, Condition.GATEWAY_HEALTHY);
        freshOrCarried(wanted, flow.get(ref), current, Condition.TELEMETRY_FLOW_HEALTHY);
      }
      List<Condition> merged = StatusConditions.merge(current, wanted);
      all.put(ref, merged);
      if (StatusConditions.changes(current, merged)) due.add(new Patch(ref, version, merged));
    }
    return new StatusPlan(all, due);
  }

  /**
   * What the resource carries. Until the informer shows it changed by the last write (same
   * resourceVersion as that write was based on), that write is the better knowledge.
   */
  private static List<Condition> carried(
      PipelineResource resource, String version, Patch lastWritten) {
    if (lastWritten != null && version != null && version.equals(lastWritten.baseVersion())) {
      return lastWritten.conditions();
    }
    PipelineStatus status = ClusterResources.statusOf(resource);
    return status == null ? List.of() : status.getConditions();
  }

  private static void freshOrCarried(
      List<Condition> wanted, Condition fresh, List<Condition> current, String type) {
    Condition c = fresh != null ? fresh : StatusConditions.find(current, type);
    if (c != null) wanted.add(c);
  }
}
