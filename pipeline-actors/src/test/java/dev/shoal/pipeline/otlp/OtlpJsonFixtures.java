package dev.shoal.pipeline.otlp;

import java.nio.charset.StandardCharsets;

/** Ids and OTLP/JSON request bodies shared by the {@code OtlpJson*Test} classes. */
final class OtlpJsonFixtures {

  private OtlpJsonFixtures() {}

  static final byte[] TRACE_ID = {
    0x5b,
    (byte) 0x8e,
    (byte) 0xff,
    (byte) 0xf7,
    (byte) 0x98,
    0x03,
    (byte) 0x81,
    0x03,
    (byte) 0xd2,
    0x69,
    (byte) 0xb6,
    0x33,
    (byte) 0x81,
    0x3f,
    (byte) 0xc6,
    0x0c
  };
  static final byte[] SPAN_ID = {
    (byte) 0xee, (byte) 0xe1, (byte) 0x9b, 0x7e, (byte) 0xc3, (byte) 0xc1, (byte) 0xb1, 0x74
  };
  static final byte[] PARENT_SPAN_ID = {
    (byte) 0xee, (byte) 0xe1, (byte) 0x9b, 0x7e, (byte) 0xc3, (byte) 0xc1, (byte) 0xb1, 0x73
  };
  static final byte[] LINKED_TRACE_ID = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, (byte) 0xff
  };
  static final byte[] LINKED_SPAN_ID = {(byte) 0xa0, 1, 2, 3, 4, 5, 6, (byte) 0xb7};

  /** Modelled on the example in the OTLP specification, with ids in upper and lower case. */
  static final String TRACES =
      """
      {
        "resourceSpans": [{
          "resource": {
            "attributes": [
              {"key": "service.name", "value": {"stringValue": "checkout"}},
              {"key": "host.cpus", "value": {"intValue": "8"}}
            ]
          },
          "scopeSpans": [{
            "scope": {"name": "my.library", "version": "1.0.0"},
            "spans": [
              {
                "traceId": "5B8EFFF798038103D269B633813FC60C",
                "spanId": "eee19b7ec3c1b174",
                "parentSpanId": "EEE19B7EC3C1B173",
                "name": "GET /cart",
                "kind": 2,
                "startTimeUnixNano": "1544712660000000000",
                "endTimeUnixNano": 1544712661000000001,
                "flags": 257,
                "status": {"code": 2, "message": "boom"},
                "events": [{
                  "timeUnixNano": "1544712660500000000",
                  "name": "exception",
                  "attributes": [{"key": "exception.type", "value": {"stringValue": "IOError"}}]
                }],
                "links": [{
                  "traceId": "000102030405060708090a0b0c0d0eff",
                  "spanId": "a0010203040506b7",
                  "attributes": [{"key": "why", "value": {"boolValue": true}}]
                }]
              },
              {
                "traceId": "5b8efff798038103d269b633813fc60c",
                "spanId": "a0010203040506b7",
                "parentSpanId": "",
                "name": "root",
                "kind": "SPAN_KIND_SERVER",
                "status": {"code": "STATUS_CODE_OK"}
              }
            ]
          }]
        }]
      }
      """;

  static final String METRICS =
      """
      {
        "resourceMetrics": [{
          "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "s"}}]},
          "scopeMetrics": [{
            "scope": {"name": "meter"},
            "metrics": [
              {
                "name": "temperature",
                "unit": "Cel",
                "gauge": {"dataPoints": [{"asDouble": 21.5, "timeUnixNano": "1544712660300000000"}]}
              },
              {
                "name": "requests",
                "sum": {
                  "aggregationTemporality": 2,
                  "isMonotonic": true,
                  "dataPoints": [{
                    "asInt": "9007199254740993",
                    "startTimeUnixNano": 1544712660000000000,
                    "timeUnixNano": "1544712660300000000",
                    "attributes": [{"key": "code", "value": {"intValue": 200}}]
                  }]
                }
              },
              {
                "name": "latency",
                "histogram": {
                  "aggregationTemporality": "AGGREGATION_TEMPORALITY_DELTA",
                  "dataPoints": [{
                    "count": "6",
                    "sum": 12.5,
                    "bucketCounts": ["1", 2, "3"],
                    "explicitBounds": [1, 5],
                    "timeUnixNano": "1544712660300000000",
                    "exemplars": [{
                      "asDouble": 4.2,
                      "timeUnixNano": "1544712660200000000",
                      "spanId": "EEE19B7EC3C1B174",
                      "traceId": "5b8efff798038103d269b633813fc60c",
                      "filteredAttributes": [{"key": "user", "value": {"stringValue": "u1"}}]
                    }]
                  }]
                }
              }
            ]
          }]
        }]
      }
      """;

  static final String LOGS =
      """
      {
        "resourceLogs": [{
          "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "s"}}]},
          "scopeLogs": [{
            "scope": {"name": "logger"},
            "logRecords": [
              {
                "timeUnixNano": "1544712660300000000",
                "observedTimeUnixNano": 1544712660300000001,
                "severityNumber": "SEVERITY_NUMBER_INFO",
                "severityText": "Information",
                "traceId": "5b8efff798038103d269b633813fc60c",
                "spanId": "eee19b7ec3c1b174",
                "body": {"stringValue": "cart checked out"},
                "attributes": [{"key": "payload", "value": {"bytesValue": "AQID"}}]
              },
              {"severityNumber": 17, "body": {"stringValue": "no trace context"}}
            ]
          }]
        }]
      }
      """;

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
