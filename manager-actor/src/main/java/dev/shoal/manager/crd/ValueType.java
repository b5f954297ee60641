package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A value given either in the pipeline ({@code value}) or from a Secret ({@code valueFrom}), never
 * both.
 */
public class ValueType {

  @JsonPropertyDescription("The value as plain text.")
  private String value;

  @JsonPropertyDescription("The value from a Secret.")
  private ValueFromSource valueFrom;

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  public ValueFromSource getValueFrom() {
    return valueFrom;
  }

  public void setValueFrom(ValueFromSource valueFrom) {
    this.valueFrom = valueFrom;
  }
}
