package dev.shoal.manager.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Secrets by namespace and name, with their values decoded: {@code data} is base64, {@code
 * stringData} plain and wins over {@code data} for the same key, as in Kubernetes.
 */
final class SecretIndex {

  /** A key's value, or why it cannot be used. */
  record Entry(String value, String problem) {}

  private final Map<String, Map<String, Entry>> byName = new HashMap<>();

  SecretIndex(Collection<Secret> secrets) {
    for (Secret secret : secrets) {
      if (secret.getMetadata() == null || secret.getMetadata().getName() == null) continue;
      Map<String, Entry> values = new TreeMap<>();
      if (secret.getData() != null) {
        secret
            .getData()
            .forEach(
                (key, encoded) -> {
                  try {
                    String compact = encoded == null ? "" : encoded.replaceAll("\\s", "");
                    byte[] bytes = Base64.getDecoder().decode(compact);
                    values.put(key, new Entry(new String(bytes, StandardCharsets.UTF_8), null));
                  } catch (IllegalArgumentException notBase64) {
                    values.put(key, new Entry(null, "is not valid base64 in data"));
                  }
                });
      }
      if (secret.getStringData() != null) {
        secret
            .getStringData()
            .forEach((key, value) -> values.put(key, new Entry(value == null ? "" : value, null)));
      }
      byName.put(
          id(namespace(secret.getMetadata().getNamespace()), secret.getMetadata().getName()),
          values);
    }
  }

  static String namespace(String namespace) {
    return namespace == null || namespace.isBlank() ? "default" : namespace;
  }

  private static String id(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** The keys of the Secret, or null when there is no such Secret. */
  Map<String, Entry> secret(String namespace, String name) {
    return byName.get(id(namespace(namespace), name));
  }
}
