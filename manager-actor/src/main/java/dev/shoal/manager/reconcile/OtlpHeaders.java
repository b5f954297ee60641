package dev.shoal.manager.reconcile;

import static dev.shoal.manager.reconcile.OtlpOutputTranslation.OTLP;

import dev.shoal.manager.crd.BasicAuth;
import dev.shoal.manager.crd.Header;
import dev.shoal.manager.crd.OtlpOutput;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The headers sent to the backend: {@code headers} and {@code authentication.basic}. */
final class OtlpHeaders {

  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final Findings findings;
  private final SecretValues values;

  OtlpHeaders(Findings findings, SecretValues values) {
    this.findings = findings;
    this.values = values;
  }

  Map<String, String> headers(OtlpOutput otlp) {
    Map<String, String> headers = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    List<Header> given = otlp.getHeaders() == null ? List.of() : otlp.getHeaders();
    for (int i = 0; i < given.size(); i++) {
      Header header = given.get(i);
      String path = OTLP + ".headers[" + i + "]";
      if (header == null) {
        findings.problem(Reason.VALIDATION_FAILED, path + ": empty; remove it");
        continue;
      }
      String name = header.getName();
      if (name == null || !HEADER_NAME.matcher(name).matches()) {
        findings.problem(
            Reason.VALIDATION_FAILED,
            path
                + ".name: "
                + (name == null ? "required" : "'" + name + "' is not a valid header name")
                + "; give a name of letters, digits and -");
        continue;
      }
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        findings.problem(
            Reason.VALIDATION_FAILED, path + ".name: header " + name + " is given twice; keep one");
        continue;
      }
      String value = values.resolve(header, path, true);
      if (value == null) continue;
      String prefix = header.getPrefix();
      String full = prefix == null || prefix.isEmpty() ? value : prefix + " " + value;
      if (full.indexOf('\n') >= 0 || full.indexOf('\r') >= 0) {
        findings.problem(
            Reason.VALIDATION_FAILED,
            path
                + ": the value of header "
                + name
                + " contains a line break (often a trailing newline in a Secret); remove it");
        continue;
      }
      headers.put(name, full);
    }
    BasicAuth basic = otlp.getAuthentication() == null ? null : otlp.getAuthentication().getBasic();
    if (basic != null) basicAuth(basic, seen, headers);
    return headers;
  }

  private void basicAuth(BasicAuth basic, Set<String> seen, Map<String, String> headers) {
    String base = OTLP + ".authentication.basic";
    String user = values.resolve(basic.getUser(), base + ".user", true);
    String password = values.resolve(basic.getPassword(), base + ".password", true);
    if (seen.contains("authorization")) {
      findings.problem(
          Reason.VALIDATION_FAILED,
          OTLP
              + ".headers: an Authorization header conflicts with authentication.basic;"
              + " remove one of them");
    } else if (user != null && user.contains(":")) {
      findings.problem(
          Reason.VALIDATION_FAILED,
          base + ".user: must not contain ':'; basic auth cannot send it");
    } else if (hasLineBreak(user) || hasLineBreak(password)) {
      findings.problem(
          Reason.VALIDATION_FAILED,
          base
              + (hasLineBreak(user) ? ".user" : ".password")
              + ": contains a line break (often a trailing newline in a Secret); remove it");
    } else if (user != null && password != null) {
      String token =
          Base64.getEncoder()
              .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      headers.put("Authorization", "Basic " + token);
    }
  }

  private static boolean hasLineBreak(String value) {
    return value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0);
  }
}
