package dev.shoal.manager.reconcile;

import dev.shoal.manager.crd.BasicAuth;
import dev.shoal.manager.crd.Condition;
import dev.shoal.manager.crd.Header;
import dev.shoal.manager.crd.MetricPipelineSpec;
import dev.shoal.manager.crd.NamespaceSelector;
import dev.shoal.manager.crd.OtlpInput;
import dev.shoal.manager.crd.OtlpOutput;
import dev.shoal.manager.crd.OutputTls;
import dev.shoal.manager.crd.PipelineKind;
import dev.shoal.manager.crd.PipelineResource;
import dev.shoal.manager.crd.PipelineSpec;
import dev.shoal.manager.crd.QueueSpec;
import dev.shoal.manager.crd.ResourceRef;
import dev.shoal.manager.crd.RetrySpec;
import dev.shoal.manager.crd.SecretKeyRef;
import dev.shoal.manager.crd.ValueType;
import dev.shoal.pipeline.output.OtlpOutputSettings;
import dev.shoal.pipeline.output.OtlpOutputSettings.Compression;
import dev.shoal.pipeline.output.OtlpOutputSettings.Protocol;
import dev.shoal.pipeline.output.OtlpOutputSettings.Retry;
import dev.shoal.pipeline.output.OtlpOutputSettings.Tls;
import dev.shoal.pipeline.stream.InputSelector;
import dev.shoal.pipeline.stream.Overflow;
import dev.shoal.pipeline.stream.PipelineDefaults;
import dev.shoal.pipeline.stream.PipelineSettings;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns pipeline resources and Secrets into the settings the data plane runs, and one {@code
 * ConfigurationGenerated} condition per resource. A pure function of its input and the time passed
 * in: it reads nothing and writes nothing, so the folder source and the Kubernetes source share it.
 *
 * <p>An invalid resource does not run and leaves the others alone. Its condition is False with the
 * most severe {@link Reason} found and a message that names the field, the problem and the fix.
 */
public final class PipelineReconciler {

  private static final String OTLP = "spec.output.otlp";
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /**
   * What the resources come to.
   *
   * @param pipelines the pipelines to run, ordered by name
   * @param conditions the {@code ConfigurationGenerated} condition of every resource, by resource
   */
  public record Result(List<PipelineSettings> pipelines, Map<ResourceRef, Condition> conditions) {

    public static final Result EMPTY = new Result(List.of(), Map.of());

    public Result {
      pipelines = List.copyOf(pipelines);
      conditions = Collections.unmodifiableMap(new TreeMap<>(conditions));
    }

    /** The reason of a resource's condition, if the resource is known. */
    public Optional<String> reason(ResourceRef ref) {
      return Optional.ofNullable(conditions.get(ref)).map(Condition::getReason);
    }
  }

  private final PipelineDefaults defaults;
  private final ReconcilerSettings settings;

  public PipelineReconciler(PipelineDefaults defaults, ReconcilerSettings settings) {
    this.defaults = defaults;
    this.settings = settings;
  }

  /** The pipelines to run and every resource's condition, as of {@code now}. */
  public Result reconcile(ResourceSnapshot snapshot, Instant now) {
    SecretIndex secrets = new SecretIndex(snapshot.secrets());
    Map<ResourceRef, Outcome> outcomes = new TreeMap<>();
    Map<ResourceRef, PipelineResource> resources = new TreeMap<>();
    for (PipelineResource resource : snapshot.pipelines()) {
      if (resource.getMetadata() == null || resource.getMetadata().getName() == null) continue;
      ResourceRef ref = resource.ref();
      resources.put(ref, resource);
      String schemaProblem = snapshot.schemaProblems().get(ref);
      outcomes.put(
          ref,
          schemaProblem != null
              ? Outcome.failed(Reason.VALIDATION_FAILED, schemaProblem)
              : new Translation(resource, secrets, now).run());
    }
    enforceLimit(outcomes, resources);

    String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    List<PipelineSettings> running = new ArrayList<>();
    Map<ResourceRef, Condition> conditions = new TreeMap<>();
    outcomes.forEach(
        (ref, outcome) -> {
          if (outcome.settings != null) running.add(outcome.settings);
          conditions.put(
              ref,
              new Condition(
                  Condition.CONFIGURATION_GENERATED,
                  outcome.reason.status(),
                  outcome.reason.id(),
                  outcome.message,
                  time,
                  resources.get(ref).generation()));
        });
    running.sort(Comparator.comparing(PipelineSettings::name));
    return new Result(running, conditions);
  }

  /** Beyond the limit, the pipelines created last (then: last by name) stop. */
  private void enforceLimit(
      Map<ResourceRef, Outcome> outcomes, Map<ResourceRef, PipelineResource> resources) {
    int max = settings.maxPipelinesPerKind();
    if (max == 0) return;
    Map<PipelineKind, List<ResourceRef>> runnable = new EnumMap<>(PipelineKind.class);
    outcomes.forEach(
        (ref, outcome) -> {
          if (outcome.settings != null) {
            runnable.computeIfAbsent(ref.kind(), k -> new ArrayList<>()).add(ref);
          }
        });
    Comparator<ResourceRef> oldestFirst =
        Comparator.<ResourceRef, Instant>comparing(
                ref -> created(resources.get(ref)), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(ResourceRef::name);
    runnable.forEach(
        (kind, refs) -> {
          refs.sort(oldestFirst);
          for (ResourceRef ref : refs.subList(Math.min(max, refs.size()), refs.size())) {
            outcomes.put(
                ref,
                Outcome.failed(
                    Reason.MAX_PIPELINES_EXCEEDED,
                    "At most "
                        + max
                        + " "
                        + kind.kind()
                        + " resources run (shoal.manager.max-pipelines-per-kind) and older ones"
                        + " take the places; delete a "
                        + kind.kind()
                        + " or raise the limit"));
          }
        });
  }

  private static Instant created(PipelineResource resource) {
    String timestamp = resource.getMetadata().getCreationTimestamp();
    if (timestamp == null) return null;
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private record Finding(Reason reason, String message) {}

  private record Outcome(Reason reason, String message, PipelineSettings settings) {
    static Outcome failed(Reason reason, String message) {
      return new Outcome(reason, message, null);
    }
  }

  /** The checks and the translation of one resource; collects every problem it finds. */
  private final class Translation {
    private final PipelineResource resource;
    private final SecretIndex secrets;
    private final Instant now;
    private final List<Finding> findings = new ArrayList<>();

    Translation(PipelineResource resource, SecretIndex secrets, Instant now) {
      this.resource = resource;
      this.secrets = secrets;
      this.now = now;
    }

    Outcome run() {
      PipelineSettings pipeline = translate();
      Reason worst =
          findings.stream()
              .map(Finding::reason)
              .min(Comparator.naturalOrder())
              .orElse(Reason.CONFIGURATION_APPLIED);
      if (worst == Reason.CONFIGURATION_APPLIED) {
        return new Outcome(worst, "The pipeline is valid and runs.", pipeline);
      }
      String message =
          findings.stream()
              .filter(f -> f.reason == worst)
              .map(Finding::message)
              .distinct()
              .collect(Collectors.joining("; "));
      return new Outcome(worst, message, worst.runs() ? pipeline : null);
    }

    private void problem(Reason reason, String message) {
      findings.add(new Finding(reason, message));
    }

    private boolean blocked() {
      return findings.stream().anyMatch(f -> !f.reason.runs());
    }

    private PipelineSettings translate() {
      PipelineSpec spec = resource.pipelineSpec();
      if (spec == null) {
        problem(Reason.VALIDATION_FAILED, "spec: required; give at least spec.output.otlp");
        return null;
      }
      InputSelector input = input(spec);
      long queueBytes = defaults.queueBytes();
      Overflow overflow = Overflow.DROP;
      QueueSpec queue = spec.getQueue();
      if (queue != null) {
        if (queue.getBytes() != null) queueBytes = queueBytes(queue.getBytes());
        overflow = overflow(queue.getOverflow());
      }
      OtlpOutputSettings output = output(spec);
      int concurrency = concurrency(spec);
      if (blocked()) return null;
      try {
        return new PipelineSettings(
            resource.ref().pipelineName(),
            resource.pipelineKind().signal(),
            queueBytes,
            defaults.batch(),
            concurrency,
            overflow,
            input,
            output);
      } catch (IllegalArgumentException e) {
        problem(Reason.VALIDATION_FAILED, e.getMessage());
        return null;
      }
    }

    // ---- input

    private int concurrency(PipelineSpec spec) {
      Integer wanted =
          spec.getOutput() == null || spec.getOutput().getOtlp() == null
              ? null
              : spec.getOutput().getOtlp().getConcurrency();
      if (wanted == null) return defaults.exportConcurrency();
      if (wanted < 1 || wanted > 64) {
        problem(Reason.VALIDATION_FAILED, OTLP + ".concurrency: must be 1 to 64, found " + wanted);
        return 1;
      }
      return wanted;
    }

    private InputSelector input(PipelineSpec spec) {
      if (spec instanceof MetricPipelineSpec metrics && metrics.getInput() != null) {
        var in = metrics.getInput();
        if (in.getPrometheus() != null) {
          namespaces(in.getPrometheus().getNamespaces(), "spec.input.prometheus.namespaces");
        }
        if (in.getIstio() != null) {
          namespaces(in.getIstio().getNamespaces(), "spec.input.istio.namespaces");
        }
        if (in.getRuntime() != null) {
          namespaces(in.getRuntime().getNamespaces(), "spec.input.runtime.namespaces");
        }
      }
      OtlpInput otlp = spec.otlpInput();
      if (otlp == null) return InputSelector.ALL;
      boolean enabled = true;
      if (otlp.getEnabled() != null && otlp.getDisabled() != null) {
        if (otlp.getEnabled().equals(otlp.getDisabled())) {
          problem(
              Reason.VALIDATION_FAILED,
              "spec.input.otlp: enabled and disabled contradict each other; give only enabled");
        }
      }
      if (otlp.getEnabled() != null) {
        enabled = otlp.getEnabled();
      } else if (otlp.getDisabled() != null) {
        enabled = !otlp.getDisabled();
      }
      List<Set<String>> selected = namespaces(otlp.getNamespaces(), "spec.input.otlp.namespaces");
      if (selected == null) return null;
      return new InputSelector(enabled, selected.get(0), selected.get(1));
    }

    /** [include, exclude], or null after a problem. */
    private List<Set<String>> namespaces(NamespaceSelector selector, String path) {
      if (selector == null) return List.of(Set.of(), Set.of());
      Set<String> include = names(selector.getInclude(), path + ".include");
      Set<String> exclude = names(selector.getExclude(), path + ".exclude");
      if (include == null || exclude == null) return null;
      if (!include.isEmpty() && !exclude.isEmpty()) {
        problem(Reason.VALIDATION_FAILED, path + ": give include or exclude, not both");
        return null;
      }
      return List.of(include, exclude);
    }

    private Set<String> names(List<String> names, String path) {
      if (names == null) return Set.of();
      Set<String> result = new LinkedHashSet<>();
      for (String name : names) {
        if (name == null || name.isBlank()) {
          problem(Reason.VALIDATION_FAILED, path + ": holds an empty namespace name; remove it");
          return null;
        }
        result.add(name);
      }
      return result;
    }

    // ---- queue

    private long queueBytes(Quantity bytes) {
      try {
        BigDecimal amount = Quantity.getAmountInBytes(bytes);
        long value = amount.setScale(0, RoundingMode.CEILING).longValueExact();
        if (value >= 1) return value;
      } catch (RuntimeException notAQuantity) {
        // reported below
      }
      problem(
          Reason.VALIDATION_FAILED,
          "spec.queue.bytes: '"
              + bytes
              + "' is not a positive byte quantity; write e.g. 64Mi or 1Gi");
      return defaults.queueBytes();
    }

    private Overflow overflow(String overflow) {
      if (overflow == null) return Overflow.DROP;
      return switch (overflow) {
        case "drop" -> Overflow.DROP;
        case "refuse" -> Overflow.REFUSE;
        default -> {
          problem(
              Reason.VALIDATION_FAILED,
              "spec.queue.overflow: '" + overflow + "' is not supported; use drop or refuse");
          yield Overflow.DROP;
        }
      };
    }

    // ---- output

    private OtlpOutputSettings output(PipelineSpec spec) {
      OtlpOutput otlp = spec.getOutput() == null ? null : spec.getOutput().getOtlp();
      if (otlp == null) {
        problem(
            Reason.VALIDATION_FAILED,
            OTLP + ": required; give the backend as spec.output.otlp.endpoint.value");
        return null;
      }
      Protocol protocol = protocol(otlp.getProtocol());
      URI endpoint = endpoint(otlp.getEndpoint());
      String path = path(otlp.getPath(), protocol);
      Map<String, String> headers = headers(otlp);
      Tls tls = tls(otlp.getTls());
      Compression compression = compression(otlp.getCompression());
      Duration timeout =
          otlp.getTimeout() == null
              ? settings.otlpRequestTimeout()
              : duration(otlp.getTimeout(), OTLP + ".timeout", settings.otlpRequestTimeout());
      Retry retry = retry(otlp.getRetry());
      if (blocked()) return null;
      return new OtlpOutputSettings(
          protocol, endpoint, path, headers, tls, compression, timeout, retry);
    }

    private Protocol protocol(String protocol) {
      if (protocol == null || protocol.isEmpty()) return Protocol.GRPC;
      return switch (protocol) {
        case "grpc" -> Protocol.GRPC;
        case "http" -> Protocol.HTTP;
        default -> {
          problem(
              Reason.VALIDATION_FAILED,
              OTLP + ".protocol: '" + protocol + "' is not supported; use grpc or http");
          yield Protocol.GRPC;
        }
      };
    }

    private URI endpoint(ValueType endpoint) {
      String raw = resolve(endpoint, OTLP + ".endpoint", true);
      if (raw == null) return null;
      String text = raw.trim();
      try {
        URI uri = new URI(text);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https"))
            && uri.getHost() != null
            && !uri.getHost().isEmpty()) {
          return uri;
        }
      } catch (URISyntaxException invalid) {
        // reported below
      }
      String shown =
          endpoint.getValueFrom() != null
              ? "the value from " + describe(endpoint.getValueFrom().getSecretKeyRef())
              : "'" + text + "'";
      problem(
          Reason.ENDPOINT_INVALID,
          OTLP
              + ".endpoint: "
              + shown
              + " is not a URL with scheme http or https and a host; write it as"
              + " https://host:port (or http://host:port for plaintext)");
      return null;
    }

    private String path(String path, Protocol protocol) {
      boolean given = path != null && !path.isEmpty();
      if (protocol == Protocol.GRPC) {
        if (given) {
          problem(
              Reason.VALIDATION_FAILED,
              OTLP + ".path: only for protocol http; remove it or set protocol: http");
        }
        return "";
      }
      if (!given) return resource.pipelineKind().signal().httpPath();
      if (!path.startsWith("/")) {
        problem(Reason.VALIDATION_FAILED, OTLP + ".path: '" + path + "' must start with /");
      }
      return path;
    }

    private Map<String, String> headers(OtlpOutput otlp) {
      Map<String, String> headers = new LinkedHashMap<>();
      Set<String> seen = new HashSet<>();
      List<Header> given = otlp.getHeaders() == null ? List.of() : otlp.getHeaders();
      for (int i = 0; i < given.size(); i++) {
        Header header = given.get(i);
        String path = OTLP + ".headers[" + i + "]";
        if (header == null) {
          problem(Reason.VALIDATION_FAILED, path + ": empty; remove it");
          continue;
        }
        String name = header.getName();
        if (name == null || !HEADER_NAME.matcher(name).matches()) {
          problem(
              Reason.VALIDATION_FAILED,
              path
                  + ".name: "
                  + (name == null ? "required" : "'" + name + "' is not a valid header name")
                  + "; give a name of letters, digits and -");
          continue;
        }
        if (!seen.add(name.toLowerCase(Locale.ROOT))) {
          problem(
              Reason.VALIDATION_FAILED,
              path + ".name: header " + name + " is given twice; keep one");
          continue;
        }
        String value = resolve(header, path, true);
        if (value == null) continue;
        String prefix = header.getPrefix();
        String full = prefix == null || prefix.isEmpty() ? value : prefix + " " + value;
        if (full.indexOf('\n') >= 0 || full.indexOf('\r') >= 0) {
          problem(
              Reason.VALIDATION_FAILED,
              path
                  + ": the value of header "
                  + name
                  + " contains a line break (often a trailing newline in a Secret); remove it");
          continue;
        }
        headers.put(name, full);
      }
      BasicAuth basic =
          otlp.getAuthentication() == null ? null : otlp.getAuthentication().getBasic();
      if (basic != null) {
        String base = OTLP + ".authentication.basic";
        String user = resolve(basic.getUser(), base + ".user", true);
        String password = resolve(basic.getPassword(), base + ".password", true);
        if (seen.contains("authorization")) {
          problem(
              Reason.VALIDATION_FAILED,
              OTLP
                  + ".headers: an Authorization header conflicts with authentication.basic;"
                  + " remove one of them");
        } else if (user != null && user.contains(":")) {
          problem(
              Reason.VALIDATION_FAILED,
              base + ".user: must not contain ':'; basic auth cannot send it");
        } else if (user != null && password != null) {
          String token =
              Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
          headers.put("Authorization", "Basic " + token);
        }
      }
      return headers;
    }

    private Tls tls(OutputTls tls) {
      if (tls == null) return Tls.DEFAULT;
      boolean insecure = Boolean.TRUE.equals(tls.getInsecure());
      boolean skipVerify = Boolean.TRUE.equals(tls.getInsecureSkipVerify());
      if (insecure) {
        // Plaintext: certificates are not used, so they are neither read nor checked.
        return new Tls(true, skipVerify, Optional.empty(), Optional.empty(), Optional.empty());
      }
      String base = OTLP + ".tls";
      String ca = resolve(tls.getCa(), base + ".ca", false);
      String cert = resolve(tls.getCert(), base + ".cert", false);
      String key = resolve(tls.getKey(), base + ".key", false);
      if (tls.getCert() != null && tls.getKey() == null) {
        problem(
            Reason.TLS_CONFIGURATION_INVALID,
            base + ": cert is given without key; mutual TLS needs both, or remove cert");
      } else if (tls.getKey() != null && tls.getCert() == null) {
        problem(
            Reason.TLS_CONFIGURATION_INVALID,
            base + ": key is given without cert; mutual TLS needs both, or remove key");
      }
      List<X509Certificate> caCerts = ca == null ? List.of() : certificates(ca, base + ".ca");
      List<X509Certificate> clientCerts =
          cert == null ? List.of() : certificates(cert, base + ".cert");
      PrivateKey privateKey = key == null ? null : privateKey(key, base + ".key");
      if (!clientCerts.isEmpty()
          && privateKey != null
          && !TlsMaterial.belongTogether(clientCerts.get(0), privateKey)) {
        problem(
            Reason.TLS_CONFIGURATION_INVALID,
            base
                + ".key: does not belong to the certificate in "
                + base
                + ".cert; give the key the certificate was issued for");
      }
      expiry(caCerts, base + ".ca");
      expiry(clientCerts, base + ".cert");
      return new Tls(
          false,
          skipVerify,
          Optional.ofNullable(ca),
          Optional.ofNullable(cert),
          Optional.ofNullable(key));
    }

    private List<X509Certificate> certificates(String pem, String path) {
      try {
        return TlsMaterial.certificates(pem);
      } catch (TlsMaterial.InvalidTls e) {
        problem(
            Reason.TLS_CONFIGURATION_INVALID,
            path + ": " + e.getMessage() + "; give the certificate in PEM format");
        return List.of();
      }
    }

    private PrivateKey privateKey(String pem, String path) {
      try {
        return TlsMaterial.privateKey(pem);
      } catch (TlsMaterial.InvalidTls e) {
        problem(Reason.TLS_CONFIGURATION_INVALID, path + ": " + e.getMessage());
        return null;
      }
    }

    private void expiry(List<X509Certificate> certificates, String path) {
      for (X509Certificate certificate : certificates) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        String subject = certificate.getSubjectX500Principal().getName();
        if (!now.isBefore(notAfter)) {
          problem(
              Reason.TLS_CERTIFICATE_EXPIRED,
              path
                  + ": the certificate "
                  + subject
                  + " expired on "
                  + notAfter
                  + "; renew it and update the pipeline or its Secret");
        } else if (notAfter.isBefore(now.plus(settings.tlsExpiryWarning()))) {
          long days = Duration.between(now, notAfter).toDays();
          problem(
              Reason.TLS_CERTIFICATE_ABOUT_TO_EXPIRE,
              path
                  + ": the certificate "
                  + subject
                  + " expires on "
                  + notAfter
                  + " (in "
                  + days
                  + (days == 1 ? " day" : " days")
                  + "), and the pipeline stops then; renew it and update the pipeline or its"
                  + " Secret");
        }
      }
    }

    private Compression compression(String compression) {
      if (compression == null || compression.isEmpty()) return Compression.GZIP;
      return switch (compression) {
        case "gzip" -> Compression.GZIP;
        case "none" -> Compression.NONE;
        default -> {
          problem(
              Reason.VALIDATION_FAILED,
              OTLP + ".compression: '" + compression + "' is not supported; use gzip or none");
          yield Compression.GZIP;
        }
      };
    }

    private Retry retry(RetrySpec retry) {
      if (retry == null) return Retry.DEFAULT;
      String base = OTLP + ".retry";
      Retry defaults = Retry.DEFAULT;
      boolean enabled = retry.getEnabled() == null || retry.getEnabled();
      Duration initial =
          retry.getInitialInterval() == null
              ? defaults.initialInterval()
              : duration(retry.getInitialInterval(), base + ".initialInterval", null);
      Duration max =
          retry.getMaxInterval() == null
              ? defaults.maxInterval()
              : duration(retry.getMaxInterval(), base + ".maxInterval", null);
      Duration elapsed =
          retry.getMaxElapsedTime() == null
              ? defaults.maxElapsed()
              : duration(retry.getMaxElapsedTime(), base + ".maxElapsedTime", null);
      if (initial == null || max == null || elapsed == null) return defaults;
      if (initial.compareTo(max) > 0) {
        problem(
            Reason.VALIDATION_FAILED,
            base + ": initialInterval " + initial + " is longer than maxInterval " + max);
      }
      return new Retry(enabled, initial, max, elapsed);
    }

    private Duration duration(String text, String path, Duration fallback) {
      Duration duration = GoDurations.parse(text);
      if (duration == null || duration.isZero()) {
        problem(
            Reason.VALIDATION_FAILED,
            path + ": '" + text + "' is not a positive duration; write e.g. 500ms, 10s or 1m30s");
        return fallback;
      }
      return duration;
    }

    // ---- values

    /**
     * The value, from the pipeline or its Secret; null when missing (after a problem if needed).
     */
    private String resolve(ValueType value, String path, boolean required) {
      boolean plain = value != null && value.getValue() != null && !value.getValue().isEmpty();
      boolean fromSecret = value != null && value.getValueFrom() != null;
      if (!plain && !fromSecret) {
        if (required) {
          problem(
              Reason.VALIDATION_FAILED,
              path + ": required; give " + path + ".value or " + path + ".valueFrom.secretKeyRef");
        }
        return null;
      }
      if (plain && fromSecret) {
        problem(Reason.VALIDATION_FAILED, path + ": give value or valueFrom, not both");
        return null;
      }
      if (plain) return value.getValue();
      String refPath = path + ".valueFrom.secretKeyRef";
      SecretKeyRef ref = value.getValueFrom().getSecretKeyRef();
      if (ref == null) {
        problem(
            Reason.VALIDATION_FAILED,
            refPath + ": required; give the Secret's name and namespace and the key");
        return null;
      }
      if (ref.getName() == null || ref.getName().isBlank()) {
        problem(Reason.VALIDATION_FAILED, refPath + ".name: required; give the Secret's name");
        return null;
      }
      if (ref.getKey() == null || ref.getKey().isBlank()) {
        problem(Reason.VALIDATION_FAILED, refPath + ".key: required; give the key in the Secret");
        return null;
      }
      String secretName = SecretIndex.namespace(ref.getNamespace()) + "/" + ref.getName();
      Map<String, SecretIndex.Entry> secret = secrets.secret(ref.getNamespace(), ref.getName());
      if (secret == null) {
        problem(
            Reason.REFERENCED_SECRET_MISSING,
            refPath
                + ": Secret "
                + secretName
                + " does not exist; create it or correct the reference");
        return null;
      }
      SecretIndex.Entry entry = secret.get(ref.getKey());
      if (entry == null) {
        problem(
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
        problem(
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

    private String describe(SecretKeyRef ref) {
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
}
