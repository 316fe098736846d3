#!/usr/bin/env bats
# tracebuild: events to trace records, span trees inside.

load test_helper

# seed-flow events of loggen, joined: loggen ARGS...
seed_events() {
	loggen "$@" | lognorm | logjoin
}

@test "traces: the seed sample becomes the documented trace records" {
	golden seed.traces sh -c 'lognorm seed.log | logjoin | tracebuild'
	assert_success
}

@test "traces: the tree view of a span log" {
	golden spanlog.tree sh -c 'lognorm spanlog.log | tracebuild -f tree --color=never'
	assert_success
}

@test "checkpoint model: inventory -> payments -> (reporting || orders), or without payments" {
	seed_events -S 17 -n 300 > "$BATS_TEST_TMPDIR/ev"
	run --separate-stderr tracebuild "$BATS_TEST_TMPDIR/ev"
	assert_success
	assert_equal "${#lines[@]}" 300
	# the parent of each system's span, by whether payments took part
	run jq -r '(.spans | map({(.service): .parent_span_id}) | add) as $p |
	    if $p.payments then
	      [$p.inventory, $p.payments, $p.reporting, $p.orders]
	    else [$p.inventory, "-", $p.reporting, $p.orders] end |
	    map(. // "root") | join(" ")' <<<"$output"
	with=$(grep -c '^root inventory payments payments$' <<<"$output")
	without=$(grep -c '^root - inventory inventory$' <<<"$output")
	assert_equal $((with + without)) 300
	[ "$with" -gt 100 ] && [ "$without" -gt 100 ]
}

@test "checkpoint model: spans' times, statuses and every failure's reason" {
	seed_events -S 23 -n 50 > "$BATS_TEST_TMPDIR/ev"
	tracebuild "$BATS_TEST_TMPDIR/ev" > "$BATS_TEST_TMPDIR/tr"
	# a span runs from its system's first to its last checkpoint, and
	# its status is that of the system's last checkpoint
	truth=$(jq -s -c 'map(select(.part == "main")) |
	    group_by([.trace_id, .system_id]) | map({
	      key: (.[0].trace_id + "/" + .[0].system_id),
	      start: (map(.timestamp) | min), end: (map(.timestamp) | max),
	      status: (sort_by(.timestamp) | last.status)}) |
	    sort_by(.key)' "$BATS_TEST_TMPDIR/ev")
	got=$(jq -s -c '[.[] | .trace_id as $t | .spans[] |
	    {key: ($t + "/" + .service), start: .start, end: .end,
	    status: .status}] | sort_by(.key)' "$BATS_TEST_TMPDIR/tr")
	assert_equal "$got" "$truth"
	# loggen's separate error lines were joined: no failure without reason
	run jq -c '.failures[] | select(.reason == null)' "$BATS_TEST_TMPDIR/tr"
	assert_output ''
	run jq -s '[.[].failures[]] | length' "$BATS_TEST_TMPDIR/tr"
	[ "$output" -gt 20 ]
}

@test "span log: start and end lines in either order make one span each" {
	lognorm "$FIXTURES/spanlog.log" > "$BATS_TEST_TMPDIR/ev"
	tac "$BATS_TEST_TMPDIR/ev" > "$BATS_TEST_TMPDIR/rev"
	run --separate-stderr tracebuild "$BATS_TEST_TMPDIR/ev"
	forward=$(sort <<<"$output")
	run --separate-stderr tracebuild "$BATS_TEST_TMPDIR/rev"
	backward=$(sort <<<"$output")
	assert_equal "$backward" "$forward"
	# each span: from its start line to its end line, the end's status
	truth=$(jq -s -c 'group_by(.span_id) | map({span_id: .[0].span_id,
	    duration_ms: ((map(.timestamp | sub("Z$"; "") | sub("\\.(?<ms>...)"; "") |
	      strptime("%Y-%m-%dT%H:%M:%S") | mktime) | max - min) * 1000 +
	      (map(.timestamp[20:23] | tonumber) | (.[1] // .[0]) - .[0]) * 0),
	    status: (map(select(.status != null)) | .[0].status)}) |
	    sort_by(.span_id)' "$BATS_TEST_TMPDIR/ev" > /dev/null)
	truth=$(jq -s -c 'group_by(.span_id) | map({span_id: .[0].span_id,
	    duration_ms: ((map(.source.line) | length) as $n |
	      (map(.attrs.http_status) | sort)),
	    status: (map(select(.status != null)) | .[0].status)}) |
	    sort_by(.span_id) | map(.span_id + " " + .status)' "$BATS_TEST_TMPDIR/ev")
	got=$(jq -s -c '[.[].spans[] | select(.events == 2) | .span_id + " " +
	    .status] | sort' <<<"$forward")
	assert_equal "$got" "$truth"
	# the durations are end minus start, from the epoch milliseconds
	ms=$(awk -F' [|] |, ' '{ split($3, s, "="); t[s[2]] = t[s[2]] ? $1 - t[s[2]] : $1 }
	    END { for (k in t) print k, (t[k] < 0 ? -t[k] : t[k]) }' "$FIXTURES/spanlog.log" | sort)
	got=$(jq -r '.spans[] | "\(.span_id) \(.duration_ms)"' <<<"$forward" | sort)
	assert_equal "$got" "$ms"
}

@test "span log: no status until the end line comes; then never doubled" {
	lognorm "$FIXTURES/spanlog.log" | grep '"status":null' > "$BATS_TEST_TMPDIR/starts"
	run --separate-stderr tracebuild "$BATS_TEST_TMPDIR/starts"
	run jq -c '[.complete, (.spans | map(.status) | unique), ([.problems[].kind] | unique)]' <<<"$output"
	assert_line --index 0 '[false,[null],["in_progress","several_roots"]]'
	# the whole log twice: each span once, its pieces merged
	lognorm "$FIXTURES/spanlog.log" "$FIXTURES/spanlog.log" > "$BATS_TEST_TMPDIR/twice"
	run --separate-stderr tracebuild "$BATS_TEST_TMPDIR/twice"
	run jq -c '[.span_count, .error_count, ([.problems[].kind] | unique)]' <<<"$output"
	assert_output $'[5,4,["duplicate_merged","several_roots"]]\n[5,2,["duplicate_merged","several_roots"]]'
	# two end lines that disagree: the failure is kept, whichever came last
	lognorm "$FIXTURES/spanlog.log" | jq -c 'select(.span_id == "5b309bb4602172ec")' > "$BATS_TEST_TMPDIR/one"
	jq -c 'select(.status != null) | .status = "FAILURE" |
	    .source.line = 99' "$BATS_TEST_TMPDIR/one" > "$BATS_TEST_TMPDIR/fail"
	for order in "one fail" "fail one"; do
		set -- $order
		cat "$BATS_TEST_TMPDIR/$1" "$BATS_TEST_TMPDIR/$2" > "$BATS_TEST_TMPDIR/both"
		run --separate-stderr tracebuild "$BATS_TEST_TMPDIR/both"
		run jq -c '.spans[] | [.status, .events]' <<<"$output"
		assert_output '["FAILURE",3]'
	done
}

@test "span traces: shuffled lines give the same traces" {
	loggen -f spanlog -S 5 -n 200 | lognorm > "$BATS_TEST_TMPDIR/a"
	loggen -f spanlog -S 5 -n 200 --shuffle 50 | lognorm > "$BATS_TEST_TMPDIR/b"
	a=$(tracebuild "$BATS_TEST_TMPDIR/a" | sort)
	b=$(tracebuild "$BATS_TEST_TMPDIR/b" | sort)
	assert_equal "$(wc -l <<<"$a")" 200
	assert_equal "$b" "$a"
}

@test "span traces: flat spans make the whole tree, parents and depths as logged" {
	loggen -f flat -S 9 -n 20 | lognorm > "$BATS_TEST_TMPDIR/ev"
	run --separate-stderr tracebuild "$BATS_TEST_TMPDIR/ev"
	# parent/child pairs and roots equal the events' own
	truth=$(jq -s -c 'map([.trace_id, .span_id, .parent_span_id]) | sort' "$BATS_TEST_TMPDIR/ev")
	got=$(jq -s -c '[.[] | .trace_id as $t | .spans[] | [$t, .span_id, .parent_span_id]] | sort' <<<"$output")
	assert_equal "$got" "$truth"
	run jq -c 'select(.complete | not)' <<<"$output"
	assert_output ''
	# a span's depth is its parent's plus one
	run jq -c '(.spans | map({(.span_id): .depth}) | add) as $d |
	    .spans[] | select(.parent_span_id != null and .depth != $d[.parent_span_id] + 1)' <<<"$output"
	assert_output ''
}

@test "partial traces: lost lines leave orphans and spans in progress, reported" {
	loggen -f spanlog -S 8 -n 100 --drop 0.15 | lognorm > "$BATS_TEST_TMPDIR/ev"
	run --separate-stderr tracebuild -s "$BATS_TEST_TMPDIR/ev"
	assert_success
	run jq -r '.problems[].kind' <<<"$output"
	assert_line orphan
	assert_line missing_parent
	assert_line in_progress
	# no event lost: the spans' events add up to the input
	n=$(wc -l < "$BATS_TEST_TMPDIR/ev")
	tracebuild "$BATS_TEST_TMPDIR/ev" > "$BATS_TEST_TMPDIR/tr"
	run jq -s '[.[].spans[].events] | add' "$BATS_TEST_TMPDIR/tr"
	assert_output "$n"
	# an orphan keeps the parent the log named, and sits under the root
	run jq -c '.spans[0].span_id as $root | .spans[] | select(.orphan) |
	    select(.depth != 1 or .parent_span_id == $root)' "$BATS_TEST_TMPDIR/tr"
	assert_output ''
}

@test "late events: the whole trace is written again with the next revision" {
	lognorm "$FIXTURES/spanlog.log" > "$BATS_TEST_TMPDIR/ev"
	end='(.span_id == "feea310e3b387719" and .status != null)'
	# gateway's call to orders ends after a much later event of another
	# trace has moved event time on past the idle time
	jq -c "select($end | not)" "$BATS_TEST_TMPDIR/ev" > "$BATS_TEST_TMPDIR/in"
	jq -c 'select(.source.line == 7) | .trace_id = "later" |
	    .timestamp = "2025-05-04T10:35:00.000Z"' "$BATS_TEST_TMPDIR/ev" >> "$BATS_TEST_TMPDIR/in"
	jq -c "select($end)" "$BATS_TEST_TMPDIR/ev" >> "$BATS_TEST_TMPDIR/in"
	run --separate-stderr tracebuild -i 1s -L 10m "$BATS_TEST_TMPDIR/in"
	assert_success
	run jq -c 'select(.trace_id == "39287fc26939a7df1654fe5f5c55a081") |
	    [.revision, .span_count, ([.problems[].kind] | unique),
	    (.spans[] | select(.span_id == "feea310e3b387719") | .status)]' <<<"$output"
	assert_output $'[0,5,["idle_flushed","in_progress","several_roots"],null]\n[1,5,["late","several_roots"],"FAILURE"]'
	# past the late window it is a new trace, not an update
	{ head -n -1 "$BATS_TEST_TMPDIR/in"
	  jq -c 'select(.source.line == 7) | .trace_id = "later" |
	      .timestamp = "2025-05-04T10:40:00.000Z"' "$BATS_TEST_TMPDIR/ev"
	  tail -1 "$BATS_TEST_TMPDIR/in"; } > "$BATS_TEST_TMPDIR/in2"
	run --separate-stderr tracebuild -i 1s -L 1m "$BATS_TEST_TMPDIR/in2"
	run jq -c 'select(.trace_id == "39287fc26939a7df1654fe5f5c55a081") | [.revision, .span_count]' <<<"$output"
	assert_output $'[0,5]\n[0,1]'
}

@test "caps: open traces past -m are written early, spans past -M left out" {
	seed_events -S 2 -n 50 > "$BATS_TEST_TMPDIR/ev"
	n=$(wc -l < "$BATS_TEST_TMPDIR/ev")
	run --separate-stderr tracebuild -m 2 "$BATS_TEST_TMPDIR/ev"
	assert_success
	run jq -s '[.[] | select(.problems | any(.kind == "evicted"))] | length' <<<"$output"
	[ "$output" -gt 0 ]
	run jq -s '[.[] | select(.revision == 0) | .spans[].events] | add' \
	    <(tracebuild -m 2 "$BATS_TEST_TMPDIR/ev" | jq -c 'select(.revision == 0)')
	# late updates repeat events; first writes alone may miss none
	[ "$output" -le "$n" ]
	loggen -f flat -S 4 -n 3 | lognorm > "$BATS_TEST_TMPDIR/flat"
	run --separate-stderr tracebuild -s -M 4 "$BATS_TEST_TMPDIR/flat"
	run jq -c '[.span_count, (.problems[] | select(.kind == "span_limit") | .count)]' <<<"$output"
	assert_line --index 0 '[4,7]'
	[[ "${stderr_lines[0]}" == *", 21 spans left out,"* ]]
}

@test "a trace of 20000 spans and 20000 open traces stay within their caps" {
	awk 'BEGIN { for (i = 0; i < 20000; i++)
	    printf "{\"type\":\"event\",\"timestamp\":\"2025-05-04T10:30:00.000Z\",\"trace_id\":\"big\",\"span_id\":\"s%d\",\"parent_span_id\":%s,\"system_id\":\"svc%d\",\"status\":\"SUCCESS\"}\n", i, i ? "\"s" int((i - 1) / 2) "\"" : "null", i % 7 }' > "$BATS_TEST_TMPDIR/big"
	run --separate-stderr tracebuild "$BATS_TEST_TMPDIR/big"
	assert_success
	run jq -c '[.span_count, .complete, (.spans | map(.depth) | max)]' <<<"$output"
	assert_output '[20000,true,14]'
	awk 'BEGIN { for (i = 0; i < 20000; i++)
	    printf "{\"type\":\"event\",\"timestamp\":\"2025-05-04T10:30:00.000Z\",\"trace_id\":\"t%d\",\"system_id\":\"a\",\"status\":\"SUCCESS\"}\n", i }' > "$BATS_TEST_TMPDIR/many"
	run --separate-stderr tracebuild -s -m 1000 "$BATS_TEST_TMPDIR/many"
	assert_success
	assert_equal "${#lines[@]}" 20000
	[[ "${stderr_lines[0]}" == *"20000 traces, 20000 written"*"19000 evicted early"* ]]
}

@test "span kind and Zipkin's shared flag come from attrs, short or long, top level only" {
	printf '%s\n' \
	    '{"type":"event","timestamp":"2025-05-04T10:30:00.000Z","trace_id":"h","span_id":"a","system_id":"x","status":"SUCCESS","attrs":{"kind":"SPAN_KIND_SERVER"}}' \
	    '{"type":"event","timestamp":"2025-05-04T10:30:00.001Z","trace_id":"h","span_id":"b","parent_span_id":"a","system_id":"x","status":"SUCCESS","attrs":{"http.method":"GET","http.url":"/orders/long/enough","kind":"client"}}' \
	    '{"type":"event","timestamp":"2025-05-04T10:30:00.002Z","trace_id":"h","span_id":"b","parent_span_id":"a","system_id":"y","status":"SUCCESS","attrs":{"http.method":"GET","shared":true,"kind":"SERVER"}}' \
	    '{"type":"event","timestamp":"2025-05-04T10:30:00.003Z","trace_id":"h","span_id":"c","parent_span_id":"b","system_id":"y","status":"SUCCESS","attrs":{"x":{"kind":"PRODUCER"},"method":"put"}}' \
	    > "$BATS_TEST_TMPDIR/hints"
	run --separate-stderr tracebuild "$BATS_TEST_TMPDIR/hints"
	assert_success
	run jq -c '[.spans[] | [.span_id, .service, .kind, .shared, .depth]]' <<<"$output"
	assert_output '[["a","x","SERVER",false,0],["b","x","CLIENT",false,1],["b","y","SERVER",true,2],["c","y",null,false,3]]'
}

@test "cycles and self-parents are cut and reported; nothing is lost" {
	printf '%s\n' \
	    '{"type":"event","timestamp":"2025-05-04T10:30:00.000Z","trace_id":"c","span_id":"a","parent_span_id":"b","system_id":"x","status":"SUCCESS"}' \
	    '{"type":"event","timestamp":"2025-05-04T10:30:00.001Z","trace_id":"c","span_id":"b","parent_span_id":"a","system_id":"y","status":"SUCCESS"}' \
	    '{"type":"event","timestamp":"2025-05-04T10:30:00.002Z","trace_id":"c","span_id":"r","system_id":"z","status":"SUCCESS"}' \
	    '{"type":"event","timestamp":"2025-05-04T10:30:00.003Z","trace_id":"c","span_id":"s","parent_span_id":"s","system_id":"z","status":"SUCCESS"}' \
	    > "$BATS_TEST_TMPDIR/cyc"
	run --separate-stderr tracebuild "$BATS_TEST_TMPDIR/cyc"
	assert_success
	run jq -c '[.span_count, .root, [.problems[] | [.kind, .span_id]], [.spans[] | [.span_id, .depth]]]' <<<"$output"
	assert_output '[4,"z",[["cycle_broken","b"],["cycle_broken","s"]],[["r",0],["b",1],["a",2],["s",1]]]'
}

@test "bad input: what is not an event, or has no trace, is rejected by line" {
	printf '%s\n' '{"type":"trace","trace_id":"x"}' \
	    '{"type":"event","system_id":"a"}' \
	    '{"type":"event","trace_id":7}' \
	    '{"type":"event","trace_id":"t","timestamp":"9999-99-99"}' \
	    'garbage' > "$BATS_TEST_TMPDIR/bad"
	run --separate-stderr tracebuild -s "$BATS_TEST_TMPDIR/bad"
	assert_failure 1
	assert_output ''
	assert_equal "${stderr_lines[0]}" "tracebuild: $BATS_TEST_TMPDIR/bad:1: not an event: a trace record (tracebuild reads events)"
	assert_equal "${stderr_lines[1]}" "tracebuild: $BATS_TEST_TMPDIR/bad:2: no trace: neither trace_id nor correlation_id"
	assert_equal "${stderr_lines[2]}" "tracebuild: $BATS_TEST_TMPDIR/bad:3: bad field: 'trace_id' is not a string: '7'"
	assert_equal "${stderr_lines[3]}" "tracebuild: $BATS_TEST_TMPDIR/bad:4: bad field: 'timestamp' is not a time: '\"9999-99-99\"'"
	assert_equal "${stderr_lines[4]}" "tracebuild: $BATS_TEST_TMPDIR/bad:5: invalid JSON: unexpected character at byte 1"
	[[ "${stderr_lines[5]}" == "tracebuild: 5 lines, 0 blank, 5 records, 3 events, 0 traces,"*", 5 rejected" ]]
}

@test "-T keeps one trace; -S writes its spans as records too" {
	lognorm "$FIXTURES/spanlog.log" > "$BATS_TEST_TMPDIR/ev"
	run --separate-stderr tracebuild -S -T b0e0036874968a6c0b49da3058766734 "$BATS_TEST_TMPDIR/ev"
	assert_success
	out=$output
	run jq -r .type <<<"$out"
	assert_output $'trace\nspan\nspan\nspan\nspan\nspan'
	# the span records are the trace's spans, with its id and revision
	trace=$(head -1 <<<"$out" | jq -c '.spans')
	spans=$(tail -n +2 <<<"$out" | jq -s -c 'map(del(.type, .trace_id, .revision))')
	output=$out
	assert_equal "$spans" "$trace"
	run jq -r 'select(.type == "span") | .trace_id' <<<"$output"
	assert_output "$(printf 'b0e0036874968a6c0b49da3058766734\n%.0s' 1 2 3 4 5)"
}

@test "tree view: colours only when asked or on a terminal" {
	lognorm "$FIXTURES/spanlog.log" > "$BATS_TEST_TMPDIR/ev"
	run tracebuild -f tree "$BATS_TEST_TMPDIR/ev"
	refute_output --partial $'\033['
	run tracebuild -f tree --color=always "$BATS_TEST_TMPDIR/ev"
	assert_output --partial $'\033[31mFAILURE'
	run --separate-stderr tracebuild --color=sometimes /dev/null
	assert_failure 2
}

@test "streams, and writes every open trace on SIGTERM" {
	lognorm "$FIXTURES/spanlog.log" > "$BATS_TEST_TMPDIR/ev"
	mkfifo "$BATS_TEST_TMPDIR/in"
	tracebuild -i 5ms < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec {w}> "$BATS_TEST_TMPDIR/in"
	cat "$BATS_TEST_TMPDIR/ev" >&"$w"
	# trace 1 is idle 5ms before the log ends: written while input is open
	for _ in $(seq 200); do
		[ -s "$BATS_TEST_TMPDIR/out" ] && break
		sleep 0.05
	done
	[ -s "$BATS_TEST_TMPDIR/out" ] ||
		{ exec {w}>&-; wait "$pid"; fail "nothing written while the input was open"; }
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	exec {w}>&-
	assert_equal "$status" 143
	# the last revision of each trace holds all its spans
	run jq -s -c 'group_by(.trace_id) | map(max_by(.revision) |
	    [.trace_id, .span_count])' "$BATS_TEST_TMPDIR/out"
	assert_output '[["39287fc26939a7df1654fe5f5c55a081",5],["b0e0036874968a6c0b49da3058766734",5]]'
}

@test "tracebuild: --help, --version, bad options, -x guard" {
	run tracebuild --help
	assert_success
	assert_line --index 0 --partial 'usage: tracebuild'
	run tracebuild --version
	assert_output --regexp '^tracebuild \(logproc\) [0-9.]+$'
	run --separate-stderr tracebuild -f dot /dev/null
	assert_failure 2
	assert_equal "$stderr" "tracebuild: invalid format 'dot' (trace or tree)"
	run --separate-stderr tracebuild -i -5s /dev/null
	assert_failure 2
	printf '{"type":"event","trace_id":"t"}\n' > "$BATS_TEST_TMPDIR/ev"
	run --separate-stderr tracebuild -x "$BATS_TEST_TMPDIR/ev" "$BATS_TEST_TMPDIR/ev"
	assert_failure 2
	assert_equal "$(cat "$BATS_TEST_TMPDIR/ev")" '{"type":"event","trace_id":"t"}'
}

@test "span log: a span of which one line came has a time but no duration" {
	lognorm "$FIXTURES/spanlog.log" > "$BATS_TEST_TMPDIR/ev"
	# its start line lost, then (another span) its end line lost
	jq -c 'select((.span_id == "5b309bb4602172ec" and .status == null) or
	    (.span_id == "5fec83b251d2c880" and .status != null) | not)' \
	    "$BATS_TEST_TMPDIR/ev" > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr tracebuild "$BATS_TEST_TMPDIR/in"
	run jq -c '.spans[] | select(.span_id == "5b309bb4602172ec" or
	    .span_id == "5fec83b251d2c880") | [.span_id, .start != null,
	    .duration_ms, .status]' <<<"$output"
	assert_output $'["5fec83b251d2c880",true,null,null]\n["5b309bb4602172ec",true,null,"SUCCESS"]'
}
