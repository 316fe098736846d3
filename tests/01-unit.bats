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

@test "unit: jdoc_parse agrees with its reference tokenizer" {
	unit json-diff "$FIXTURES"/*.* "$FIXTURES"/spans/* "$GOLDEN"/*
}
