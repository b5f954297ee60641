package dev.shoal.manager.status;

import dev.shoal.manager.crd.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Merges the conditions the manager wants a resource to have with the ones it has, the way
 * Kubernetes conditions are kept: a condition whose status and reason stay the same keeps its
 * {@code lastTransitionTime}, so that time says when the state last changed, not when it was last
 * checked. A pure function.
 */
public final class StatusConditions {

  private StatusConditions() {}

  /**
   * The conditions to write: {@code wanted} in its order, each with the transition time of the
   * current condition of the same type when that has the same status and reason.
   */
  public static List<Condition> merge(List<Condition> current, List<Condition> wanted) {
    List<Condition> merged = new ArrayList<>(wanted.size());
    for (Condition condition : wanted) {
      Condition before = find(current, condition.getType());
      if (before != null && before.sameState(condition) && before.getLastTransitionTime() != null) {
        condition = condition.withLastTransitionTime(before.getLastTransitionTime());
      }
      merged.add(condition);
    }
    return merged;
  }

  /** Whether writing {@code merged} over {@code current} would change anything. */
  public static boolean changes(List<Condition> current, List<Condition> merged) {
    return !Objects.equals(current == null ? List.of() : current, merged);
  }

  /** The condition of that type, or null. */
  public static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) return null;
    for (Condition c : conditions) {
      if (type.equals(c.getType())) return c;
    }
    return null;
  }
}
