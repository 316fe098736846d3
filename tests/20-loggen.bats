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
		! cmp -s "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/c"
	done
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

@test "loggen: payments in about half of the flows, as --payments says" {
	count_payments() {
		loggen -n 400 "$@" | grep -o 'PAYMENTS: PAYMENTS_INITIATED - SUCCESS (ID: [^)]*' | wc -l
	}
	n=$(count_payments)
	[ "$n" -ge 160 ] && [ "$n" -le 240 ]
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
	[ "$output" -gt 30 ] && [ "$output" -lt 50 ]
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
		[ "$some" -lt $((all * 9 / 10)) ] && [ "$some" -gt $((all * 7 / 10)) ]
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
		[ "$dup" -gt $((all * 11 / 10)) ] && [ "$dup" -lt $((all * 13 / 10)) ]
		# the copy follows its original
		run -0 bash -c "uniq '$BATS_TEST_TMPDIR/dup' | cmp - '$BATS_TEST_TMPDIR/all'"
	done
	run -0 bash -c "loggen -f otlp -n 5 -e 0 --dup 1 | jq -c '[.resourceSpans[].scopeSpans[].spans[]] | [length, (map(.spanId) | unique | length)]' | sort -u"
	assert_output '[22,11]'
}

@test "loggen: --shuffle reorders within the window only" {
	loggen -f spanlog -n 50 > "$BATS_TEST_TMPDIR/all"
	loggen -f spanlog -n 50 --shuffle 8 > "$BATS_TEST_TMPDIR/shuf"
	! cmp -s "$BATS_TEST_TMPDIR/all" "$BATS_TEST_TMPDIR/shuf"
	run -0 bash -c "cmp <(sort '$BATS_TEST_TMPDIR/all') <(sort '$BATS_TEST_TMPDIR/shuf')"
	# no line moves by more than 8 places
	run -0 bash -c "awk 'NR == FNR { at[\$0] = FNR; next }
	    { d = at[\$0] - FNR; if (d < 0) d = -d; if (d > m) m = d }
	    END { print m }' '$BATS_TEST_TMPDIR/all' '$BATS_TEST_TMPDIR/shuf'"
	[ "$output" -ge 2 ] && [ "$output" -le 8 ]
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
	check "invalid probability '1.5'" -p 1.5,0.3
	check "invalid probability 'x'" -p 0.5,x
	check "invalid probabilities '0.5'" -p 0.5
	check "invalid probability '-0.1'" --payments -0.1
	check "invalid probability 'nan'" -e nan
	check "invalid probability '2'" --drop 2
	check "invalid probability ''" --dup ''
	check "invalid count '-1'" -n -1
	check "invalid count '10x'" -n 10x
	check "invalid seed 'abc'" -S abc
	check "invalid shuffle window '5000000'" --shuffle 5000000
	check "invalid skew 'fast'" --skew fast
	check "invalid format 'yaml'" -f yaml
	check "invalid start time '2025-02-30T10:00:00'" -t 2025-02-30T10:00:00
	check "invalid start time 'yesterday'" -t yesterday
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
	run -0 loggen --help
	assert_line --index 0 --regexp '^usage: loggen \[-hV\] \[-e P\] \[-f format\]'
	run -0 loggen -h
	assert_line --index 0 --partial 'usage: loggen'
	run -0 loggen --version
	assert_output --regexp '^loggen \(logproc\) [0-9]+\.[0-9]+'
	run -0 loggen -V
	assert_output --regexp '^loggen '
}

@test "loggen: the man page's other examples run" {
	cd "$BATS_TEST_TMPDIR"
	run -0 loggen -n 100 --payments 1 --shuffle 20 --skew 2000 -o flows.log
	assert_output ''
	[ "$(grep -c 'PAYMENTS_FINALIZED - SUCCESS' flows.log)" -eq 100 ]
	run -0 bash -c 'set -o pipefail; loggen -f otlp -n 2 | lognorm -r otlp | jq -e -s "length > 0"'
}
