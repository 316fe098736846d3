#!/usr/bin/env bats
# Bad input never crashes lognorm and never vanishes: fixture lines with
# random bytes changed, cut and spliced (deterministic seeds), through every
# rule file at once; and span documents of every shape through the native
# span decoders.  Under `make check` this also runs with ASan+UBSan.

load test_helper

# mutate SEED FILE...: 3000 mutated lines from the lines of FILEs.
mutate() {
	local seed=$1
	shift
	cat "$@" | awk -v seed="$seed" '
	BEGIN { srand(seed); alpha = "{}[]\",:\\0123456789nulltruefalse |=x" }
	length($0) > 0 { line[n++] = $0 }
	END {
		for (i = 0; i < 3000; i++) {
			s = line[int(rand() * n)]
			k = 1 + int(rand() * 6)
			for (j = 0; j < k && length(s) > 0; j++) {
				p = 1 + int(rand() * length(s)); r = rand()
				if (r < 0.4)
					s = substr(s, 1, p - 1) sprintf("%c", 1 + int(rand() * 255)) substr(s, p + 1)
				else if (r < 0.6)
					s = substr(s, 1, p - 1) substr(s, p + 1 + int(rand() * 10))
				else if (r < 0.8)
					s = substr(s, 1, p - 1) substr(alpha, 1 + int(rand() * length(alpha)), 1) substr(s, p)
				else
					s = substr(s, 1, p - 1) substr(line[int(rand() * n)], 1, int(rand() * 40)) substr(s, p)
			}
			print s
		}
	}'
}

# check RULES...: lognorm with RULES on $BATS_TEST_TMPDIR/in: no crash,
# and every line is an event, a reject or blank.
check() {
	run --separate-stderr lognorm -s "$@" \
	    -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/in"
	[ "$status" -le 1 ] || fail "exit $status: ${stderr:0:500}"
	read -r _ lines _ blank _ records _ accepted _ rejected _ events _ \
	    outputs _ <<<"$(tr -d ',' <<<"${stderr_lines[0]}")"
	assert_equal "$lines" "$(wc -l < "$BATS_TEST_TMPDIR/in")"
	assert_equal $((accepted + rejected)) "$records"
	# outputs of jq programs rejected in records otherwise accepted
	outputs=${outputs:-0}
	assert_equal $((rejected + outputs)) "$(wc -l < "$BATS_TEST_TMPDIR/rej")"
	assert_equal "$outputs" "$(jq -s '[.[] | select(.reason | test("\\(output [0-9]+ of rule"))] | length' "$BATS_TEST_TMPDIR/rej")"
	assert_equal "$events" "$(printf '%s' "$output" | grep -c '^{"type":"event"')"
	# every line is an event, a reject or blank (no valid multi-line
	# document can form from these)
	assert_equal $((records + blank)) "$lines"
	# and everything written is valid JSON
	jq -e . <<<"$output" > /dev/null
	jq -e . "$BATS_TEST_TMPDIR/rej" > /dev/null
}

@test "mutations: no crash, and events + rejects + blank = lines" {
	for seed in 1 2 3; do
		mutate "$seed" "$FIXTURES"/*.log "$FIXTURES"/spans/* > "$BATS_TEST_TMPDIR/in"
		check -r otlp -r zipkin -r jaeger -r logfmt \
		    -r "$FIXTURES/user.rules" -t "$FIXTURES/templates.csv"
	done
}

@test "mutations of span documents through the native decoders: no crash, nothing lost" {
	jq -n -c -f "$BATS_TEST_DIRNAME/reference/spans-mix.jq" > "$BATS_TEST_TMPDIR/mix"
	for seed in 4 5 6; do
		mutate "$seed" "$BATS_TEST_TMPDIR/mix" > "$BATS_TEST_TMPDIR/in"
		check -n -r otlp -r zipkin -r jaeger
		# some of them still become events
		[ "$events" -gt 100 ] || fail "seed $seed: only $events events"
	done
}

@test "a decoder's event written directly is the one its object maps to" {
	# Under the shipped rules each span's event is written from the
	# decoder's members (devent.c); a drop of a name no span has makes
	# the same rules map each object as any rule's output (fields.c).
	# Both must agree on every span, sound or mutated.
	local f
	for f in otlp zipkin jaeger; do
		sed 's/^decode = .*/&\ndrop = no_such_member/' \
		    "$LOGPROC_RULES/$f.rules" > "$BATS_TEST_TMPDIR/$f-mapped.rules"
	done
	jq -n -c -f "$BATS_TEST_DIRNAME/reference/spans-mix.jq" > "$BATS_TEST_TMPDIR/in"
	mutate 7 "$BATS_TEST_TMPDIR/in" >> "$BATS_TEST_TMPDIR/in"
	cat "$FIXTURES"/spans/*.json >> "$BATS_TEST_TMPDIR/in"
	lognorm -n -r otlp -r zipkin -r jaeger -x "$BATS_TEST_TMPDIR/rej1" \
	    "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/direct" || true
	lognorm -n -r "$BATS_TEST_TMPDIR/otlp-mapped.rules" \
	    -r "$BATS_TEST_TMPDIR/zipkin-mapped.rules" \
	    -r "$BATS_TEST_TMPDIR/jaeger-mapped.rules" \
	    -x "$BATS_TEST_TMPDIR/rej2" "$BATS_TEST_TMPDIR/in" \
	    > "$BATS_TEST_TMPDIR/mapped" || true
	[ "$(grep -c '"timestamp_raw"' "$BATS_TEST_TMPDIR/direct")" -gt 1000 ] ||
	    fail "too few events to compare"
	diff -u "$BATS_TEST_TMPDIR/mapped" "$BATS_TEST_TMPDIR/direct"
	diff -u "$BATS_TEST_TMPDIR/rej2" "$BATS_TEST_TMPDIR/rej1"
}
