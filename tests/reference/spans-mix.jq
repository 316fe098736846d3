# spans-mix.jq - variations of OTLP/JSON traces and logs, Zipkin v2 and
# Jaeger spans, one document per line, for comparing lognorm's native
# span decoders with the jq programs they replace (tests/reference/*-jq.rules,
# tests/11-shipped-rules.bats).
#
#   jq -n -c -f tests/reference/spans-mix.jq
#
# Each line is one document holding one span (or log record), whose
# fields, one at a time, take every value of a pool of JSON values of
# every type; and documents whose outer levels (resources, scopes, span
# lists, processes, references, attributes, tags) do.  Left out: what
# the decoders read differently on purpose (lognorm-rules(5)): base64
# ids, and Zipkin endpoints that are not objects; and an error after a
# "tonumber?" (an intValue) has run, which jq 1.6's try catches wrongly,
# as a later error (a null object instead of an error).

def pool: [null, true, false, 0, -0, 2, 2.0, -1, 2.5, 1e3, 6, -7,
  12345678901234567890, 0.00001, "", "0", "x", "12", " 7 ", "1e2", "0x1F",
  "nan", "STATUS_CODE_ERROR", "SPAN_KIND_CLIENT", "SPAN_KIND_", "ERROR",
  "FATAL error", "true", "1544712660900000000", "000", "0000000000000000",
  "1.5s", "1.2.3s", "é\u0001\"\\/", [], {}, [1, "a", null],
  {"a": 1, "b": [true]}, {"key": "k", "value": {"intValue": "5"}}];

# the same without containers of several items: the lists of log records
# and Jaeger spans, where the jq programs stopped at the first bad item
# and the decoders go on to the next
def single: [pool[] | select(type != "array" and type != "object" or length == 0)];

def anyvalues: [null, 5, "s", {}, {"stringValue": "v"},
  {"stringValue": null}, {"boolValue": false}, {"intValue": "5"},
  {"intValue": " 12 "}, {"intValue": "123456789012345678"},
  {"intValue": "abc"}, {"intValue": 7}, {"intValue": "1e3"},
  {"intValue": "nan"}, {"doubleValue": 1.50}, {"doubleValue": "2"},
  {"arrayValue": {"values": [{"intValue": "1"}, {"stringValue": "x"}, 3]}},
  {"arrayValue": {}}, {"arrayValue": null}, {"arrayValue": 5},
  {"arrayValue": {"values": {"a": {"boolValue": true}}}},
  {"kvlistValue": {"values": [{"key": "x", "value": {"intValue": "1"}},
    {"key": "y"}, {"key": null, "value": 1}, null,
    {"key": "x", "value": {"stringValue": "again"}}]}},
  {"kvlistValue": {"values": [5]}}, {"kvlistValue": {"values": [{"key": 5}]}},
  {"bytesValue": "AQID"}, {"stringValue": "v", "intValue": "3"}];

def attrlists: [null, false, 5, "s", [], {},
  [{"key": "peer.service", "value": {"stringValue": "payments"}}],
  [{"key": "a", "value": {"intValue": "1"}}, {"key": "b"},
   {"key": "a", "value": {"intValue": "2"}}, 7, null, {"value": 1},
   {"key": null, "value": 2}],
  [{"key": 5, "value": {"stringValue": "1"}}],
  [{"key": false, "value": {"stringValue": "1"}}],
  [{"key": "service.name", "value": {"stringValue": "svc"}},
   {"key": "service.name", "value": {"boolValue": false}}],
  {"x": {"key": "peer.service", "value": {"stringValue": "db"}}}]
  + [anyvalues[] | [{"key": "k", "value": .},
       {"key": "exception.message", "value": .},
       {"key": "peer.service", "value": .}]];

# one value set at a path, for each value
def vary($doc; $path; $values): $values[] as $v | $doc | setpath($path; $v);
def vary_del($doc; $path): $doc | delpaths([$path]);

# ---- OTLP traces --------------------------------------------------------------
def otlp_span: {traceId: "AAAABBBBCCCCDDDDEEEEFFFF00001111",
  spanId: "1111222233334444", parentSpanId: "5555666677778888",
  name: "GET /x", kind: 2, startTimeUnixNano: "1544712660900000000",
  endTimeUnixNano: "1544712661100000001",
  status: {code: 2, message: "boom"},
  attributes: [{key: "peer.service", value: {stringValue: "payments"}}],
  events: [{name: "exception", attributes: [{key: "exception.message",
    value: {stringValue: "card declined"}}]}],
  links: [{}]};
def otlp_doc($span): {resourceSpans: [{resource: {attributes: [
  {key: "service.name", value: {stringValue: "orders"}}]},
  scopeSpans: [{scope: {name: "s", version: "1"}, spans: [$span]}]}]};

((otlp_span | keys_unsorted[]) as $k
 | vary(otlp_doc(otlp_span); ["resourceSpans", 0, "scopeSpans", 0, "spans", 0, $k]; pool),
   vary_del(otlp_doc(otlp_span); ["resourceSpans", 0, "scopeSpans", 0, "spans", 0, $k])),
(vary(otlp_doc(otlp_span); ["resourceSpans", 0, "scopeSpans", 0, "spans", 0, "status", "code"]; pool),
 vary(otlp_doc(otlp_span); ["resourceSpans", 0, "scopeSpans", 0, "spans", 0, "status", "message"]; pool),
 vary(otlp_doc(otlp_span | .status.message = ""); ["resourceSpans", 0, "scopeSpans", 0, "spans", 0, "events"];
   pool + [[{name: "other"}, {name: "exception", attributes: [{key: "exception.message", value: {stringValue: "first"}}]},
     {name: "exception", attributes: [{key: "exception.message", value: {stringValue: "second"}}]}],
     [{name: "exception"}, 5], [null, {name: "exception", attributes: [{key: 3}]}]]),
 vary(otlp_doc(otlp_span); ["resourceSpans", 0, "scopeSpans", 0, "spans", 0, "attributes"]; attrlists),
 vary(otlp_doc(otlp_span | .status.message = null); ["resourceSpans", 0, "scopeSpans", 0, "spans", 0, "events", 0, "attributes"]; attrlists),
 vary(otlp_doc(otlp_span); ["resourceSpans", 0, "resource", "attributes"]; attrlists),
 vary(otlp_doc(otlp_span); ["resourceSpans", 0, "resource"]; pool),
 vary(otlp_doc(otlp_span); ["resourceSpans", 0, "scopeSpans", 0, "scope"]; pool),
 vary(otlp_doc(otlp_span); ["resourceSpans", 0, "scopeSpans", 0, "spans"]; pool),
 vary(otlp_doc(otlp_span); ["resourceSpans", 0, "scopeSpans"]; pool),
 vary(otlp_doc(otlp_span); ["resourceSpans", 0]; pool),
 vary(otlp_doc(otlp_span); ["resourceSpans"]; pool),
 (otlp_doc(otlp_span) | .resourceSpans[0] |= {resource, instrumentationLibrarySpans:
   [{instrumentationLibrary: {name: "old"}, spans: [otlp_span, 5, otlp_span]}]}),
 (otlp_doc(otlp_span) | .resourceSpans += [5, null, .resourceSpans[0]]),
 (otlp_doc(otlp_span) | .resourceSpans[0].scopeSpans += [{spans: [otlp_span]}, 7])),

# ---- OTLP logs ----------------------------------------------------------------
def otlp_log: {timeUnixNano: "1544712660400000000",
  observedTimeUnixNano: "1544712660300000000", severityNumber: 17,
  severityText: "ERROR", traceId: "5B8EFFF798038103D269B633813FC60C",
  spanId: "1111222233334444", eventName: "order.fail",
  body: {stringValue: "payment failed"},
  attributes: [{key: "event.name", value: {stringValue: "from.attr"}}]};
def logs_doc($rec): {resourceLogs: [{resource: {attributes: [
  {key: "service.name", value: {stringValue: "orders"}}]},
  scopeLogs: [{scope: {name: "s"}, logRecords: [$rec]}]}]};

((otlp_log | keys_unsorted[]) as $k
 | vary(logs_doc(otlp_log); ["resourceLogs", 0, "scopeLogs", 0, "logRecords", 0, $k]; pool),
   vary_del(logs_doc(otlp_log); ["resourceLogs", 0, "scopeLogs", 0, "logRecords", 0, $k])),
(vary(logs_doc(otlp_log); ["resourceLogs", 0, "scopeLogs", 0, "logRecords", 0, "body"]; anyvalues),
 vary(logs_doc(otlp_log | del(.eventName)); ["resourceLogs", 0, "scopeLogs", 0, "logRecords", 0, "attributes"]; attrlists),
 vary(logs_doc(otlp_log); ["resourceLogs", 0, "resource", "attributes"]; attrlists),
 vary(logs_doc(otlp_log); ["resourceLogs", 0, "scopeLogs", 0, "scope"]; pool),
 vary(logs_doc(otlp_log); ["resourceLogs", 0, "scopeLogs", 0, "logRecords"]; single),
 vary(logs_doc(otlp_log); ["resourceLogs", 0, "scopeLogs"]; single),
 vary(logs_doc(otlp_log); ["resourceLogs", 0]; pool),
 vary(logs_doc(otlp_log); ["resourceLogs"]; single),
 (logs_doc(otlp_log) | .resourceLogs[0] |= {resource, instrumentationLibraryLogs:
   [{instrumentationLibrary: {name: "old"}, logRecords: [otlp_log, null, otlp_log]}]})),

# ---- Zipkin -------------------------------------------------------------------
def zspan: {traceId: "AB00000000000001", id: "0000000000000002",
  parentId: "0000000000000001", kind: "CLIENT", name: "post /pay",
  timestamp: 1746354600002000, duration: 9000,
  localEndpoint: {serviceName: "frontend", ipv4: "10.0.0.1"},
  remoteEndpoint: {serviceName: "payments", ipv4: "10.0.0.2", port: 8080},
  tags: {error: "503 busy", "http.status_code": "503"}, shared: true,
  annotations: [{timestamp: 1, value: "cs"}, {value: "sr"}, null, 5, "s", {}]};
def endpoints: [null, {}, {serviceName: ""}, {serviceName: 5},
  {serviceName: "svc", ipv4: null, port: "80"}];

((zspan | keys_unsorted[]) as $k
 | vary([zspan]; [0, $k]; (if $k | test("Endpoint") then endpoints else pool end)),
   vary_del([zspan]; [0, $k]),
   vary(zspan; [$k]; (if $k | test("Endpoint") then endpoints else pool end))),
(vary([zspan]; [0, "tags"]; [{error: null}, {error: ""}, {error: true}, {error: "x", error2: 1}]),
 vary([zspan]; [0]; pool), [[zspan, zspan], [zspan]], [[zspan], 5], [[]], [[], []],
 [zspan, {traceId: "a"}], [{traceId: 5, id: "1"}]),

# ---- Jaeger -------------------------------------------------------------------
def jspan: {traceID: "ABCDEF0123456789", spanID: "00000000000000A2",
  operationName: "child", references: [{refType: "FOLLOWS_FROM",
  spanID: "00000000000000FF"}, {refType: "CHILD_OF", spanID: "00000000000000A1"}],
  startTime: 1706678909209800, duration: 10,
  tags: [{key: "error", type: "string", value: "true"},
    {key: "peer.service", value: "db"}, {key: "span.kind", value: "client"},
    {key: "otel.status_description", value: "bad"}, {key: 5, value: 1},
    {key: {"a": 1}, value: 2}, 7, {value: 3}],
  processID: "p2", logs: [{}, {}], warnings: ["w"]};
def jdoc($span): {data: [{traceID: "ABCDEF0123456789", spans: [$span],
  processes: {p1: {serviceName: "frontend", tags: [{key: "hostname",
  value: "h1"}]}, p2: {serviceName: "backend", tags: []}}}]};

((jspan | keys_unsorted[]) as $k
 | vary(jdoc(jspan); ["data", 0, "spans", 0, $k]; pool),
   vary_del(jdoc(jspan); ["data", 0, "spans", 0, $k])),
(vary(jdoc(jspan); ["data", 0, "spans", 0, "process"]; pool + [{serviceName: "inline", tags: [{key: "a", value: 1}]}]),
 vary(jdoc(jspan); ["data", 0, "spans", 0, "tags"];
   [[{key: "error", value: true}], [{key: "error", value: false}],
    [{key: "otel.status_code", value: "ERROR"}, {key: "otel.status_description", value: 5}]]),
 vary(jdoc(jspan | del(.parentSpanID)); ["data", 0, "spans", 0, "references"];
   [[{refType: "FOLLOWS_FROM", spanID: "0A"}], [null, {refType: "CHILD_OF", spanID: "0B"}],
    [5], [{refType: "CHILD_OF"}], {"r": {refType: "CHILD_OF", spanID: "0C"}}]),
 vary(jdoc(jspan); ["data", 0, "processes"]; pool),
 vary(jdoc(jspan); ["data", 0, "processes", "p2"]; pool),
 vary(jdoc(jspan); ["data", 0]; pool),
 vary(jdoc(jspan); ["data"]; pool),
 (jdoc(jspan) | .data[0].spans += [jspan, null]),
 (jdoc(jspan) | .data[0] | .spans += [jspan]))
