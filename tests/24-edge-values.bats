#!/usr/bin/env bats
# Values at the edges, found by comparing today's binaries with the
# previous ones on mutated input: ids of invalid UTF-8, a member given
# twice and then null, numbers beyond what an integer holds.  Each ran
# past a buffer or cast a double out of range (the sanitizer run of this
# suite aborts on either) or changed the answer.

load test_helper

@test "tracebuild -M: a span id of invalid UTF-8 seen again is the same span, merged, not a new one over the cap" {
	printf '{"type":"event","timestamp":"2025-05-04T10:30:00.315Z","system_id":"orders","trace_id":"t1","span_id":"\377s1","duration_ms":18}\n%.0s' 1 2 \
	    > "$BATS_TEST_TMPDIR/bad"
	run --separate-stderr tracebuild -M 1 "$BATS_TEST_TMPDIR/bad"
	assert_success
	run jq -c '[.span_count, [.problems[].kind]]' <<<"$output"
	assert_output '[1,["duplicate_merged","in_progress"]]'
}

@test "tracebuild: a member given twice, the second time null, is null (no stale length)" {
	printf '%s\n' \
	    '{"type":"event","timestamp":"2025-05-04T10:31:37.000Z","checkpoint_id":"A","status":"SUCCESS","trace_id":"t1","part":"main"}' \
	    '{"type":"event","timestamp":"2025-05-04T10:31:46.000Z","system_id":"orders-long-name-here","checkpoint_id":"B","status":"FAILURE","trace_id":"t1","part":"main","system_id":null}' \
	    > "$BATS_TEST_TMPDIR/dup"
	for opt in -M1 -M100; do
		run --separate-stderr tracebuild "$opt" "$BATS_TEST_TMPDIR/dup"
		assert_success
		run jq -c '[.span_count, [.spans[].service], (.spans[0].checkpoints | length)]' <<<"$output"
		assert_output '[1,[null],2]'
	done
}

@test "tracebuild: a duration of 1e300 ms ends the span at the last time RFC 3339 says, not at an overflowed one" {
	printf '%s\n' '{"type":"event","timestamp":"2025-05-04T10:30:00.000Z","system_id":"a","trace_id":"t","span_id":"s","duration_ms":1e300}' \
	    > "$BATS_TEST_TMPDIR/dur"
	run --separate-stderr tracebuild "$BATS_TEST_TMPDIR/dur"
	assert_success
	run jq -c '[.end, .spans[0].end, .spans[0].duration_ms]' <<<"$output"
	assert_output '["9999-12-31T23:59:59.999Z","9999-12-31T23:59:59.999Z",1e+300]'
}

@test "logjoin: a source line of 1e999 is no line number; the event passes as it came" {
	line='{"type":"event","timestamp":null,"system_id":"a","trace_id":"t","correlation_id":"c","source":{"file":"f","line":1e999}}'
	run --separate-stderr logjoin <<<"$line"
	assert_success
	assert_output "$line"
}

@test "depgraph: durations of 1e999 and counts of 1e300 neither overflow nor vanish" {
	printf '%s\n' '{"type":"event","timestamp":"2025-05-04T10:30:00.000Z","system_id":"a","trace_id":"t","span_id":"s","target_system_id":"b","duration_ms":1e999}' \
	    '{"type":"event","timestamp":"2025-05-04T10:30:00.001Z","system_id":"b","trace_id":"t","span_id":"s2","parent_span_id":"s","duration_ms":1e999}' |
	    tracebuild > "$BATS_TEST_TMPDIR/traces"
	run --separate-stderr depgraph "$BATS_TEST_TMPDIR/traces"
	assert_success
	run jq -c 'select(.type == "edge") | [.source, .target, .calls]' <<<"$output"
	assert_output '["a","b",1]'
	jq -c '.span_count = 1e300' "$BATS_TEST_TMPDIR/traces" > "$BATS_TEST_TMPDIR/count"
	run --separate-stderr depgraph "$BATS_TEST_TMPDIR/count"
	assert_failure 1
	[[ "$stderr" == *"'span_count' is not an integer"* ]]
}
