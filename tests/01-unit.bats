#!/usr/bin/env bats
# The C unit tests: of common/ (tests/unit/unit.c) and of lognorm's engine
# (tests/unit/lognorm.c).

load test_helper

# unit PROGRAM [ARG...]: run a TAP unit test program; show the failed points.
unit() {
	run "$LOGPROC_BIN/../tests/$1" "${@:2}"
	[ "$status" -eq 0 ] || { printf '%s\n' "$output" | grep '^not ok'; false; }
	refute_line --partial 'not ok'
	assert_line --regexp '^1\.\.[0-9]+$'
}

@test "unit: common library" {
	unit common-unit
}

@test "unit: lognorm's engine" {
	unit lognorm-unit
}

@test "record layer: every event lognorm writes is read and written back byte for byte" {
	for f in $(grep -l '^{"type":"event"' "$GOLDEN"/*.events); do
		run --separate-stderr "$LOGPROC_BIN/../tests/evpass" "$f"
		assert_success
		diff -u "$f" <("$LOGPROC_BIN/../tests/evpass" "$f") ||
			fail "$(basename "$f") changed on the way through"
	done
}

@test "record layer: events kept in the map as owned copies outlive their lines" {
	lognorm -x /dev/null "$FIXTURES/join.log" | logjoin > "$BATS_TEST_TMPDIR/ev" || true
	# the last failure of each correlation id, ids in first-seen order
	jq -s -c '[to_entries[] | select(.value.status == "FAILURE" and
	    .value.correlation_id != null)] | group_by(.value.correlation_id) |
	    map({first: .[0].key, last: .[-1].value}) | sort_by(.first) |
	    .[].last' "$BATS_TEST_TMPDIR/ev" > "$BATS_TEST_TMPDIR/want"
	"$LOGPROC_BIN/../tests/evpass" -k "$BATS_TEST_TMPDIR/ev" | jq -c . > "$BATS_TEST_TMPDIR/got"
	diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/got")" -eq 5 ]
}

@test "unit: jdoc_parse agrees with its reference tokenizer" {
	unit json-diff $(find "$FIXTURES" "$GOLDEN" -type f | sort)
}
