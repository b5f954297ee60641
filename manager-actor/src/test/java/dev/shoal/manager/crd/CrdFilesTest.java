package dev.shoal.manager.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs checked in under {@code deploy/crds} are exactly what the build generates from the
 * resource classes. The crd-generator-maven-plugin writes {@code <plural>.<group>-v1.yml} into
 * {@code target/classes/META-INF/fabric8} at process-classes; the checked-in copy of each is {@code
 * deploy/crds/<plural>.<group>.yaml}. The build never writes into {@code deploy/}, so a build
 * leaves the work tree as it was; after a change to the classes this test fails until the copies
 * are refreshed with {@link #REGENERATE}, which runs this test in its writing mode.
 */
class CrdFilesTest {

  /** Run from the repository root: rebuilds the CRDs and copies them to deploy/crds. */
  static final String REGENERATE =
      "mvn -B -q -pl manager-actor -am test -Dtest=CrdFilesTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dshoal.crds.write=true";

  private static final String GENERATED_SUFFIX = "-v1.yml";
  private static final String CHECKED_IN_SUFFIX = ".yaml";

  @Test
  void checkedInCrdsAreWhatTheClassesGenerate() throws IOException {
    Map<String, String> generated = generated();
    assertEquals(
        List.of(
            "logpipelines.telemetry.shoal.dev",
            "metricpipelines.telemetry.shoal.dev",
            "tracepipelines.telemetry.shoal.dev"),
        List.copyOf(generated.keySet()),
        "one CRD per pipeline kind");
    Path crds = checkedInFolder();
    if (Boolean.getBoolean("shoal.crds.write")) write(generated, crds);

    Map<String, String> checkedIn = checkedIn(crds);
    for (Map.Entry<String, String> crd : generated.entrySet()) {
      String file = "deploy/crds/" + crd.getKey() + CHECKED_IN_SUFFIX;
      String copy = checkedIn.get(crd.getKey());
      if (copy == null) fail(file + " is missing; " + howToRegenerate());
      if (!copy.equals(crd.getValue())) {
        fail(
            file
                + " is stale ("
                + firstDifference(copy, crd.getValue())
                + "); "
                + howToRegenerate());
      }
    }
    assertEquals(
        generated.keySet(),
        checkedIn.keySet(),
        "deploy/crds holds a CRD no class generates; delete it or " + howToRegenerate());
  }

  /** The generated CRDs by name, as the plugin wrote them into the test classpath. */
  private static Map<String, String> generated() throws IOException {
    URL folder = CrdFilesTest.class.getResource("/META-INF/fabric8");
    assertNotNull(
        folder, "no META-INF/fabric8 on the classpath: did crd-generator-maven-plugin run?");
    Path dir;
    try {
      dir = Path.of(folder.toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    return read(dir, GENERATED_SUFFIX);
  }

  private static Map<String, String> checkedIn(Path crds) throws IOException {
    return read(crds, CHECKED_IN_SUFFIX);
  }

  private static Map<String, String> read(Path dir, String suffix) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : list.filter(f -> f.toString().endsWith(suffix)).toList()) {
        String name = file.getFileName().toString();
        // Compared as text, with line ends made alike (a checkout may turn them into CRLF).
        files.put(
            name.substring(0, name.length() - suffix.length()),
            Files.readString(file).replace("\r\n", "\n"));
      }
    }
    return files;
  }

  private static void write(Map<String, String> generated, Path crds) throws IOException {
    Files.createDirectories(crds);
    for (Map.Entry<String, String> crd : generated.entrySet()) {
      Files.writeString(crds.resolve(crd.getKey() + CHECKED_IN_SUFFIX), crd.getValue());
    }
    for (String stale : checkedIn(crds).keySet()) {
      if (!generated.containsKey(stale)) Files.delete(crds.resolve(stale + CHECKED_IN_SUFFIX));
    }
  }

  private static Path checkedInFolder() {
    // Surefire runs in the module folder; the repository root is its parent.
    Path deploy = Path.of("").toAbsolutePath().getParent().resolve("deploy");
    assertTrue(Files.isDirectory(deploy), "no deploy/ folder at " + deploy);
    return deploy.resolve("crds");
  }

  private static String howToRegenerate() {
    return "regenerate them from the repository root with: " + REGENERATE;
  }

  private static String firstDifference(String checkedIn, String generated) {
    List<String> a = checkedIn.lines().toList();
    List<String> b = generated.lines().toList();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String left = i < a.size() ? a.get(i) : "<end of file>";
      String right = i < b.size() ? b.get(i) : "<end of file>";
      if (!left.equals(right)) {
        return "line " + (i + 1) + ": checked in '" + left + "', generated '" + right + "'";
      }
    }
    return "they differ in the end of the last line";
  }
}
