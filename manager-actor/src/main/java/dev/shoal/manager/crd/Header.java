package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A header sent with every export request; its value is a {@link ValueType}. */
public class Header extends ValueType {

  @JsonPropertyDescription("Header name.")
  @Required
  private String name;

  @JsonPropertyDescription("Put before the value, separated by a space, e.g. Bearer.")
  private String prefix;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getPrefix() {
    return prefix;
  }

  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }
}
