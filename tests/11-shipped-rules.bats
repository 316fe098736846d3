#!/usr/bin/env bats
# The shipped rule files: OTLP, Zipkin, Jaeger, logfmt (rules/*.rules).

load test_helper

span_fields='[.rule, .trace_id, .span_id, .parent_span_id, .system_id,
  .target_system_id, .checkpoint_id, .timestamp, .duration_ms, .status]'

@test "otlp: one event per span, ids lower-case, exact durations" {
	golden otlp-traces.events lognorm -n -r otlp spans/otlp-traces.json
	assert_success
	run jq -c "$span_fields" <<<"$output"
	assert_line --index 0 '["otlp-traces","aaaabbbbccccddddeeeeffff00001111","1111222233334444",null,"orders",null,"GET /x","2018-12-13T14:51:00.900Z",200.000001,"FAILURE"]'
	assert_line --index 1 '["otlp-traces","aaaabbbbccccddddeeeeffff00001111","5555666677778888","1111222233334444","orders","payments","call pay","2018-12-13T14:51:00.950Z",100,"FAILURE"]'
	assert_equal "${#lines[@]}" 4
}

@test "otlp: log records become events with severity as status" {
	golden otlp-logs.events lognorm -n -r otlp spans/otlp-logs.json
	assert_success
	run jq -c '[.status, .trace_id, .attrs.message]' <<<"$output"
	assert_equal "${#lines[@]}" 3
	assert_line --index 2 --partial '"SUCCESS","5b8efff798038103d269b633813fc60c"'
}

@test "zipkin: arrays (pretty-printed) and single spans, error tag is FAILURE" {
	golden zipkin.events lognorm -n -r zipkin spans/zipkin.json
	assert_success
	run jq -c "$span_fields" <<<"$output"
	assert_output - <<-'EOF'
	["zipkin-spans","ab00000000000001","0000000000000001",null,"frontend",null,"get /checkout","2025-05-04T10:30:00.000Z",15.5,"SUCCESS"]
	["zipkin-spans","ab00000000000001","0000000000000002","0000000000000001","frontend","payments","post /pay","2025-05-04T10:30:00.002Z",9,"FAILURE"]
	["zipkin-span","ab00000000000001","0000000000000003","0000000000000002","payments",null,"post /pay","2025-05-04T10:30:00.002Z",8,"SUCCESS"]
	EOF
}

@test "zipkin: an array that is not spans is rejected, not mangled" {
	printf '[1,2,3]\n[]\n' > "$BATS_TEST_TMPDIR/arr"
	run --separate-stderr lognorm -n -r zipkin -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/arr"
	assert_failure 1
	assert_output ''
	run jq -r .reason "$BATS_TEST_TMPDIR/rej"
	assert_line --index 0 'zipkin: not a zipkin span array'
}

@test "jaeger: CHILD_OF parent, process service, error tag" {
	golden jaeger.events lognorm -n -r jaeger spans/jaeger.json
	assert_success
	run jq -c "$span_fields" <<<"$output"
	assert_line --index 1 '["jaeger-traces","abcdef0123456789","00000000000000a2","00000000000000a1","backend","db","child","2024-01-31T05:28:29.209Z",0.01,"FAILURE"]'
}

@test "logfmt: quoted values, escapes, and lines that are not logfmt" {
	golden logfmt.events lognorm -n -r logfmt -x /dev/null spans/logfmt.log
	assert_failure 1
	run jq -c '[.system_id, .status, .attrs.message]' <<<"$output"
	assert_line --index 0 '["orders","FAILURE","payment failed"]'
	assert_line --index 1 '["inventory","SUCCESS","said \"hi\" to bob"]'
}

@test "rules are found by name on \$LOGPROC_RULES" {
	mkdir "$BATS_TEST_TMPDIR/mine"
	printf '[mine]\nmatch = x\nsystem_id = $x\n' > "$BATS_TEST_TMPDIR/mine/mine.rules"
	LOGPROC_RULES="/nonexistent:$BATS_TEST_TMPDIR/mine" run lognorm -l -n -r mine -r otlp
	assert_success
	assert_line --regexp '^mine +json '
	assert_line --regexp '^otlp-traces '
}

@test "rules by name: the build tree's rules without any variable, never the current directory" {
	# from a build tree (build/bin/lognorm finds ../../rules)
	LOGPROC_RULES= run lognorm -l -n -r otlp -r zipkin -r jaeger -r logfmt
	assert_success
	assert_line --regexp '^otlp-traces '
	assert_line --regexp '^logfmt +text '
	# a bare name is never a file of the current directory ...
	cd "$BATS_TEST_TMPDIR"
	printf '[evil]\nmatch = x\nsystem_id = $x\n' > evil.rules
	LOGPROC_RULES= run --separate-stderr lognorm -l -n -r evil
	assert_failure 2
	[[ $stderr == *"rules 'evil': not found on the rules path"* ]] ||
		fail "unexpected stderr: $stderr"
	# ... which is named with a slash
	LOGPROC_RULES= run lognorm -l -n -r ./evil.rules
	assert_success
	assert_line --regexp '^evil +json '
}

@test "otlp: a bad span is a reject naming its place, the good ones are events" {
	jq -c '.resourceSpans[0].scopeSpans[0].spans[1].startTimeUnixNano = "soon"
	    | .resourceSpans[1].instrumentationLibrarySpans[0].spans[0] = 5' \
	    "$FIXTURES/spans/otlp-traces.json" > "$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr lognorm -n -r otlp -s -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/bad.json"
	assert_failure 1
	run -0 jq -c '[.span_id, .source.index]' <<<"$output"
	assert_output $'["1111222233334444",0]\n["ddddeeeeffff0000",3]'
	run -0 jq -c '[.line, .reason, .raw]' "$BATS_TEST_TMPDIR/rej"
	assert_line --index 0 --partial '[1,"bad span: resourceSpans[0].scopeSpans[0].spans[1]: startTimeUnixNano is not a number of nanoseconds: \"soon\" (output 2 of rule '"'otlp-traces'"')","{\"traceId\":\"AAAABBBBCCCCDDDDEEEEFFFF00001111\",\"spanId\":\"5555666677778888\"'
	assert_line --index 1 '[1,"bad span: resourceSpans[1].instrumentationLibrarySpans[0].spans[0]: not an object: 5 (output 3 of rule '"'otlp-traces'"')","5"]'
	assert_equal "${#lines[@]}" 2
	assert_equal "${stderr_lines[0]}" "lognorm: 1 lines, 0 blank, 1 records, 1 accepted, 0 rejected, 2 events, 2 outputs rejected"
}

@test "logfmt: the native decoder gives what the jq rule it replaces gave" {
	# tests/reference/logfmt-jq.rules is the former rule (a pattern and
	# jq's scan); logfmt-mix.log has quotes, escapes that are and are not
	# JSON, surrogates, tabs, repeated keys, '=' in values, invalid UTF-8
	ref="$BATS_TEST_DIRNAME/reference"
	lognorm -n -r "$ref/logfmt-jq.rules" -x "$BATS_TEST_TMPDIR/rej.jq" \
	    "$ref/logfmt-mix.log" > "$BATS_TEST_TMPDIR/out.jq" || true
	run --separate-stderr lognorm -n -r logfmt -x "$BATS_TEST_TMPDIR/rej" "$ref/logfmt-mix.log"
	assert_failure 1
	[ "$(wc -l < "$BATS_TEST_TMPDIR/out.jq")" -gt 300 ] || fail "too few events to compare"
	diff -u "$BATS_TEST_TMPDIR/out.jq" <(printf '%s\n' "$output") ||
		fail "events differ"
	diff -u "$BATS_TEST_TMPDIR/rej.jq" "$BATS_TEST_TMPDIR/rej" ||
		fail "rejects differ"
}

@test "logfmt: a line of 40,000 pairs is read in time linear in its length" {
	# the former rule took ~72 s on it (quadratic); the timeout only
	# turns such a run into a failure, with a margin of two orders
	awk 'BEGIN { for (i = 0; i < 40000; i++) printf "k%d=v%d ", i, i;
	    print "msg=\"x y\" level=error" }' > "$BATS_TEST_TMPDIR/wide.log"
	run -0 --separate-stderr bash -c "set -o pipefail; timeout -k 5 30 lognorm -n -r logfmt '$BATS_TEST_TMPDIR/wide.log' |
	    jq -c '[.status, (.attrs | length), .attrs.k39999, .attrs.message]'"
	assert_output '["FAILURE",40002,"v39999","x y"]'
}

@test "spans: the native decoders give what the jq rules they replace gave" {
	# tests/reference/*-jq.rules are the former rules (jq programs);
	# spans-mix.jq varies every field of a span, log record, resource,
	# scope, list and attribute over values of every type.  The events
	# must be the same, byte for byte, and the rejects the same records
	# for the same reasons: the decoders name a bad item's place where
	# the programs of jaeger and otlp-logs said only "jq:", and say which
	# decoder failed where the programs said "jq:"
	ref="$BATS_TEST_DIRNAME/reference"
	jq -n -c -f "$ref/spans-mix.jq" > "$BATS_TEST_TMPDIR/mix"
	# and as other writers write them: numbers and strings that jq
	# would write otherwise (2.0, 1e3, escapes), spaces
	sed -n '1~3p' "$BATS_TEST_TMPDIR/mix" | sed -e 's/\([:,[]\)2\([],}]\)/\12.0\2/g' \
	    -e 's/\([:,[]\)1000\([],}]\)/\11e3\2/g' -e 's/\([:,[]\)-1\([],}]\)/\1-1.000\2/g' \
	    -e 's/"orders"/"\\u006frders"/g' -e 's|"payments"|"pay\\/ments"|g' \
	    -e 's/"SPAN_KIND_CLIENT"/"SPAN\\u005fKIND_CLIENT"/g' -e 's/":"/": "/g' \
	    -e 's/"kind":"CLIENT"/"kind":"CLI\\u0045NT"/' >> "$BATS_TEST_TMPDIR/mix"
	lognorm -n -r "$ref/otlp-jq.rules" -r "$ref/zipkin-jq.rules" \
	    -r "$ref/jaeger-jq.rules" -x "$BATS_TEST_TMPDIR/rej.jq" \
	    "$BATS_TEST_TMPDIR/mix" > "$BATS_TEST_TMPDIR/out.jq" || true
	run --separate-stderr lognorm -n -r otlp -r zipkin -r jaeger \
	    -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/mix"
	assert_failure 1
	[ "$(wc -l < "$BATS_TEST_TMPDIR/out.jq")" -gt 2000 ] || fail "too few events to compare"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/rej.jq")" -gt 500 ] || fail "too few rejects to compare"
	diff -u "$BATS_TEST_TMPDIR/out.jq" <(printf '%s\n' "$output") ||
		fail "events differ"
	norm='[.line, (.reason | sub("^(jq|otlp-traces|otlp-logs|zipkin|zipkin-span|jaeger|jaeger-trace): "; "")
	    | sub("^bad (span|log record): [^ ]*: "; "") | sub(" [(]output [0-9]+ of rule .*[)]$"; "")), .raw]'
	diff -u <(jq -c "$norm" "$BATS_TEST_TMPDIR/rej.jq") <(jq -c "$norm" "$BATS_TEST_TMPDIR/rej") ||
		fail "rejects differ"
}

@test "otlp: ids in base64 (protobuf's JSON) are read as the hex of their bytes" {
	printf '%s\n' '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"qqq7u8zM3d3u7v//AAAREQ==","spanId":"EREiIjMzREQ=","parentSpanId":"AAAAAAAAAAA=","name":"b64"},{"traceId":"AAAAAAAAAAAAAAAAAAAAAA==","spanId":"VVVmZnd3iIg=","parentSpanId":"EREiIjMzREQ","name":"odd"}]}]}]}' \
	    > "$BATS_TEST_TMPDIR/b64.json"
	run -0 --separate-stderr lognorm -n -r otlp "$BATS_TEST_TMPDIR/b64.json"
	run -0 jq -c '[.trace_id, .span_id, .parent_span_id]' <<<"$output"
	# all zeros is no id; without its padding, base64 is not taken for it
	assert_output - <<-'EOF'
	["aaaabbbbccccddddeeeeffff00001111","1111222233334444",null]
	[null,"5555666677778888","ereiijmzreq"]
	EOF
}

@test "otlp-logs: a log record that cannot be read is a reject naming its place, the others are events" {
	jq -c '.resourceLogs[0].scopeLogs[0].logRecords[1] = 7
	    | .resourceLogs += [{"resource": "x"}]' \
	    "$FIXTURES/spans/otlp-logs.json" > "$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr lognorm -n -r otlp -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/bad.json"
	assert_failure 1
	run -0 jq -c '[.attrs.severity_number, .source.index]' <<<"$output"
	assert_output $'[17,0]\n[13,2]'
	run -0 jq -c '[.reason, .raw]' "$BATS_TEST_TMPDIR/rej"
	assert_output - <<-'EOF'
	["bad log record: resourceLogs[0].scopeLogs[0].logRecords[1]: Cannot index number with string \"attributes\" (output 2 of rule 'otlp-logs')","7"]
	["bad log record: resourceLogs[1]: Cannot index string with string \"attributes\" (output 4 of rule 'otlp-logs')","{\"resource\":\"x\"}"]
	EOF
}

@test "jaeger: a span that cannot be read is a reject naming its place, the others are events" {
	# the jq program stopped at such a span: the spans after it were lost
	jq -c '.data[0].spans[1] = "x" | .data[0].spans[2].processID = 5' \
	    "$FIXTURES/spans/jaeger.json" > "$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr lognorm -n -r jaeger -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/bad.json"
	assert_failure 1
	run -0 jq -c '[.span_id, .source.index]' <<<"$output"
	assert_output $'["00000000000000a1",0]\n["00000000000000a4",3]'
	run -0 jq -r '.reason' "$BATS_TEST_TMPDIR/rej"
	assert_output - <<-'EOF'
	bad span: data[0].spans[1]: Cannot index string with string "tags" (output 2 of rule 'jaeger-traces')
	bad span: data[0].spans[2]: Cannot index object with number (output 3 of rule 'jaeger-traces')
	EOF
}

@test "zipkin: a span whose endpoint is not an object is a reject, not lost" {
	# the jq program dropped such a span without a word
	printf '%s\n' '[{"traceId":"a1","id":"b1","localEndpoint":"svc"},{"traceId":"a1","id":"b2","remoteEndpoint":{"serviceName":"db"}}]' \
	    > "$BATS_TEST_TMPDIR/ep.json"
	run --separate-stderr lognorm -n -r zipkin -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/ep.json"
	assert_failure 1
	run -0 jq -c '[.span_id, .target_system_id, .source.index]' <<<"$output"
	assert_output '["b2","db",1]'
	run -0 jq -r '.reason' "$BATS_TEST_TMPDIR/rej"
	assert_output "bad span: [0]: localEndpoint is not an object: \"svc\" (output 1 of rule 'zipkin-spans')"
}

@test "rejects: a record no rule could map gives the reason of the first rule that failed" {
	# an export whose only span is bad: otlp-traces fails first, then
	# zipkin-spans (which takes any JSON) fails too; the first reason
	# counts (it used to be the last one tried, "not a zipkin span array")
	jq -c '.resourceSpans = [.resourceSpans[0] | .scopeSpans[0].spans = [5]]' \
	    "$FIXTURES/spans/otlp-traces.json" > "$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr lognorm -n -r otlp -r zipkin -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/bad.json"
	assert_failure 1
	assert_output ''
	run -0 jq -r .reason "$BATS_TEST_TMPDIR/rej"
	assert_output 'bad span: resourceSpans[0].scopeSpans[0].spans[0]: not an object: 5'
}
