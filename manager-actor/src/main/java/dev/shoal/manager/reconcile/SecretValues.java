package dev.shoal.manager.reconcile;

import dev.shoal.manager.crd.SecretKeyRef;
import dev.shoal.manager.crd.ValueType;
import java.util.Map;

/** Resolves the values of one resource that are given inline or taken from a Secret. */
final class SecretValues {

  private final SecretIndex secrets;
  private final Findings findings;

  SecretValues(SecretIndex secrets, Findings findings) {
    this.secrets = secrets;
    this.findings = findings;
  }

  /** The value, from the pipeline or its Secret; null when missing (after a problem if needed). */
  String resolve(ValueType value, String path, boolean required) {
    boolean plain = value != null && value.getValue() != null && !value.getValue().isEmpty();
    boolean fromSecret = value != null && value.getValueFrom() != null;
    if (!plain && !fromSecret) {
      if (required) {
        findings.problem(
            Reason.VALIDATION_FAILED,
            path + ": required; give " + path + ".value or " + path + ".valueFrom.secretKeyRef");
      }
      return null;
    }
    if (plain && fromSecret) {
      findings.problem(Reason.VALIDATION_FAILED, path + ": give value or valueFrom, not both");
      return null;
    }
    if (plain) return value.getValue();
    String refPath = path + ".valueFrom.secretKeyRef";
    SecretKeyRef ref = value.getValueFrom().getSecretKeyRef();
    if (ref == null) {
      findings.problem(
          Reason.VALIDATION_FAILED,
          refPath + ": required; give the Secret's name and namespace and the key");
      return null;
    }
    if (ref.getName() == null || ref.getName().isBlank()) {
      findings.problem(
          Reason.VALIDATION_FAILED, refPath + ".name: required; give the Secret's name");
      return null;
    }
    if (ref.getKey() == null || ref.getKey().isBlank()) {
      findings.problem(
          Reason.VALIDATION_FAILED, refPath + ".key: required; give the key in the Secret");
      return null;
    }
    String secretName = SecretIndex.namespace(ref.getNamespace()) + "/" + ref.getName();
    Map<String, SecretIndex.Entry> secret = secrets.secret(ref.getNamespace(), ref.getName());
    if (secret == null) {
      findings.problem(
          Reason.REFERENCED_SECRET_MISSING,
          refPath
              + ": Secret "
              + secretName
              + " does not exist; create it or correct the reference");
      return null;
    }
    SecretIndex.Entry entry = secret.get(ref.getKey());
    if (entry == null) {
      findings.problem(
          Reason.REFERENCED_SECRET_MISSING,
          refPath
              + ": Secret "
              + secretName
              + " has no key '"
              + ref.getKey()
              + "' (it has "
              + (secret.isEmpty() ? "none" : String.join(", ", secret.keySet()))
              + "); add the key or correct the reference");
      return null;
    }
    if (entry.problem() != null) {
      findings.problem(
          Reason.REFERENCED_SECRET_MISSING,
          refPath
              + ": key '"
              + ref.getKey()
              + "' of Secret "
              + secretName
              + " "
              + entry.problem()
              + "; fix the value or give it under stringData");
      return null;
    }
    return entry.value();
  }

  /** Names a Secret key in a message without showing its value. */
  static String describe(SecretKeyRef ref) {
    return ref == null
        ? "a Secret"
        : "key '"
            + ref.getKey()
            + "' of Secret "
            + SecretIndex.namespace(ref.getNamespace())
            + "/"
            + ref.getName();
  }
}
