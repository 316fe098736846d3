#!/usr/bin/env bats
# lognorm: a JSON record's event as emit() fills it and event_write()
# writes it (cmd/lognorm/fields.c, common/event.c): texts copied whole
# whatever their length (event_put_bytes copies short ones by moves from
# each end), hexadecimal ids lower-cased only when they are all hex
# (hex_words tests eight bytes at a time).

load test_helper

@test "emit: fields, attrs and source of every length from 1 to 80 bytes are written whole" {
	local chars=0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ
	printf '[lens]\nmatch = x\nsystem_id = $x\n' > "$BATS_TEST_TMPDIR/lens.rules"
	# each text of length L a different slice, so that a byte copied
	# from the wrong place shows
	awk -v c="$chars$chars$chars" 'BEGIN {
		for (l = 1; l <= 80; l++)
			printf "{\"x\":\"%s\",\"checkpoint_id\":\"%s\",\"failure_reason\":\"%s\",\"note\":\"%s\",\"duration_ms\":%s}\n",
			    substr(c, l, l), substr(c, l + 1, l), substr(c, 81 - l, l),
			    substr(c, l + 2, l - 1), substr("12345678901234567890", 1, l % 20 + 1)
	}' > "$BATS_TEST_TMPDIR/lens.ndjson"
	cp "$BATS_TEST_TMPDIR/lens.ndjson" "$BATS_TEST_TMPDIR/$(printf 'd%.0s' $(seq 60)).ndjson"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/lens.rules" \
	    "$BATS_TEST_TMPDIR/lens.ndjson" "$BATS_TEST_TMPDIR/$(printf 'd%.0s' $(seq 60)).ndjson"
	assert_success
	diff -u <(jq -c '[.x, .checkpoint_id, .failure_reason, {note},
		    (.duration_ms | tostring)]' "$BATS_TEST_TMPDIR/lens.ndjson" \
		    "$BATS_TEST_TMPDIR/lens.ndjson") \
	    <(jq -c '[.system_id, .checkpoint_id, .failure_reason, .attrs,
		    (.duration_ms | tostring)]' <<<"$output")
	diff -u <(for f in lens $(printf 'd%.0s' $(seq 60)); do seq 80 |
		    sed "s|.*|{\"file\":\"$BATS_TEST_TMPDIR/$f.ndjson\",\"line\":&}|"; done) \
	    <(jq -c .source <<<"$output")
}

@test "emit: a part given as main or detail, escaped or not, is written as it is" {
	printf '[p]\nmatch = x\nsystem_id = $x\n' > "$BATS_TEST_TMPDIR/p.rules"
	printf '%s\n' '{"x":"a","part":"detail"}' '{"x":"a","part":"main"}' \
	    '{"x":"a","part":"d\u0065tail"}' '{"x":"a"}' > "$BATS_TEST_TMPDIR/p.ndjson"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/p.rules" "$BATS_TEST_TMPDIR/p.ndjson"
	assert_success
	diff -u <(printf '%s\n' '"part":"detail"' '"part":"main"' '"part":"detail"' '"part":"main"') \
	    <(grep -o '"part":"[a-z]*"' <<<"$output")
}

@test "emit: a trace id is lower-cased when it is all hex digits, else kept as it is" {
	printf '[ids]\nmatch = x\nsystem_id = $x\n' > "$BATS_TEST_TMPDIR/ids.rules"
	# upper case in the first word of eight, in a later one, in the
	# bytes after the last whole word; a byte that is no hex digit in
	# a word or after, next to the ranges' bounds (@ G ` g / :), or
	# one of UTF-8 whose low seven bits are a hex digit (° is c2 b0)
	jq -nc '$ARGS.positional[] | {x: "a", trace_id: .}' --args \
	    ABCDEF0123456789abcdef0123456789 0123456789abcdef0123456789ABCDEF \
	    0123456789abcdef0123456789abcdeF 0123456789ABCDEF0 ABCDEF01 ABC \
	    abcdef01 ABCDEF0- ABCDEFG1 A@CDEF01 AGCDEF01 'A`CDEF01' Agcdef01 \
	    A/CDEF01 A:CDEF01 ABCDEF0123456789Z ABCDEF0123456789abcdef0123456-7 \
	    15780B2E-0C2E-4716-A104-D9866D113A7E 'AB°CDEF0' 'ABCDEF01234567°9' \
	    > "$BATS_TEST_TMPDIR/ids.ndjson"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/ids.rules" "$BATS_TEST_TMPDIR/ids.ndjson"
	assert_success
	diff -u - <(jq -r .trace_id <<<"$output") <<'END'
abcdef0123456789abcdef0123456789
0123456789abcdef0123456789abcdef
0123456789abcdef0123456789abcdef
0123456789abcdef0
abcdef01
abc
abcdef01
ABCDEF0-
ABCDEFG1
A@CDEF01
AGCDEF01
A`CDEF01
Agcdef01
A/CDEF01
A:CDEF01
ABCDEF0123456789Z
ABCDEF0123456789abcdef0123456-7
15780B2E-0C2E-4716-A104-D9866D113A7E
AB°CDEF0
ABCDEF01234567°9
END
}
