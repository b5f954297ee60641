package dev.shoal.manager.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** HTTP basic authentication: sent as the {@code Authorization: Basic ...} header. */
public class BasicAuth {

  @JsonPropertyDescription("User name, as value or from a Secret.")
  @Required
  private ValueType user;

  @JsonPropertyDescription("Password, as value or from a Secret.")
  @Required
  private ValueType password;

  public ValueType getUser() {
    return user;
  }

  public void setUser(ValueType user) {
    this.user = user;
  }

  public ValueType getPassword() {
    return password;
  }

  public void setPassword(ValueType password) {
    this.password = password;
  }
}
