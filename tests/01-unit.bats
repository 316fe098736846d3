#!/usr/bin/env bats
# The C unit tests of common/ (timestamps, JSON reader and writer).

load test_helper

@test "unit: common library parsers and writers" {
	run "$LOGPROC_BIN/../tests/unit"
	[ "$status" -eq 0 ] || { printf '%s\n' "$output" | grep '^not ok'; false; }
	refute_line --partial 'not ok'
}
