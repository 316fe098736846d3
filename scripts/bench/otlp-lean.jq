# otlp-lean.jq - the least a jq program does to flatten OTLP/JSON traces
# into one object per span: no normalization, no attribute decoding, no
# checks.  The benchmark's lower bound for jq (scripts/bench/lognorm.sh);
# the shipped rule's own program is tests/reference/otlp-jq.rules.
#
#   jq -c -f scripts/bench/otlp-lean.jq < traces.json
.resourceSpans[]
| ([.resource.attributes[]? | select(.key == "service.name") | .value.stringValue][0]) as $svc
| (.scopeSpans // .instrumentationLibrarySpans)[]
| .spans[]
| {trace_id: .traceId, span_id: .spanId, parent_span_id: .parentSpanId,
   system_id: $svc, checkpoint_id: .name, start: .startTimeUnixNano,
   end: .endTimeUnixNano, status: .status.code}
