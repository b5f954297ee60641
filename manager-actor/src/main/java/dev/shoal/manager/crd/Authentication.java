package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Authentication of the export requests. */
public class Authentication {

  @JsonPropertyDescription("HTTP basic authentication.")
  private BasicAuth basic;

  public BasicAuth getBasic() {
    return basic;
  }

  public void setBasic(BasicAuth basic) {
    this.basic = basic;
  }
}
