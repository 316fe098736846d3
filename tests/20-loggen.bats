#!/usr/bin/env bats
# 20-loggen.bats - the flow simulator: formats, determinism, knobs, options.

load test_helper

# The seed mix as records: JSON lines as they are, text lines parsed into
# the same fields (level kept, error lines without a checkpoint).
SEEDJQ='
def rec:
  if startswith("{") then fromjson
  else capture("^(?:\\[(?<level>[A-Z]+)\\] )?(?<timestamp>[^ ]+) (?<label>ORDER|PAYMENTS)(?:: (?<checkpoint>[^ ]+) - (?<status>[A-Z]+) \\(ID: (?<cid>[^)]+)\\)(?: - (?<reason>.+))?| PAYMENTS_ERROR: \\(ID: (?<eid>[^)]+)\\) - (?<ereason>.+))$")
    | {system: (if .label == "ORDER" then "orders" else "payments" end),
       checkpoint, status, timestamp, level,
       correlation_id: (.cid // .eid),
       failure_reason: (.reason // .ereason)}
  end;
'

# The span log as records.
SPANJQ='
def rec:
  capture("^(?<ts>[0-9]{13}) \\| trace_id=(?<trace>[0-9a-f]{32}), span_id=(?<span>[0-9a-f]{16}), parent_span_id=(?<parent>null|[0-9a-f]{16}), source=(?<src>[a-z]+), destination=(?<dst>[a-z]+), method=(?<method>GET|POST), type=HTTP, request=(?<req>/[^ ]*), http_status=(?<status>[0-9]{3}) response=(?<resp>.+)$");
'

@test "loggen: same seed, same bytes; another seed, other bytes" {
	for f in seed spanlog otlp flat; do
		loggen -f "$f" -n 20 -S 42 --skew 500 --shuffle 5 --drop 0.1 \
		    --dup 0.1 > "$BATS_TEST_TMPDIR/a"
		loggen -f "$f" -n 20 -S 42 --skew 500 --shuffle 5 --drop 0.1 \
		    --dup 0.1 > "$BATS_TEST_TMPDIR/b"
		loggen -f "$f" -n 20 -S 43 --skew 500 --shuffle 5 --drop 0.1 \
		    --dup 0.1 > "$BATS_TEST_TMPDIR/c"
		[ -s "$BATS_TEST_TMPDIR/a" ]
		cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
		run -1 cmp -s "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/c"
	done
}

# loggen_golden NAME ARGS...: run loggen ARGS in tests/fixtures and compare
# its output with tests/golden/NAME.log byte for byte; then again with
# --truth, which must not change the output, and compare the truth with
# tests/golden/NAME.truth.  UPDATE_GOLDEN=1 rewrites the files instead
# (only on purpose, then review the diff).
loggen_golden() {
	local name=$1 tmp=$BATS_TEST_TMPDIR/$1
	shift
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		(cd "$FIXTURES" && loggen "$@") > "$GOLDEN/$name.log"
		(cd "$FIXTURES" && loggen --truth "$GOLDEN/$name.truth" "$@") \
		    > /dev/null
	fi
	(cd "$FIXTURES" && loggen "$@") > "$tmp.log"
	diff -u "$GOLDEN/$name.log" "$tmp.log"
	(cd "$FIXTURES" && loggen --truth "$tmp.truth" "$@") > "$tmp.log"
	diff -u "$GOLDEN/$name.log" "$tmp.log"
	diff -u "$GOLDEN/$name.truth" "$tmp.truth"
}

@test "loggen: small runs give the golden bytes and truth, every format and knob" {
	loggen_golden loggen-seed -n 3 -S 7
	loggen_golden loggen-seed-knobs -n 4 -S 11 -p 0.6,0.5 --skew 1500 \
	    --drop 0.05 --dup 0.1 --shuffle 4
	loggen_golden loggen-seed-nolevel -n 2 -S 3 -p 1,0.5 --payments 1 \
	    --no-level -t 2024-02-29T23:59:58Z
	loggen_golden loggen-seed-attempts -n 5 -S 1 -a 2 -p 0.3,0.3 \
	    --drop 0.1 --dup 0.2 --shuffle 3 --skew 900
	loggen_golden loggen-spanlog -f spanlog -n 3 -S 5 -e 0.2 --drop 0.1 \
	    --dup 0.2 --shuffle 4 --skew 300
	loggen_golden loggen-otlp -f otlp -n 2 -S 5 -e 0.3 --drop 0.2 \
	    --dup 0.3 --shuffle 2 --skew 300
	loggen_golden loggen-flat -f flat -n 3 -S 5 -e 0.2 -T loggen.topo \
	    --drop 0.1 --dup 0.2 --shuffle 3 --skew 800 -t 2024-12-31T23:59:59.5Z
}

@test "loggen: the man page's first example writes the seed mix" {
	run -0 loggen -n 3 -S 7
	assert_line --regexp '^\{"system":"inventory","checkpoint":"INITIATED","status":"(SUCCESS|FAILURE)","timestamp":"2025-05-04T10:30:00","correlation_id":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"\}$'
	assert_line --regexp '^\[(INFO|ERROR)\] 2025-05-04T[0-9:]{8} ORDER: ORDER_INITIALIZED - (SUCCESS|FAILURE) \(ID: [0-9a-f-]{36}\)'
	assert_line --regexp '^\{"system":"reporting","checkpoint":"REPORTING_FINALIZED","status":"SUCCESS"'
	# three flows, three correlation ids
	run -0 bash -c "loggen -n 3 -S 7 | grep -o '[0-9a-f]\{8\}-[0-9a-f-]\{27\}' | sort -u | wc -l"
	assert_output 3
}

@test "loggen: every flow runs inventory's four checkpoints in order" {
	loggen -n 50 > "$BATS_TEST_TMPDIR/seed.log"
	run -0 jq -R -s -c "$SEEDJQ"'
	    [split("\n")[] | select(. != "") | rec
	     | select(.system == "inventory" and .checkpoint != null
	              and .status == "SUCCESS")]
	    | group_by(.correlation_id)
	    | map(map(.checkpoint))
	    | (length, (map(. == ["INITIATED","CHECKPOINT_1","CHECKPOINT_2","FINALIZED"]) | all))' \
	    "$BATS_TEST_TMPDIR/seed.log"
	assert_output $'50\ntrue'
}

@test "loggen: an inventory or payments failure is followed by its error line" {
	loggen -n 100 > "$BATS_TEST_TMPDIR/seed.log"
	run -0 jq -R -s -c "$SEEDJQ"'
	    [split("\n")[] | select(. != "") | rec
	     | select(.system == "inventory" or .system == "payments")]
	    | group_by(.correlation_id + .system)
	    | map(. as $l | range(0; length) as $i
	          | select($l[$i].status == "FAILURE")
	          | $l[$i + 1]
	          | select(.checkpoint == null and (.failure_reason | test("FAILURE_REASON_[1-3]$"))))
	    | length' "$BATS_TEST_TMPDIR/seed.log"
	failures=$(grep -c -e '"system":"inventory","checkpoint":[^}]*"FAILURE"' \
	    -e 'PAYMENTS: .* - FAILURE' "$BATS_TEST_TMPDIR/seed.log")
	[ "$failures" -gt 20 ]
	assert_output "$failures"
	# the main lines of these two systems never carry the reason
	run -1 grep -e '"checkpoint":"[A-Z_0-9]*","status":"FAILURE".*"system":"inventory"' \
	    -e 'PAYMENTS: .* - FAILURE (ID: [^)]*) - ' "$BATS_TEST_TMPDIR/seed.log"
}

@test "loggen: reporting and orders give the reason inline, on failures only" {
	loggen -n 100 > "$BATS_TEST_TMPDIR/seed.log"
	run -0 jq -R -s -c "$SEEDJQ"'
	    [split("\n")[] | select(. != "") | rec
	     | select(.system == "reporting" or .system == "orders")
	     | (.status == "FAILURE") == (.failure_reason != null)] | all' \
	    "$BATS_TEST_TMPDIR/seed.log"
	assert_output true
}

@test "loggen: at most three attempts per checkpoint, the last one succeeds" {
	loggen -n 200 -S 3 > "$BATS_TEST_TMPDIR/seed.log"
	run -0 jq -R -s -c "$SEEDJQ"'
	    [split("\n")[] | select(. != "") | rec | select(.checkpoint != null)]
	    | group_by([.correlation_id, .system, .checkpoint])
	    | map(map(.status))
	    | (map(length <= 3 and .[-1] == "SUCCESS"
	           and (.[:-1] | all(. == "FAILURE"))) | all),
	      (map(select(length == 3)) | length > 0)' \
	    "$BATS_TEST_TMPDIR/seed.log"
	assert_output $'true\ntrue'
	# -p 0,0: nothing fails
	run -0 bash -c 'loggen -n 50 -p 0,0 | grep -c -e FAILURE -e failure_reason || true'
	assert_output 0
	# -p 1,1: every checkpoint takes three attempts
	run -0 bash -c "loggen -n 5 -p 1,1 | jq -R -s -c '$SEEDJQ"'
	    [split("\n")[] | select(. != "") | rec | select(.checkpoint != null)]
	    | group_by([.correlation_id, .system, .checkpoint])
	    | map(map(.status)) | unique'"'"
	assert_output '[["FAILURE","FAILURE","SUCCESS"]]'
}

@test "loggen: -a caps the attempts; a flow whose last attempt fails stops there" {
	# -a 1 -p 1: every flow is inventory's first line and its error line
	run -0 bash -c "loggen -n 5 -a 1 -p 1 | jq -R -s -c '$SEEDJQ"'
	    [split("\n")[] | select(. != "") | rec]
	    | group_by(.correlation_id)
	    | map(map([.system, .checkpoint, .status, (.failure_reason != null)]))
	    | unique'"'"
	assert_output '[[["inventory","INITIATED","FAILURE",false],["inventory",null,null,true]]]'
	# -p 1,1,1: three failures, then -a 3 gives up, -a 4 succeeds
	run -0 bash -c "loggen -n 5 -p 1,1,1 | jq -R -s -c '$SEEDJQ"'
	    [split("\n")[] | select(. != "") | rec | select(.checkpoint != null)]
	    | group_by(.correlation_id)
	    | map(map(.checkpoint + " " + .status)) | unique'"'"
	assert_output '[["INITIATED FAILURE","INITIATED FAILURE","INITIATED FAILURE"]]'
	run -0 bash -c "loggen -n 5 -p 1,1,1 -a 4 | jq -R -s -c '$SEEDJQ"'
	    [split("\n")[] | select(. != "") | rec | select(.checkpoint != null)]
	    | group_by([.correlation_id, .system, .checkpoint])
	    | map(map(.status)) | unique'"'"
	assert_output '[["FAILURE","FAILURE","FAILURE","SUCCESS"]]'
	# -a 2: some flows fail for good, at most two attempts each; the one
	# that failed twice is the last checkpoint of its system, and no later
	# system starts (reporting and orders run in parallel: neither stops
	# the other)
	loggen -n 200 -a 2 -p 0.3,0.3 -S 9 > "$BATS_TEST_TMPDIR/seed.log"
	run -0 jq -R -s -c "$SEEDJQ"'
	    def order: {inventory: 0, payments: 1, reporting: 2, orders: 2};
	    [split("\n")[] | select(. != "") | rec | select(.checkpoint != null)]
	    | group_by(.correlation_id)
	    | map(. as $f
	          | [group_by([.system, .checkpoint])[]
	             | select(length == 2 and all(.status == "FAILURE"))] as $dead
	          | {attempts: ([group_by([.system, .checkpoint])[] | length] | max),
	             dead: ($dead | length),
	             ok: ($dead | all(.[1] as $d
	                  | [$f[] | select(order[.system] > order[$d.system]
	                        or (.system == $d.system and .timestamp > $d.timestamp))]
	                  | length == 0))})
	    | (map(.attempts) | max), (map(.dead) | max), (map(.ok) | all),
	      (map(select(.dead > 0)) | length > 20),
	      (map(select(.dead == 0)) | length > 20)' "$BATS_TEST_TMPDIR/seed.log"
	assert_output $'2\n2\ntrue\ntrue\ntrue'
	# the default is -a 3, and attempts beyond the -p list succeed
	loggen -n 50 > "$BATS_TEST_TMPDIR/default.log"
	loggen -n 50 -a 3 | cmp - "$BATS_TEST_TMPDIR/default.log"
	loggen -n 50 -a 10 -p 0.5,0.3 | cmp - "$BATS_TEST_TMPDIR/default.log"
}

@test "loggen: payments in about half of the flows, as --payments says" {
	count_payments() {
		loggen -n 400 "$@" | grep -o 'PAYMENTS: PAYMENTS_INITIATED - SUCCESS (ID: [^)]*' | wc -l
	}
	n=$(count_payments)
	[ "$n" -ge 160 ]
	[ "$n" -le 240 ]
	[ "$(count_payments --payments 0)" -eq 0 ]
	[ "$(count_payments --payments 1)" -eq 400 ]
	# payments come after inventory has finished
	loggen -n 30 > "$BATS_TEST_TMPDIR/seed.log"
	run -0 jq -R -s -c "$SEEDJQ"'
	    [split("\n")[] | select(. != "") | rec | select(.checkpoint != null)]
	    | group_by(.correlation_id)
	    | map(map(.system) | unique as $s | index("inventory") as $i
	          | (($s | index("payments")) == null or
	             ((map(select(. == "inventory")) | length) + $i
	              <= index("payments"))))
	    | all' "$BATS_TEST_TMPDIR/seed.log"
	assert_output true
}

@test "loggen: seed lines come in time order and flows overlap" {
	loggen -n 40 > "$BATS_TEST_TMPDIR/seed.log"
	run -0 jq -R -s -c "$SEEDJQ"'
	    [split("\n")[] | select(. != "") | rec | select(.timestamp != null)]
	    | (map(.timestamp) | . == sort),
	      # some line of one flow lies between two lines of another
	      ([.[].correlation_id] | [range(1; length - 1) as $i
	        | select(.[$i - 1] == .[$i + 1] and .[$i] != .[$i - 1])] | length > 0)' \
	    "$BATS_TEST_TMPDIR/seed.log"
	assert_output $'true\ntrue'
	run -0 bash -c 'loggen -n 1 -t 2024-12-31T23:59:58Z | head -n 1'
	assert_output --partial '"timestamp":"2024-12-31T23:59:58"'
}

@test "loggen: [INFO]/[ERROR] on text lines, --no-level drops them" {
	loggen -n 50 > "$BATS_TEST_TMPDIR/seed.log"
	run -1 grep -E -e '^\[ERROR\] .*SUCCESS' \
	    -e '^\[INFO\] .*(FAILURE|_ERROR)' -e '^[0-9]' "$BATS_TEST_TMPDIR/seed.log"
	grep -q '^\[ERROR\] .* PAYMENTS PAYMENTS_ERROR: (ID: ' "$BATS_TEST_TMPDIR/seed.log"
	run -1 bash -c 'loggen -n 50 --no-level | grep "^\["'
	loggen -n 50 --no-level | grep -q '^2025-05-04T[0-9:]* ORDER: '
	[ "$(loggen -n 50 --no-level | wc -l)" -eq "$(wc -l < "$BATS_TEST_TMPDIR/seed.log")" ]
}

@test "loggen: span log pairs a 102 start with an end for every span" {
	loggen -f spanlog -n 30 -e 0.2 > "$BATS_TEST_TMPDIR/span.log"
	run -0 jq -R -s -c "$SPANJQ"'
	    [split("\n")[] | select(. != "") | rec] as $r
	    | ($r | length),
	      ($r | group_by(.span)
	          | map(length == 2 and .[0].status == "102" and .[0].resp == "null"
	                and .[1].status != "102" and .[0].ts <= .[1].ts)
	          | all),
	      # a parent is another call of the same trace
	      ($r | group_by(.trace)
	          | map((map(.span) | unique) as $ids
	                | map(.parent | . == "null" or (. as $p | $ids | index([$p]) != null))
	                | all) | all),
	      ($r | map(.status) | unique)' "$BATS_TEST_TMPDIR/span.log"
	assert_line --index 0 300
	assert_line --index 1 true
	assert_line --index 2 true
	assert_line --index 3 '["102","200","201","500","503"]'
	# requests and responses with commas
	grep -q 'request=/api/search?q=[a-z]*,[a-z]*, http_status=' "$BATS_TEST_TMPDIR/span.log"
	grep -q 'http_status=200 response={"hits":[0-9]*,"took_ms":' "$BATS_TEST_TMPDIR/span.log"
	# the man page's example
	run -0 bash -c 'loggen -f spanlog -n 5 --drop 0.1 | wc -l'
	[ "$output" -gt 30 ]
	[ "$output" -lt 50 ]
}

@test "loggen: otlp writes one valid export per trace, spans grouped by service" {
	run -0 bash -c "loggen -f otlp -n 5 -e 0 | jq -c '
	    [.resourceSpans[] | .resource.attributes[0].value.stringValue] as \$svc
	    | [.resourceSpans[].scopeSpans[].spans[]] as \$s
	    | [(\$svc | join(\",\")), (\$s | length),
	       (\$s | map(select(.parentSpanId == \"\")) | length),
	       (\$s | map(.kind) | group_by(.) | map(length)),
	       (\$s | map(.traceId) | unique | length),
	       (\$s | all(.startTimeUnixNano | test(\"^[0-9]{19}$\"))),
	       (\$s | map(select(.status.code == 2)) | length)]'"
	assert_equal "${#lines[@]}" 5
	for l in "${lines[@]}"; do
		assert_equal "$l" '["gateway,orders,inventory,payments,bank,reporting",11,1,[6,5],1,true,0]'
	done
	# peer.service names the callee of a client span
	run -0 bash -c "loggen -f otlp -n 1 | jq -c '[.resourceSpans[].scopeSpans[].spans[]
	    | select(.kind == 3) | .attributes[0].value.stringValue] | sort'"
	assert_output '["bank","inventory","orders","payments","reporting"]'
	# -e 1: every span fails
	run -0 bash -c "loggen -f otlp -n 2 -e 1 | jq -s -c '[.[].resourceSpans[].scopeSpans[].spans[].status.code] | unique'"
	assert_output '[2]'
}

@test "loggen: flat spans name parents within their trace" {
	loggen -f flat -n 20 > "$BATS_TEST_TMPDIR/flat.log"
	run -0 jq -s -c '
	    group_by(.trace_id)
	    | (length,
	       (map(length) | unique),
	       (map((map(.span_id)) as $ids
	            | (map(select(.parent_span_id == null)) | length) == 1
	              and all(.parent_span_id == null or
	                      (.parent_span_id as $p | $ids | index([$p]) != null)))
	        | all),
	       (map(.[] | (.name | test("^(GET|POST) /api/"))
	                  and .target_service != .service) | all),
	       (map(.[] | .timestamp | test("^2025-05-04T10:30:[0-9]{2}\\.[0-9]{3}Z$")) | all),
	       (map(.[] | .duration_ms > 0 and (.status == "OK" or .status == "ERROR")) | all))' \
	    "$BATS_TEST_TMPDIR/flat.log"
	assert_output $'20\n[11]\ntrue\ntrue\ntrue\ntrue'
}

@test "loggen: -T reads a topology, probabilities and comments included" {
	cat > "$BATS_TEST_TMPDIR/topo" <<-'EOF'
	# shop
	web api
	api db 1   # always
	api cache 0
	EOF
	run -0 bash -c "loggen -f flat -n 4 -T '$BATS_TEST_TMPDIR/topo' | jq -s -c '
	    [(map(.service) | unique), (map(.target_service) | unique), length]'"
	assert_output '[["api","db","web"],[null,"api","db"],20]'
	run -0 bash -c "loggen -f spanlog -n 1 -T '$BATS_TEST_TMPDIR/topo' | cut -d, -f4,5"
	assert_line ' source=web, destination=api'
	assert_line ' source=api, destination=db'
	printf 'a b\nb a\nc a\n' > "$BATS_TEST_TMPDIR/cycle"
	run -2 --separate-stderr loggen -f flat -T "$BATS_TEST_TMPDIR/cycle"
	assert_equal "$stderr" "loggen: $BATS_TEST_TMPDIR/cycle: cycle through 'a'"
	printf 'a b 1.5\n' > "$BATS_TEST_TMPDIR/prob"
	run -2 --separate-stderr loggen -f otlp -T "$BATS_TEST_TMPDIR/prob"
	assert_equal "$stderr" "loggen: $BATS_TEST_TMPDIR/prob:1: invalid probability '1.5'"
	run -2 --separate-stderr loggen -T "$BATS_TEST_TMPDIR/missing"
	assert_equal "$stderr" "loggen: $BATS_TEST_TMPDIR/missing: No such file or directory"
}

@test "loggen: --drop loses lines and nothing else" {
	for f in seed spanlog flat; do
		loggen -f "$f" -n 50 | sort > "$BATS_TEST_TMPDIR/all"
		loggen -f "$f" -n 50 --drop 0.2 | sort > "$BATS_TEST_TMPDIR/some"
		all=$(wc -l < "$BATS_TEST_TMPDIR/all")
		some=$(wc -l < "$BATS_TEST_TMPDIR/some")
		[ "$some" -lt $((all * 9 / 10)) ]
		[ "$some" -gt $((all * 7 / 10)) ]
		run -0 comm -13 "$BATS_TEST_TMPDIR/all" "$BATS_TEST_TMPDIR/some"
		assert_output ''
	done
	# otlp: spans go missing, the traces stay
	run -0 bash -c "loggen -f otlp -n 50 --drop 0.2 | jq -s -c '[length, ([.[].resourceSpans[].scopeSpans[].spans[]] | length < 500)]'"
	assert_output '[50,true]'
	run -0 bash -c 'loggen -n 20 --drop 1 | wc -c'
	assert_output 0
}

@test "loggen: --dup repeats lines and nothing else" {
	for f in seed spanlog flat; do
		loggen -f "$f" -n 50 > "$BATS_TEST_TMPDIR/all"
		loggen -f "$f" -n 50 --dup 0.2 > "$BATS_TEST_TMPDIR/dup"
		all=$(wc -l < "$BATS_TEST_TMPDIR/all")
		dup=$(wc -l < "$BATS_TEST_TMPDIR/dup")
		[ "$dup" -gt $((all * 11 / 10)) ]
		[ "$dup" -lt $((all * 13 / 10)) ]
		# the copy follows its original
		run -0 bash -c "uniq '$BATS_TEST_TMPDIR/dup' | cmp - '$BATS_TEST_TMPDIR/all'"
	done
	run -0 bash -c "loggen -f otlp -n 5 -e 0 --dup 1 | jq -c '[.resourceSpans[].scopeSpans[].spans[]] | [length, (map(.spanId) | unique | length)]' | sort -u"
	assert_output '[22,11]'
}

@test "loggen: --shuffle reorders within the window only" {
	loggen -f spanlog -n 50 > "$BATS_TEST_TMPDIR/all"
	loggen -f spanlog -n 50 --shuffle 8 > "$BATS_TEST_TMPDIR/shuf"
	run -1 cmp -s "$BATS_TEST_TMPDIR/all" "$BATS_TEST_TMPDIR/shuf"
	run -0 bash -c "cmp <(sort '$BATS_TEST_TMPDIR/all') <(sort '$BATS_TEST_TMPDIR/shuf')"
	# no line moves by more than 8 places
	run -0 bash -c "awk 'NR == FNR { at[\$0] = FNR; next }
	    { d = at[\$0] - FNR; if (d < 0) d = -d; if (d > m) m = d }
	    END { print m }' '$BATS_TEST_TMPDIR/all' '$BATS_TEST_TMPDIR/shuf'"
	[ "$output" -ge 2 ]
	[ "$output" -le 8 ]
	run -0 bash -c "loggen -f otlp -n 20 --shuffle 4 | jq -r '.resourceSpans[0].scopeSpans[0].spans[0].traceId' | sort | uniq -d"
	assert_output ''
}

@test "loggen: --skew moves each service's clock by a fixed amount" {
	loggen -f flat -n 10 -S 5 > "$BATS_TEST_TMPDIR/plain"
	loggen -f flat -n 10 -S 5 --skew 2000 > "$BATS_TEST_TMPDIR/skew"
	run -0 jq -n -c --slurpfile a "$BATS_TEST_TMPDIR/plain" --slurpfile b "$BATS_TEST_TMPDIR/skew" '
	    def ms: .timestamp | (.[0:19] + "Z" | fromdateiso8601) * 1000 + (.[20:23] | tonumber);
	    [$a, $b] | transpose
	    | map({s: .[0].service, d: ((.[1] | ms) - (.[0] | ms)), same: (.[0].span_id == .[1].span_id)})
	    | (map(.same) | all),
	      (group_by(.s) | map((map(.d) | max) - (map(.d) | min) <= 1) | all),
	      (map(.d | fabs <= 2001) | all),
	      (map(.d) | unique | length > 2)'
	assert_output $'true\ntrue\ntrue\ntrue'
}

@test "loggen: the truth's checkpoints are what lognorm reads, under --drop, --dup, --shuffle" {
	# each attempt as many times as its line went out, and its error line
	# as many times as that went out: the same as the events, field for field
	cmp_events='
	    [$t[] | .correlation_id as $id | .checkpoints[] | . as $c
	     | range(.delivered)
	     | {id: $id, system: $c.system, checkpoint: $c.checkpoint,
	        status: $c.status, time: $c.time,
	        reason: (if $c.detail then null else $c.reason end)}] as $tm
	    | [$e[] | select(.part == "main")
	       | {id: .correlation_id, system: .system_id, checkpoint: .checkpoint_id,
	          status, time: .timestamp, reason: .failure_reason}] as $em
	    | [$t[] | .correlation_id as $id | .checkpoints[] | select(.detail)
	       | . as $c | range(.detail_delivered)
	       | {id: $id, system: $c.system, reason: $c.reason}] as $td
	    | [$e[] | select(.part == "detail")
	       | {id: .correlation_id, system: .system_id, reason: .failure_reason}] as $ed
	    | ($t | length), ($tm | length > 400), ($tm | sort) == ($em | sort),
	      ($td | length > 20), ($td | sort) == ($ed | sort),
	      ([$t[].checkpoints[] | .delivered, (.detail_delivered // empty)]
	       | unique)'
	for knobs in "" "--drop 0.2 --dup 0.3 --shuffle 20 --skew 3000"; do
		# shellcheck disable=SC2086
		loggen -n 40 -S 4 -a 2 -p 0.3,0.3 $knobs --truth "$BATS_TEST_TMPDIR/truth" |
		    lognorm > "$BATS_TEST_TMPDIR/events"
		run -0 jq -n -c --slurpfile t "$BATS_TEST_TMPDIR/truth" \
		    --slurpfile e "$BATS_TEST_TMPDIR/events" "$cmp_events"
		if [ -z "$knobs" ]; then
			assert_output $'40\ntrue\ntrue\ntrue\ntrue\n[1]'
		else
			assert_output $'40\ntrue\ntrue\ntrue\ntrue\n[0,1,2]'
		fi
	done
}

@test "loggen: the truth of a seed flow: its order, its tree, its times, whether it failed" {
	loggen -n 60 -S 8 -a 2 -p 0.3,0.3 --truth "$BATS_TEST_TMPDIR/truth" |
	    lognorm > "$BATS_TEST_TMPDIR/events"
	run -0 jq -n -c --slurpfile t "$BATS_TEST_TMPDIR/truth" \
	    --slurpfile e "$BATS_TEST_TMPDIR/events" '
	    def up($f): if .system == "inventory" then null
	        elif .system == "payments" then "inventory"
	        elif ($f.systems | map(.system) | index("payments")) then "payments"
	        else "inventory" end;
	    # in generation order: the order the flows first show up in the log
	    ([$t[].correlation_id] == ([$e[].correlation_id] | reduce .[] as $i
	        ([]; if index([$i]) then . else . + [$i] end))),
	    # the systems in the order visited, each under its parent, from its
	    # first to its last checkpoint line, failed if its last one failed
	    ($t | map(. as $f
	        | (.systems | map(.system)) as $names
	        | ($names[0:2] == ["inventory","payments"] or $names[0] == "inventory")
	          and ($names - ["inventory","payments"] | . == [] or . == ["reporting"]
	               or . == ["reporting","orders"])
	          and (.systems | all(. as $s | $f.checkpoints
	                 | map(select(.system == $s.system)) as $c
	                 | $s.parent == ($s | up($f))
	                   and $s.start == $c[0].time and $s.end == $c[-1].time
	                   and ($s.status == "FAILURE") == ($c[-1].status == "FAILURE")))
	          and (.checkpoints | map(.time) | . == sort)
	          and (.status == "FAILURE") == (.systems | any(.status == "FAILURE")))
	      | all),
	    # which flows failed: those where a checkpoint failed twice (-a 2)
	    ([$t[] | select(.status == "FAILURE") | .correlation_id] | sort)
	      == ([$e[] | select(.part == "main")]
	          | group_by([.correlation_id, .system_id, .checkpoint_id])
	          | map(select(map(.status) == ["FAILURE","FAILURE"]) | .[0].correlation_id)
	          | unique),
	    ([$t[] | select(.status == "FAILURE")] | length > 10),
	    ([$t[] | select(.status == "SUCCESS")] | length > 10),
	    ([$t[] | select(any(.systems[]; .system == "payments"))] | length > 10)'
	assert_output $'true\ntrue\ntrue\ntrue\ntrue\ntrue'
}

@test "loggen: the truth's spans are what the logs say, every format, every knob" {
	spans='
	    def copies($n): if $n | type == "object" then $n else {start: $n} end;
	    [$t[] | .trace_id as $tr | .spans[] | . as $s | copies(.delivered) as $d
	     | (range($d.start) | {trace: $tr, span: $s.span_id, parent: $s.parent_span_id,
	          service: $s.service, peer: $s.peer, time: $s.start, error: $s.error, kind: $s.kind}),
	       (range($d.end // 0) | {trace: $tr, span: $s.span_id, parent: $s.parent_span_id,
	          service: $s.service, peer: $s.peer, time: $s.end, error: $s.error, kind: $s.kind})]
	    | map(if $fmt == "spanlog" then del(.error) else . end
	          | if $fmt == "otlp" then . else del(.kind) end) | sort'
	events='
	    [$e[] | {trace: .trace_id, span: .span_id, parent: .parent_span_id,
	             service: .system_id, peer: .target_system_id, time: .timestamp,
	             error: (.status == "FAILURE"), kind: .attrs.kind}]
	    | map(if $fmt == "spanlog" then del(.error) else . end
	          | if $fmt == "otlp" then . else del(.kind) end) | sort'
	# OTLP read with jq, as lognorm's shipped otlp rule would read it
	otlp='
	    def ms: .[0:13] | tonumber | (./1000 | floor | todate | .[0:19])
	        + "." + (tostring | .[10:13]) + "Z";
	    .resourceSpans[] | .resource.attributes[0].value.stringValue as $svc
	    | .scopeSpans[].spans[]
	    | {type: "event", trace_id: .traceId, span_id: .spanId,
	       parent_span_id: (if .parentSpanId == "" then null else .parentSpanId end),
	       system_id: $svc, target_system_id: (.attributes[0].value.stringValue // null),
	       timestamp: (.startTimeUnixNano | ms),
	       status: (if .status.code == 2 then "FAILURE" else "SUCCESS" end),
	       attrs: {kind: (if .kind == 2 then "SERVER" else "CLIENT" end)}}'
	for fmt in spanlog flat otlp; do
		for knobs in "" "--drop 0.2 --dup 0.3 --shuffle 20 --skew 3000"; do
			# shellcheck disable=SC2086
			loggen -f "$fmt" -n 20 -S 6 -e 0.1 $knobs \
			    --truth "$BATS_TEST_TMPDIR/truth" > "$BATS_TEST_TMPDIR/log"
			if [ "$fmt" = otlp ]; then
				jq -c "$otlp" "$BATS_TEST_TMPDIR/log"
			else
				lognorm "$BATS_TEST_TMPDIR/log"
			fi > "$BATS_TEST_TMPDIR/events"
			run -0 jq -n -c --arg fmt "$fmt" \
			    --slurpfile t "$BATS_TEST_TMPDIR/truth" \
			    --slurpfile e "$BATS_TEST_TMPDIR/events" "
			    ($spans) as \$ts | ($events) as \$es
			    | (\$t | length), (\$ts | length > 100), \$ts == \$es,
			      # each trace a tree: its root, then parents named before
			      # their children
			      (\$t | map(.spans | reduce .[] as \$s ({ok: true, seen: [null]};
			          .ok = (.ok and (.seen | index([\$s.parent_span_id]) != null))
			          | .seen += [\$s.span_id]) | .ok) | all),
			      (\$t | map(.format) | unique)"
			assert_output "20
true
true
true
[\"$fmt\"]"
		done
	done
	# the spans of a trace and its status: the span log has the calls only
	run -0 bash -c "loggen -f spanlog -n 5 -e 0 --truth /dev/stderr 2>&1 >/dev/null |
	    jq -c '[.status, ([.spans[].kind] | unique), (.spans | length)]' | sort -u"
	assert_output '["SUCCESS",["CLIENT"],5]'
	run -0 bash -c "loggen -f flat -n 5 -e 1 --truth /dev/stderr 2>&1 >/dev/null |
	    jq -c '[.status, ([.spans[].kind] | unique), (.spans | length), (.spans | all(.error))]' | sort -u"
	assert_output '["FAILURE",["CLIENT","SERVER"],11,true]'
}

@test "loggen: --truth has one record per flow, lost lines included; it is not the output" {
	run -0 bash -c "loggen -n 7 --drop 1 --truth '$BATS_TEST_TMPDIR/truth' | wc -c"
	assert_output 0
	run -0 jq -s -c '[length, ([.[].checkpoints[].delivered] | unique)]' "$BATS_TEST_TMPDIR/truth"
	assert_output '[7,[0]]'
	run -0 bash -c "loggen -f otlp -n 3 --drop 1 --truth '$BATS_TEST_TMPDIR/truth' | wc -c"
	assert_output 0
	run -0 jq -s -c '[length, ([.[].spans[].delivered] | unique)]' "$BATS_TEST_TMPDIR/truth"
	assert_output '[3,[0]]'
	run -0 loggen -n 0 --truth "$BATS_TEST_TMPDIR/truth"
	[ ! -s "$BATS_TEST_TMPDIR/truth" ]
	run -2 --separate-stderr loggen --truth -
	assert_equal "$stderr" "loggen: --truth -: the truth cannot go to the standard output, which carries the logs (try -o)"
	run -2 --separate-stderr loggen -o "$BATS_TEST_TMPDIR/out" --truth "$BATS_TEST_TMPDIR/out"
	assert_equal "$stderr" "loggen: --truth $BATS_TEST_TMPDIR/out: the same file as the output"
	run -3 --separate-stderr loggen --truth "$BATS_TEST_TMPDIR/no/such/dir"
	assert_equal "$stderr" "loggen: $BATS_TEST_TMPDIR/no/such/dir: No such file or directory"
}

@test "loggen: -n 0 writes nothing; -o writes the file" {
	run -0 loggen -n 0
	assert_output ''
	run -0 loggen -f otlp -n 0
	assert_output ''
	run -0 loggen -n 2 -o "$BATS_TEST_TMPDIR/out.log"
	assert_output ''
	loggen -n 2 | cmp - "$BATS_TEST_TMPDIR/out.log"
}

@test "loggen: bad option values exit 2 with a message" {
	check() {
		local msg=$1
		shift
		run -2 --separate-stderr loggen "$@"
		assert_output ''
		assert_equal "$stderr" "loggen: $msg"
	}
	check "invalid failure probability '1.5': not between 0 and 1" -p 1.5,0.3
	check "invalid failure probability 'x': not a number" -p 0.5,x
	check "invalid failure probability '': not a number" -p 0.5,,0.3
	check "invalid failure probabilities '0,0,0,0,0,0,0,0,0,0,0': more than 10" \
	    --fail 0,0,0,0,0,0,0,0,0,0,0
	check "invalid attempts '0': less than 1" -a 0
	check "invalid attempts '11': more than 10" --attempts 11
	check "invalid payments probability '-0.1': not between 0 and 1" --payments -0.1
	check "invalid error probability 'nan': not a number" -e nan
	check "invalid drop probability '2': not between 0 and 1" --drop 2
	check "invalid dup probability '': not a number" --dup ''
	check "invalid count '-1': less than 0" -n -1
	check "invalid count '10x': not a number" -n 10x
	check "invalid seed 'abc': not a number" -S abc
	check "invalid seed '9223372036854775808': more than 9223372036854775807" \
	    --seed 9223372036854775808
	check "invalid shuffle window '5000000': more than 1000000" --shuffle 5000000
	check "invalid skew 'fast': not a number" --skew fast
	check "invalid skew '-1': less than 0" --skew=-1
	check "invalid format 'yaml': not seed, spanlog, otlp or flat" -f yaml
	check "invalid start time '2025-02-30T10:00:00'" -t 2025-02-30T10:00:00
	check "invalid start time 'yesterday'" --start yesterday
	run -2 --separate-stderr loggen -x
	assert_output ''
	[[ $stderr == *"invalid option"* ]]
	[[ $stderr == *"usage: loggen"* ]]
	run -2 --separate-stderr loggen stray
	[[ $stderr == "usage: loggen"* ]]
}

@test "loggen: a closed pipe ends the run quietly with status 0" {
	run -0 --separate-stderr bash -c 'set -o pipefail; loggen -n 100000 | head -n 1'
	assert_output --partial '"checkpoint":"INITIATED"'
	assert_equal "$stderr" ''
	run -0 --separate-stderr bash -c 'set -o pipefail; loggen -f otlp -n 100000 --shuffle 10 | head -c 10 >/dev/null'
	assert_equal "$stderr" ''
}

@test "loggen: --help and --version" {
	# the usage lines are the man page's SYNOPSIS
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /s/^\.Op //p' \
	    "$BATS_TEST_DIRNAME/../man/loggen.1" |
	    sed -e 's/ , Ns Ar /,/g' -e 's/Fl \\-/--/; s/Fl /-/; s/ Ar / /' |
	    sed 's/.*/[&]/' | paste -sd' ' > "$BATS_TEST_TMPDIR/synopsis"
	loggen --help | sed -n '1,/^$/p' | sed 's/^usage: loggen //; s/^ *//' |
	    paste -sd' ' | sed 's/ *$//' > "$BATS_TEST_TMPDIR/usage"
	grep -q -- '-hV.*--skew' "$BATS_TEST_TMPDIR/usage"
	diff -u "$BATS_TEST_TMPDIR/synopsis" "$BATS_TEST_TMPDIR/usage"
	run -0 loggen -h
	assert_line --index 0 --partial 'usage: loggen'
	run -0 loggen --version
	assert_output --regexp '^loggen \(logproc\) [0-9]+\.[0-9]+'
	run -0 loggen -V
	assert_output --regexp '^loggen '
}

@test "loggen: --help and the man page describe the same options, all accepted" {
	# each option as "-x --long" or "--long", from the man page's list...
	sed -n '/^\.Sh DESCRIPTION/,/^\.Sh /s/^\.It Fl \([A-Za-z]\)\( Ar [^,]*\)\{0,1\}\( , Ns Ar [a-z0-9.]*\)* , Fl \\-\([a-z-]*\).*/-\1 --\4/p
	    /^\.Sh DESCRIPTION/,/^\.Sh /s/^\.It Fl \\-\([a-z-]*\).*/--\1/p' \
	    "$BATS_TEST_DIRNAME/../man/loggen.1" | sort > "$BATS_TEST_TMPDIR/man"
	# ...and from --help
	loggen --help | sed -n 's/^  -\([A-Za-z]\), --\([a-z-]*\).*/-\1 --\2/p
	    s/^      --\([a-z-]*\).*/--\1/p' | sort > "$BATS_TEST_TMPDIR/help"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/help")" -ge 16 ]
	diff -u "$BATS_TEST_TMPDIR/man" "$BATS_TEST_TMPDIR/help"
	# every option the help names is one loggen takes, short and long
	# forms alike (with -n 0 nothing is written)
	cd "$BATS_TEST_TMPDIR"
	while read -r short long; do
		[ -n "$long" ] || { long=$short; short=; }
		case $long in
		--help|--version) continue ;;
		--no-level) args=() ;;
		--format) args=(flat) ;;
		--fail) args=(0.1,0.2) ;;
		--output) args=("$BATS_TEST_TMPDIR/out") ;;
		--truth) args=("$BATS_TEST_TMPDIR/truth") ;;
		--start) args=(2025-01-01T00:00:00) ;;
		--topology) args=("$FIXTURES/loggen.topo") ;;
		*) args=(1) ;;
		esac
		run -0 loggen -n 0 "$long" "${args[@]}"
		[ -z "$short" ] || run -0 loggen -n 0 "$short" "${args[@]}"
	done < "$BATS_TEST_TMPDIR/help"
}

@test "loggen: SIGTERM ends the run early, lines whole, killed by the signal" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	# far more than the pipe holds: loggen is still writing when it is told
	loggen -n 100000 --shuffle 10 > "$BATS_TEST_TMPDIR/fifo" &
	pid=$!
	{
		head -c 100 > "$BATS_TEST_TMPDIR/head"
		kill -TERM "$pid"
		cat > "$BATS_TEST_TMPDIR/rest"
	} < "$BATS_TEST_TMPDIR/fifo"
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 143
	[ -s "$BATS_TEST_TMPDIR/rest" ]
	run -0 bash -c "tail -c 1 '$BATS_TEST_TMPDIR/rest' | od -An -tx1"
	assert_output ' 0a'
}

@test "loggen: the man page's other examples run" {
	cd "$BATS_TEST_TMPDIR"
	run -0 loggen -n 100 --payments 1 --shuffle 20 --skew 2000 -o flows.log
	assert_output ''
	[ "$(grep -c 'PAYMENTS_FINALIZED - SUCCESS' flows.log)" -eq 100 ]
	run -0 bash -c 'set -o pipefail; loggen -f otlp -n 2 | lognorm -r otlp | jq -e -s "length > 0"'
}

@test "loggen: the man page's truth examples say what they claim" {
	cd "$BATS_TEST_TMPDIR"
	# which flows failed, and in which systems: some did, each in a
	# system whose last checkpoint line in the log failed
	loggen -n 20 -a 2 --truth truth.ndjson -o flows.log
	jq -c 'select(.status == "FAILURE") | [.correlation_id, [.systems[] | select(.status == "FAILURE") | .system]]' truth.ndjson > failed
	[ "$(wc -l < failed)" -ge 5 ]
	lognorm flows.log > events
	run -0 jq -n -c --slurpfile f failed --slurpfile e events '
	    $f | map(.[0] as $id | .[1] | map(. as $sys
	        | [$e[] | select(.correlation_id == $id and .system_id == $sys
	                         and .part == "main")][-1].status == "FAILURE") | all)
	    | all'
	assert_output true
	# both commands print the same number
	a=$(set -o pipefail; loggen -n 50 --drop 0.1 --dup 0.1 --truth truth.ndjson | lognorm | jq -s '[.[] | select(.part == "main" and .status == "FAILURE")] | length')
	b=$(jq -s '[.[].checkpoints[] | select(.status == "FAILURE") | .delivered] | add' truth.ndjson)
	[ "$a" -gt 100 ]
	assert_equal "$a" "$b"
}
