package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Namespaces whose data a pipeline takes: include or exclude, not both. */
public class NamespaceSelector {

  @JsonPropertyDescription("Only data from these namespaces.")
  private List<String> include;

  @JsonPropertyDescription("Data from these namespaces is left out.")
  private List<String> exclude;

  public List<String> getInclude() {
    return include;
  }

  public void setInclude(List<String> include) {
    this.include = include;
  }

  public List<String> getExclude() {
    return exclude;
  }

  public void setExclude(List<String> exclude) {
    this.exclude = exclude;
  }
}
