package dev.shoal.pipeline.prometheus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.pipeline.prometheus.ExpositionParser.Exposition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpositionParserTest {

  private static Exposition text(String body) throws ExpositionException {
    return new ExpositionParser(ExpositionFormat.TEXT_0_0_4, 1000).parse(body);
  }

  private static Exposition om(String body) throws ExpositionException {
    return new ExpositionParser(ExpositionFormat.OPENMETRICS_1_0, 1000).parse(body);
  }

  @Test
  void textFamiliesWithHelpTypeAndSuffixes() throws Exception {
    Exposition e =
        text(
            """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{method="get",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="200"} 3 1395066363000

            # TYPE latency histogram
            latency_bucket{le="0.1"} 2
            latency_bucket{le="+Inf"} 5
            latency_sum 1.5
            latency_count 5
            # A plain comment is ignored
            # TYPE rpc summary
            rpc{quantile="0.5"} 4773
            rpc_sum 1.7560473e+07
            rpc_count 2693
            """);
    List<MetricFamily> f = e.families();
    assertEquals(3, f.size());
    assertEquals("http_requests_total", f.get(0).name());
    assertEquals(MetricType.COUNTER, f.get(0).type());
    assertEquals("Requests served.", f.get(0).help());
    assertEquals(1395066363000L, f.get(0).samples().get(0).timestampMillis());
    assertEquals("200", f.get(0).samples().get(0).label("code"));
    assertEquals(MetricType.HISTOGRAM, f.get(1).type());
    assertEquals(4, f.get(1).samples().size());
    assertEquals("_bucket", f.get(1).samples().get(0).suffix());
    assertEquals(MetricType.SUMMARY, f.get(2).type());
    assertEquals(1.7560473e+07, f.get(2).samples().get(1).value());
    assertEquals(9, e.samples());
  }

  @Test
  void escapesInLabelValuesAndHelp() throws Exception {
    Exposition e =
        text(
            "# HELP msg A \\\\ backslash\\nand a newline\n"
                + "msg{path=\"C:\\\\dir\",quote=\"say \\\"hi\\\"\",nl=\"a\\nb\",} 1\n");
    MetricFamily f = e.families().get(0);
    assertEquals("A \\ backslash\nand a newline", f.help());
    Sample s = f.samples().get(0);
    assertArrayEquals(
        new String[] {"path", "C:\\dir", "quote", "say \"hi\"", "nl", "a\nb"}, s.labels());
    ExpositionException bad =
        assertThrows(ExpositionException.class, () -> text("m{a=\"\\t\"} 1\n"));
    assertTrue(bad.getMessage().contains("invalid escape"), bad.getMessage());
    assertEquals(1, bad.line());
  }

  @Test
  void specialValues() throws Exception {
    Exposition e = text("a NaN\nb +Inf\nc -Inf\nd Inf\ne 1e-3\nf -0\n");
    List<MetricFamily> f = e.families();
    assertTrue(Double.isNaN(f.get(0).samples().get(0).value()));
    assertEquals(Double.POSITIVE_INFINITY, f.get(1).samples().get(0).value());
    assertEquals(Double.NEGATIVE_INFINITY, f.get(2).samples().get(0).value());
    assertEquals(Double.POSITIVE_INFINITY, f.get(3).samples().get(0).value());
    assertEquals(0.001, f.get(4).samples().get(0).value());
    assertThrows(ExpositionException.class, () -> text("a 1d\n"));
    assertThrows(ExpositionException.class, () -> text("a 0x10\n"));
    assertThrows(ExpositionException.class, () -> text("a Infinity\n"));
  }

  @Test
  void missingTypeMakesUnknownFamilies() throws Exception {
    Exposition e = text("# HELP temp Temperature.\ntemp 21.5\nother_total 3\n");
    assertEquals(2, e.families().size());
    assertEquals(MetricType.UNKNOWN, e.families().get(0).type());
    assertFalse(e.families().get(0).typeDeclared());
    assertEquals("Temperature.", e.families().get(0).help());
    assertEquals("other_total", e.families().get(1).name());
  }

  @Test
  void samplesOutsideTheDeclaredFamilyStartTheirOwn() throws Exception {
    Exposition e = text("# TYPE a gauge\na 1\na_total 2\n");
    assertEquals(2, e.families().size());
    assertEquals(MetricType.UNKNOWN, e.families().get(1).type());
  }

  @Test
  void secondTypeLineFails() {
    ExpositionException ex =
        assertThrows(
            ExpositionException.class, () -> text("# TYPE a gauge\na 1\n# TYPE a gauge\na 2\n"));
    assertEquals(3, ex.line());
  }

  @Test
  void truncatedBodiesFail() {
    ExpositionException mid = assertThrows(ExpositionException.class, () -> text("a 1\nb{x=\"y"));
    assertTrue(mid.getMessage().contains("cut short"), mid.getMessage());
    assertThrows(ExpositionException.class, () -> text("a 1\nb 2"));
    ExpositionException noEof =
        assertThrows(ExpositionException.class, () -> om("# TYPE a gauge\na 1\n"));
    assertTrue(noEof.getMessage().contains("# EOF"), noEof.getMessage());
    assertThrows(ExpositionException.class, () -> text("m{a=\"b\" 1\n"));
    assertThrows(ExpositionException.class, () -> text("m{a=\"b\"}\n"));
  }

  @Test
  void openMetricsCountersExemplarsTimestampsAndEof() throws Exception {
    Exposition e =
        om(
            """
            # TYPE requests counter
            # UNIT requests requests
            # HELP requests Requests \\"quoted\\".
            requests_total{path="/"} 10 1520879607.789 # {trace_id="0af7651916cd43dd8448eb211c80319c",span_id="b7ad6b7169203331"} 1 1520879607.5
            requests_created{path="/"} 1520430000.123
            # TYPE size histogram
            size_bucket{le="1"} 1 # {trace_id="x"} 0.5
            size_bucket{le="+Inf"} 2
            size_count 2
            size_sum 3.5
            size_created 1520430000
            # EOF
            """);
    MetricFamily c = e.families().get(0);
    assertEquals("requests", c.name());
    assertEquals(MetricType.COUNTER, c.type());
    assertEquals("requests", c.unit());
    assertEquals("Requests \"quoted\".", c.help());
    Sample total = c.samples().get(0);
    assertEquals("_total", total.suffix());
    assertEquals(1520879607789L, total.timestampMillis());
    assertNotNull(total.exemplar());
    assertEquals(1520879607500L, total.exemplar().timestampMillis());
    assertEquals("_created", c.samples().get(1).suffix());
    MetricFamily h = e.families().get(1);
    assertEquals(5, h.samples().size());
    assertEquals(0.5, h.samples().get(0).exemplar().value());
    assertNull(h.samples().get(1).exemplar());
  }

  @Test
  void contentAfterEofFails() {
    assertThrows(ExpositionException.class, () -> om("a 1\n# EOF\nb 2\n"));
  }

  @Test
  void exemplarsAreNotPartOfTheTextFormat() {
    assertThrows(ExpositionException.class, () -> text("a_total 1 # {trace_id=\"x\"} 1\n"));
  }

  @Test
  void openMetricsOnlyTypes() throws Exception {
    assertThrows(ExpositionException.class, () -> text("# TYPE a info\n"));
    Exposition e =
        om(
            "# TYPE build info\nbuild_info{version=\"1\"} 1\n# TYPE s stateset\ns{s=\"a\"} 1\n# EOF\n");
    assertEquals(MetricType.INFO, e.families().get(0).type());
    assertEquals("_info", e.families().get(0).samples().get(0).suffix());
    assertEquals(MetricType.STATESET, e.families().get(1).type());
  }

  @Test
  void sampleLimitStopsReading() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 20; i++) body.append("m{i=\"").append(i).append("\"} 1\n");
    ExpositionException e =
        assertThrows(
            ExpositionException.class,
            () -> new ExpositionParser(ExpositionFormat.TEXT_0_0_4, 10).parse(body.toString()));
    assertTrue(e.sampleLimitExceeded());
    assertEquals(11, e.line());
  }

  @Test
  void duplicateLabelNamesFail() {
    assertThrows(ExpositionException.class, () -> text("m{a=\"1\",a=\"2\"} 1\n"));
  }

  @Test
  void emptyBodyHasNoFamilies() throws Exception {
    assertEquals(0, text("").families().size());
  }

  @Test
  void contentTypeChoosesTheFormat() {
    assertEquals(
        ExpositionFormat.OPENMETRICS_1_0,
        ExpositionFormat.ofContentType(
            "application/openmetrics-text; version=1.0.0; charset=utf-8"));
    assertEquals(
        ExpositionFormat.TEXT_0_0_4, ExpositionFormat.ofContentType("text/plain; version=0.0.4"));
    assertEquals(ExpositionFormat.TEXT_0_0_4, ExpositionFormat.ofContentType(null));
  }
}
