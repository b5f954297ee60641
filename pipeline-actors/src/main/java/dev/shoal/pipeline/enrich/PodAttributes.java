package dev.shoal.pipeline.enrich;

import java.util.List;

/**
 * The resource attributes a pod gives: its namespace, name, UID and node, its workload (ReplicaSet
 * and Deployment, StatefulSet, DaemonSet, Job and CronJob, through the owners the snapshot knows),
 * the cluster name, the copied labels, and a service name.
 */
final class PodAttributes {
  static final String NAMESPACE = "k8s.namespace.name";
  static final String POD_NAME = "k8s.pod.name";
  static final String POD_UID = "k8s.pod.uid";
  static final String POD_IP = "k8s.pod.ip";
  static final String NODE_NAME = "k8s.node.name";
  static final String DEPLOYMENT = "k8s.deployment.name";
  static final String REPLICASET = "k8s.replicaset.name";
  static final String STATEFULSET = "k8s.statefulset.name";
  static final String DAEMONSET = "k8s.daemonset.name";
  static final String JOB = "k8s.job.name";
  static final String CRONJOB = "k8s.cronjob.name";
  static final String CLUSTER = "k8s.cluster.name";
  static final String SERVICE_NAME = "service.name";
  static final String LABEL_PREFIX = "k8s.pod.label.";

  /** What SDKs put into {@code service.name} when the application named no service. */
  static final String UNKNOWN_SERVICE = "unknown_service";

  private PodAttributes() {}

  /**
   * Appends the pod's attributes to {@code out} as alternating keys and values; {@code
   * service.name} comes last, when the pod has a name for it.
   */
  static void of(PodMetadata pod, MetadataSnapshot snapshot, String clusterName, List<String> out) {
    add(out, NAMESPACE, pod.namespace());
    add(out, POD_NAME, pod.name());
    add(out, POD_UID, pod.uid());
    add(out, NODE_NAME, pod.nodeName());
    String workload = null;
    String kind = pod.ownerKind();
    String owner = pod.ownerName();
    if (kind != null && owner != null) {
      switch (kind) {
        case "ReplicaSet" -> {
          String deployment = snapshot.deploymentOf(pod.namespace(), owner);
          add(out, REPLICASET, owner);
          add(out, DEPLOYMENT, deployment);
          workload = deployment != null ? deployment : owner;
        }
        case "Job" -> {
          String cronJob = snapshot.cronJobOf(pod.namespace(), owner);
          add(out, JOB, owner);
          add(out, CRONJOB, cronJob);
          workload = cronJob != null ? cronJob : owner;
        }
        case "StatefulSet" -> {
          add(out, STATEFULSET, owner);
          workload = owner;
        }
        case "DaemonSet" -> {
          add(out, DAEMONSET, owner);
          workload = owner;
        }
        default -> {}
      }
    }
    if (!clusterName.isEmpty()) add(out, CLUSTER, clusterName);
    out.addAll(pod.copiedLabels());
    add(out, SERVICE_NAME, pod.serviceNameLabel() != null ? pod.serviceNameLabel() : workload);
  }

  /** Whether a {@code service.name} the sender set may be replaced: it names no service. */
  static boolean replaceableServiceName(String value) {
    return value != null && (value.isEmpty() || value.startsWith(UNKNOWN_SERVICE));
  }

  private static void add(List<String> out, String key, String value) {
    if (value != null && !value.isEmpty()) {
      out.add(key);
      out.add(value);
    }
  }
}
