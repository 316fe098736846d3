#!/usr/bin/env bats
# 30-depgraph.bats - the service dependency graph: linking policies, the
# checkpoint model, revisions, windows, streaming, merge, baseline, DOT,
# Cypher, bad input.  Fixtures in tests/fixtures/depgraph are trace records
# written to logproc(7)'s letter: spanlog.traces (the span log: no kinds,
# each span names its callee), seed.traces (checkpoint spans, parents
# inferred), otel.traces (OTLP kinds), zipkin.traces (Zipkin kinds, shared
# spans), names.traces (names that need escaping), revisions.traces,
# windows.traces and bad.ndjson.

load test_helper

D=depgraph	# the fixtures' folder, relative to tests/fixtures

# edges FILE...: the edge records of depgraph's output as "source target
# calls errors" lines, sorted.
edges() {
	jq -r 'select(.type == "edge") | "\(.source) \(.target) \(.calls) \(.errors)"' "$@" | sort
}

@test "depgraph: the span log: each span is a call from its source to its destination" {
	golden depgraph-spanlog.out depgraph $D/spanlog.traces
	# independently, from the spans: calls, errors, and the latencies of
	# the spans that ended (the in-progress one has none)
	want=$(jq -r '.spans[] | select(.target) | "\(.service) \(.target)"' \
	    "$FIXTURES/$D/spanlog.traces" | sort | uniq -c |
	    awk '{ print $2, $3, $1 }')
	got=$(depgraph "$FIXTURES/$D/spanlog.traces" |
	    jq -r 'select(.type == "edge") | "\(.source) \(.target) \(.calls)"')
	[ "$want" = "$got" ]
	run -0 bash -c "depgraph '$FIXTURES/$D/spanlog.traces' | jq -c 'select(.type == \"edge\" and .target == \"payments\") | [.errors, .sketch.count, .latency.max, .latency.avg, .methods]'"
	assert_output '[1,2,60,55,[{"name":"POST","type":"HTTP","calls":2}]]'
	run -0 bash -c "depgraph '$FIXTURES/$D/spanlog.traces' | jq -c 'select(.type == \"edge\" and .target == \"inventory\") | [.calls, .sketch.count]'"
	assert_output '[3,2]'
	# a span in progress as tracebuild writes it (no status, its end at
	# its start) has no latency
	run -0 bash -c "sed -n 3p '$FIXTURES/$D/spanlog.traces' | jq -c '.spans[1] |= (.end = .start | .duration_ms = 0)' | depgraph | jq -c 'select(.type == \"edge\" and .target == \"inventory\") | [.calls, .sketch.count]'"
	assert_output '[1,0]'
	# the fourth trace: orders' own span under gateway's call to orders
	# names no callee; the call was counted at the caller, not again
	run -0 edges <(sed -n 4p "$FIXTURES/$D/spanlog.traces" | depgraph)
	assert_output "gateway orders 1 0
orders inventory 1 0"
}

@test "depgraph: the seed's checkpoint spans link parent system to child system" {
	golden depgraph-seed.out depgraph $D/seed.traces
	run -0 edges <(depgraph "$FIXTURES/$D/seed.traces")
	assert_output "inventory orders 1 0
inventory payments 2 0
inventory reporting 1 0
payments orders 2 1
payments reporting 2 0"
	# counts from the spans themselves: one call per (parent, child)
	want=$(jq -r '(.spans | map({(.span_id): .service}) | add) as $svc
	    | .spans[] | select(.parent_span_id) | "\($svc[.parent_span_id]) \(.service)"' \
	    "$FIXTURES/$D/seed.traces" | sort | uniq -c | awk '{ print $2, $3, $1 }')
	got=$(edges <(depgraph "$FIXTURES/$D/seed.traces") | cut -d' ' -f1-3)
	[ "$want" = "$got" ]
}

@test "depgraph: otel policy: client and server are one call, virtual callees, messaging, user" {
	golden depgraph-otel.out depgraph -u $D/otel.traces
	# Worked out from otel.traces:
	#  trace 1: gateway's client (peer.service orders) with orders' server
	#    child: gateway -> orders; orders' client with db.system and no
	#    server child: orders -> orders_db (a database); orders' producer
	#    with reporting's consumer child: orders -> reporting; gateway's
	#    client with no child and no peer attribute: unpaired, no call.
	#  trace 2: the client failed, its server did not: one failed call;
	#    the server span given twice counts once; payments' server span
	#    whose parent never came: unpaired, no call invented.
	#  trace 3: an internal span takes no part; orders' client to orders'
	#    own server: a loopback call, a self-loop and a cycle of one.
	#  -u: each root server span is called by user.
	run -0 edges <(depgraph -u "$FIXTURES/$D/otel.traces")
	assert_output "gateway orders 2 1
orders orders 1 0
orders orders_db 1 0
orders reporting 1 0
user gateway 2 1
user orders 1 0"
	run -0 bash -c "depgraph '$FIXTURES/$D/otel.traces' | jq -r 'select(.type == \"service\") | \"\(.name) \(.kind)\"'"
	assert_output "gateway service
orders service
orders_db database
payments service
reporting service"
	run -0 --separate-stderr depgraph -s "$FIXTURES/$D/otel.traces"
	[ "${stderr_lines[3]}" = "depgraph: spans: 16, 1 duplicates, 0 without a service, 1 with a missing parent, 0 negative durations" ]
	[ "${stderr_lines[4]}" = "depgraph: calls: 5, 1 self-loops, 0 backfilled (zipkin); unpaired: 1 client, 1 server, 0 extra server spans" ]
	# the latency of a paired call is the client's: 150 ms and 250 ms
	run -0 bash -c "depgraph '$FIXTURES/$D/otel.traces' | jq -c 'select(.type == \"edge\" and .source == \"gateway\") | [.sketch.min, .sketch.max]'"
	assert_output '[150,250]'
}

@test "depgraph: zipkin policy: Zipkin's DependencyLinker, worked out by hand" {
	golden depgraph-zipkin.out depgraph -p zipkin $D/zipkin.traces
	# From zipkin.traces, by DependencyLinker's rules:
	#  z1: frontend's client span has a child (backend's shared server
	#    half): skipped; the server half links from its nearest remote
	#    ancestor, the client: frontend -> backend.  backend's client to
	#    "mysql" has no children, and its remote ancestor is backend's own
	#    server: backend -> mysql (an uninstrumented callee).
	#  z2: messaging through the broker it names: frontend -> rabbitmq
	#    (producer), rabbitmq -> backend (consumer); the producer that
	#    names no broker links nothing.
	#  z3: api's server half succeeded but its client failed: the error
	#    is taken from the client, its parent: web -> api, 1 error.
	#    cache-client's client span sits under web's server: Zipkin
	#    backfills web -> cache-client, then cache-client -> redis.
	#  z4: the root server names its remote (datamgmt): datamgmt -> auth;
	#    auth's client to "auth": a loopback call, auth -> auth.
	#  z5: api's server has no parent in the trace (headless): no caller;
	#    its client: api -> search.
	#  z6: api's server is an orphan kept under web's root by tracebuild:
	#    Zipkin would link web -> api; depgraph invents no call.
	run -0 edges <(depgraph -p zipkin "$FIXTURES/$D/zipkin.traces")
	assert_output "api search 1 0
auth auth 1 0
backend mysql 1 0
cache-client redis 1 0
datamgmt auth 1 0
frontend backend 1 0
frontend rabbitmq 1 0
rabbitmq backend 1 0
web api 1 1
web cache-client 1 0"
	run -0 bash -c "depgraph -p zipkin '$FIXTURES/$D/zipkin.traces' | jq -r 'select(.type == \"service\" and .kind != \"service\") | \"\(.name) \(.kind)\"'"
	assert_output "datamgmt virtual
mysql virtual
rabbitmq broker
redis virtual
search virtual"
	# the same trees under otel: producer and consumer pair up directly
	run -0 edges <(depgraph "$FIXTURES/$D/zipkin.traces")
	assert_line "frontend backend 2 0"
	refute_line --partial rabbitmq
}

@test "depgraph: span records, alone or after their trace record, give the same graph" {
	jq -c '., (.trace_id as $t | .revision as $r | .spans[] | {type: "span", trace_id: $t, revision: $r} + .)' \
	    "$FIXTURES/$D/otel.traces" > "$BATS_TEST_TMPDIR/with-spans"
	grep '"type":"span"' "$BATS_TEST_TMPDIR/with-spans" > "$BATS_TEST_TMPDIR/spans"
	depgraph -u "$FIXTURES/$D/otel.traces" > "$BATS_TEST_TMPDIR/want"
	depgraph -u "$BATS_TEST_TMPDIR/with-spans" > "$BATS_TEST_TMPDIR/got1"
	depgraph -u "$BATS_TEST_TMPDIR/spans" > "$BATS_TEST_TMPDIR/got2"
	diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got1"
	diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got2"
	run -0 --separate-stderr depgraph -s "$BATS_TEST_TMPDIR/with-spans"
	assert_equal "${stderr_lines[1]}" "depgraph: read 3 traces, 16 span records (16 of traces read whole), 0 edge records, 0 service records, 0 cycle records (recomputed), 0 vanished records (a baseline's)"
}

@test "depgraph: a later revision replaces what its trace counted; repeats count nothing" {
	golden depgraph-revisions.out depgraph $D/revisions.traces
	run -0 edges <(depgraph "$FIXTURES/$D/revisions.traces")
	# r1 (revision 2: inventory's call no longer failed) and r2
	assert_output "gateway orders 2 0
orders inventory 1 0"
	run -0 --separate-stderr depgraph -s "$FIXTURES/$D/revisions.traces"
	[ "${stderr_lines[2]}" = "depgraph: traces: 2 counted, 0 without spans, 2 revised, 2 duplicates, 0 late" ]
	# remembering none, every revision counts on its own
	run -0 edges <(depgraph --revisions 0 "$FIXTURES/$D/revisions.traces")
	assert_line "gateway orders 6 0"
}

@test "depgraph: windows: each trace in the window of its start; late traces rejected" {
	golden depgraph-windows.out depgraph -w 1m -g 30s $D/windows.traces
	[ "$status" -eq 1 ]
	assert_equal "${stderr_lines[0]}" "depgraph: $D/windows.traces:5: late: the window of its start 2025-05-04T10:30:40.000Z was written already (see -g)"
	# a revision of a trace whose window was written is late too: what
	# it counted there can no longer be taken back
	run -1 --separate-stderr bash -c "set -o pipefail; { sed -n 1,4p '$FIXTURES/$D/windows.traces'; sed -n 1p '$FIXTURES/$D/windows.traces' | jq -c '.revision = 1'; } | depgraph -w 1m -g 30s | jq -r 'select(.type == \"edge\") | \"\(.window.start) \(.calls)\"'"
	assert_output "2025-05-04T10:30:00.000Z 2
2025-05-04T10:31:00.000Z 1
2025-05-04T10:32:00.000Z 1"
	[[ $stderr == *"(stdin):5: late: the window of its start 2025-05-04T10:30:10.000Z was written already (see -g)"* ]]
	# so is the same trace again: once its window is written, a trace is
	# no longer held (nor its memory kept), and cannot be told from a new one
	run -1 --separate-stderr bash -c "{ sed -n 1,4p '$FIXTURES/$D/windows.traces'; sed -n 1p '$FIXTURES/$D/windows.traces'; } | depgraph -w 1m -g 30s"
	[[ $stderr == *"(stdin):5: late: "* ]]
	# with a longer grace the late trace finds its window
	run -0 bash -c "depgraph -w 1m -g 5m '$FIXTURES/$D/windows.traces' | jq -r 'select(.type == \"edge\") | \"\(.window.start) \(.target) \(.calls)\"'"
	assert_output "2025-05-04T10:30:00.000Z orders 3
2025-05-04T10:31:00.000Z reporting 1
2025-05-04T10:32:00.000Z orders 1
2025-05-04T10:33:00.000Z orders 1"
}

# start_fifo ARGS...: depgraph ARGS reading the fifo "in" and writing the
# fifo "out" in the background (pid in $pid); $w writes to it, $r reads
# from it.
start_fifo() {
	mkfifo "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
	depgraph "$@" < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" 2> /dev/null &
	pid=$!
	exec {w}> "$BATS_TEST_TMPDIR/in"
	exec {r}< "$BATS_TEST_TMPDIR/out"
}

@test "depgraph: streaming: a window is written as soon as event time passes it" {
	start_fifo -w 1m -g 0
	sed -n 1,3p "$FIXTURES/$D/windows.traces" >&"$w"
	# the third trace (10:31:20) closes the 10:30 window: its edge comes
	# out while the input is still open
	read -t 20 -r line <&"$r"
	[[ $line == '{"type":"edge","source":"gateway","target":"orders","window":{"start":"2025-05-04T10:30:00.000Z"'* ]]
	exec {w}>&-
	cat <&"$r" > "$BATS_TEST_TMPDIR/rest"
	wait "$pid"
	grep -q '"target":"reporting","window":{"start":"2025-05-04T10:31:00.000Z"' "$BATS_TEST_TMPDIR/rest"
}

@test "depgraph: SIGTERM writes what it holds, then dies of the signal" {
	start_fifo -w 1m -g 0
	sed -n 1,3p "$FIXTURES/$D/windows.traces" >&"$w"
	read -t 20 -r line <&"$r"	# it has read the three traces
	kill -TERM "$pid"
	cat <&"$r" > "$BATS_TEST_TMPDIR/rest"
	status=0
	wait "$pid" || status=$?
	exec {w}>&-
	[ "$status" -eq 143 ]
	# the open 10:31 window was not lost
	grep -q '"target":"reporting","window":{"start":"2025-05-04T10:31:00.000Z"' "$BATS_TEST_TMPDIR/rest"
}

# same_graph A B: two outputs hold the same records, but for a latency sum
# that may differ in its last bits when added in another order.
same_graph() {
	local n='del(.sketch.sum, .latency.avg)'
	diff -u <(jq -c "$n" "$1") <(jq -c "$n" "$2") &&
	diff <(jq -r 'select(.type == "edge") | .sketch.sum' "$1") \
	    <(jq -r 'select(.type == "edge") | .sketch.sum' "$2") > /dev/null ||
	jq -n --slurpfile a "$1" --slurpfile b "$2" -e '
	    [$a, $b] | map(map(select(.type == "edge") | .sketch.sum))
	    | transpose | all(((.[0] - .[1]) | fabs) <= 1e-9 * .[0])'
}

@test "depgraph: the merge of two halves (split by trace) is the graph of the whole" {
	cat "$FIXTURES/$D/spanlog.traces" "$FIXTURES/$D/seed.traces" \
	    "$FIXTURES/$D/otel.traces" "$FIXTURES/$D/names.traces" > "$BATS_TEST_TMPDIR/all"
	# and 2000 generated traces with spread latencies
	awk 'BEGIN { x = 7; for (i = 0; i < 2000; i++) {
	    x = (x * 1103515245 + 12345) % 2147483648; d = 1 + x % 100000 / 100
	    s = sprintf("s%d", i % 7); t = sprintf("s%d", (i * 3 + 1) % 7)
	    printf "{\"type\":\"trace\",\"trace_id\":\"g%d\",\"spans\":[{\"span_id\":\"a\",\"service\":\"%s\",\"target\":\"%s\",\"start\":\"2025-05-04T10:%02d:%02d.000Z\",\"duration_ms\":%.3f,\"status\":\"%s\"}]}\n", i, s, t, i % 60, i % 59, d, (x % 13 ? "SUCCESS" : "FAILURE") } }' >> "$BATS_TEST_TMPDIR/all"
	awk 'NR % 2' "$BATS_TEST_TMPDIR/all" > "$BATS_TEST_TMPDIR/odd"
	awk 'NR % 2 == 0' "$BATS_TEST_TMPDIR/all" > "$BATS_TEST_TMPDIR/even"
	depgraph "$BATS_TEST_TMPDIR/all" > "$BATS_TEST_TMPDIR/whole"
	depgraph "$BATS_TEST_TMPDIR/odd" > "$BATS_TEST_TMPDIR/a"
	depgraph "$BATS_TEST_TMPDIR/even" > "$BATS_TEST_TMPDIR/b"
	depgraph "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b" > "$BATS_TEST_TMPDIR/merged"
	[ "$(grep -c '"type":"edge"' "$BATS_TEST_TMPDIR/whole")" -gt 20 ]
	same_graph "$BATS_TEST_TMPDIR/whole" "$BATS_TEST_TMPDIR/merged"
	# and merging again (three ways, in any order) changes nothing
	depgraph "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/merged" "$BATS_TEST_TMPDIR/a" \
	    > "$BATS_TEST_TMPDIR/twice"
	run -0 jq -s -c '[.[] | select(.type == "edge") | .calls] | add' "$BATS_TEST_TMPDIR/twice"
	assert_output "$(jq -s '[.[] | select(.type == "edge") | .calls * 2] | add' "$BATS_TEST_TMPDIR/whole")"
}

@test "depgraph: the percentiles of a merge are within 1% of the exact ones" {
	awk 'BEGIN { x = 11; for (i = 0; i < 3000; i++) {
	    x = (x * 1103515245 + 12345) % 2147483648; d = exp((x % 100000) / 10000)
	    printf "{\"type\":\"trace\",\"trace_id\":\"p%d\",\"spans\":[{\"span_id\":\"a\",\"service\":\"api\",\"target\":\"db\",\"duration_ms\":%.6f}]}\n", i, d } }' \
	    > "$BATS_TEST_TMPDIR/t"
	head -1000 "$BATS_TEST_TMPDIR/t" | depgraph > "$BATS_TEST_TMPDIR/a"
	tail -n +1001 "$BATS_TEST_TMPDIR/t" | depgraph > "$BATS_TEST_TMPDIR/b"
	depgraph "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b" |
	    jq -c 'select(.type == "edge") | .latency' > "$BATS_TEST_TMPDIR/got"
	# exact: the value of rank floor(q (n - 1)) of the sorted latencies
	jq -s -c '[.[].spans[0].duration_ms] | sort as $v | length as $n
	    | {p50: $v[((($n - 1) * 0.50) | floor)], p95: $v[((($n - 1) * 0.95) | floor)],
	       p99: $v[((($n - 1) * 0.99) | floor)], max: $v[-1]}' \
	    "$BATS_TEST_TMPDIR/t" > "$BATS_TEST_TMPDIR/exact"
	jq -n -e --slurpfile g "$BATS_TEST_TMPDIR/got" --slurpfile x "$BATS_TEST_TMPDIR/exact" '
	    $g[0] as $g | $x[0] as $x
	    | all(("p50", "p95", "p99"); (($g[.] - $x[.]) | fabs) <= 0.01 * $x[.] + 0.001)
	      and (($g.max - $x.max) | fabs) <= 0.0005'
}

@test "depgraph: baseline: new, worse, same and vanished edges and services" {
	# the baseline: r2's one call, gateway -> orders, at 50 ms; now the
	# span log, whose gateway -> orders p95 is 80 ms (+60%)
	sed -n 2p "$FIXTURES/$D/revisions.traces" |
	    jq -c '.spans[0].duration_ms = 50' > "$BATS_TEST_TMPDIR/old"
	depgraph "$BATS_TEST_TMPDIR/old" > "$BATS_TEST_TMPDIR/base"
	golden depgraph-baseline.out depgraph -b "$BATS_TEST_TMPDIR/base" $D/spanlog.traces
	run -0 bash -c "depgraph -b '$BATS_TEST_TMPDIR/base' '$FIXTURES/$D/spanlog.traces' | jq -r '[.type, .source // .name, .target // \"-\", .change] | @tsv'"
	assert_output $'edge\tgateway\torders\tworse
edge\tgateway\treporting\tnew
edge\torders\tinventory\tnew
edge\torders\tpayments\tnew
edge\tpayments\tbank\tnew
service\tbank\t-\tnew
service\tgateway\t-\tsame
service\tinventory\t-\tnew
service\torders\t-\tsame
service\tpayments\t-\tnew
service\treporting\t-\tnew'
	# thresholds: +60% is not worse at --p95-worse 0.7
	run -0 bash -c "depgraph --p95-worse 0.7 -b '$BATS_TEST_TMPDIR/base' '$FIXTURES/$D/spanlog.traces' | jq -r 'select(.type == \"edge\" and .target == \"orders\") | .change'"
	assert_output same
	# an error rate up from 0 to 50%: worse unless --errors-worse 0.5
	jq -c '.trace_id = "r3" | .spans[0].status = "FAILURE"' "$BATS_TEST_TMPDIR/old" > "$BATS_TEST_TMPDIR/new"
	run -0 bash -c "depgraph --p95-worse 9 -b '$BATS_TEST_TMPDIR/base' '$BATS_TEST_TMPDIR/new' '$BATS_TEST_TMPDIR/old' | jq -c 'select(.type == \"edge\") | [.change, .error_rate, .baseline.error_rate]'"
	assert_output '["worse",0.5,0]'
	run -0 bash -c "depgraph --p95-worse 9 --errors-worse 0.5 -b '$BATS_TEST_TMPDIR/base' '$BATS_TEST_TMPDIR/new' '$BATS_TEST_TMPDIR/old' | jq -r 'select(.type == \"edge\") | .change'"
	assert_output same
	# the same input as its own baseline: all same; what is gone: vanished
	depgraph "$FIXTURES/$D/spanlog.traces" > "$BATS_TEST_TMPDIR/base2"
	run -0 bash -c "depgraph -b '$BATS_TEST_TMPDIR/base2' '$FIXTURES/$D/spanlog.traces' | jq -r '.change' | sort -u"
	assert_output same
	run -0 bash -c "depgraph -b '$BATS_TEST_TMPDIR/base2' '$BATS_TEST_TMPDIR/old' | jq -r 'select(.change == \"vanished\") | [.type, .source // .name, .target // \"-\", .calls // .spans] | @tsv'"
	assert_output $'edge\tgateway\treporting\t0
edge\torders\tinventory\t0
edge\torders\tpayments\t0
edge\tpayments\tbank\t0
service\tbank\t-\t0
service\tinventory\t-\t0
service\tpayments\t-\t0
service\treporting\t-\t0'
	# records of vanished things describe the baseline: a merge skips them
	depgraph -b "$BATS_TEST_TMPDIR/base2" "$BATS_TEST_TMPDIR/old" > "$BATS_TEST_TMPDIR/cmp"
	run -0 edges <(depgraph "$BATS_TEST_TMPDIR/cmp")
	assert_output "gateway orders 1 0"
}

@test "depgraph: DOT renders with dot(1) without a warning" {
	command -v dot || skip "dot(1) not installed (scripts/install-deps.sh)"
	depgraph "$FIXTURES/$D/seed.traces" > "$BATS_TEST_TMPDIR/base"
	for args in "$D/spanlog.traces" "$D/seed.traces" "-u $D/otel.traces" \
	    "-p zipkin $D/zipkin.traces" "$D/names.traces" "$D/bad.ndjson" \
	    "-b $BATS_TEST_TMPDIR/base $D/spanlog.traces" "/dev/null"; do
		(cd "$FIXTURES" && depgraph -f dot $args 2> /dev/null) > "$BATS_TEST_TMPDIR/g.dot" || true
		run --separate-stderr dot -Tsvg -o "$BATS_TEST_TMPDIR/g.svg" "$BATS_TEST_TMPDIR/g.dot"
		[ "$status" -eq 0 ] || fail "dot failed on $args: $stderr"
		[ -z "$stderr" ] || fail "dot warned on $args: $stderr"
		grep -q '<svg' "$BATS_TEST_TMPDIR/g.svg"
	done
	golden depgraph-names.dot depgraph -f dot $D/names.traces
	golden depgraph-otel.dot depgraph -f dot -u $D/otel.traces
}

@test "depgraph: Cypher passes a strict parse, and the parser refuses what is wrong" {
	check="$LOGPROC_BIN/../tests/cypher-check"
	for args in "$D/spanlog.traces" "$D/seed.traces" "-u $D/otel.traces" \
	    "-p zipkin $D/zipkin.traces" "$D/names.traces" "/dev/null"; do
		(cd "$FIXTURES" && depgraph -f cypher $args) > "$BATS_TEST_TMPDIR/g.cypher"
		run "$check" "$BATS_TEST_TMPDIR/g.cypher"
		[ "$status" -eq 0 ] || fail "cypher-check on $args: $output"
	done
	golden depgraph-names.cypher depgraph -f cypher $D/names.traces
	# the checker itself fails on what Neo4j would refuse
	for bad in "MERGE (a)-[r:CALLS]->(b);" \
	    "MERGE (a:Service {name: 'x'}) MERGE (a:Service {name: 'y'});" \
	    "MERGE (a:Service {name: 'it's'});" \
	    "MERGE (a:Service {name: 'x\\q'});" \
	    "MERGE (a:Service {name: null});" \
	    "MERGE (a:Service {name: 'x'}) SET b.calls = 1;" \
	    "MERGE (a:Service {name: 'x'}) MERGE (a)-[r:CALLS|X]->(a);" \
	    "MERGE (a:Service {name: 'x'}) MERGE (a)-[r]->(a);" \
	    "MERGE (a:Service {name: 'x'}) SET a.n = 1.;" \
	    "MERGE (a:Service {name: 'x'})" \
	    "MERGE (set:Service {name: 'x'});"; do
		run "$check" <<< "$bad"
		[ "$status" -eq 1 ] || fail "cypher-check accepted: $bad"
	done
	# loading twice changes nothing: every statement is a MERGE
	run -0 bash -c "depgraph -f cypher '$FIXTURES/$D/otel.traces' | grep -v '^//' | grep -v '^MERGE ' | wc -l"
	assert_output 0
}

@test "depgraph: bad input: wrong types, no spans, self-loops, a cycle; counted, no crash" {
	golden depgraph-bad.out depgraph -s $D/bad.ndjson
	[ "$status" -eq 1 ]
	printf '%s\n' "${stderr_lines[@]}" > "$BATS_TEST_TMPDIR/err"
	grep -qx "depgraph: 20 lines, 1 blank, 19 records, 11 rejected" "$BATS_TEST_TMPDIR/err"
	grep -qx "depgraph: traces: 6 counted, 1 without spans, 0 revised, 0 duplicates, 0 late" "$BATS_TEST_TMPDIR/err"
	grep -qx "depgraph: calls: 6, 1 self-loops, 0 backfilled (zipkin); unpaired: 0 client, 0 server, 0 extra server spans" "$BATS_TEST_TMPDIR/err"
	grep -qx "depgraph: wrote 1 graphs: 6 edges, 7 services, 2 cycles" "$BATS_TEST_TMPDIR/err"
	grep -qx " *3  wrong type" "$BATS_TEST_TMPDIR/err"
	grep -qx " *2  bad span" "$BATS_TEST_TMPDIR/err"
	# with -x: reject records, stderr quiet but for -s
	run -1 --separate-stderr depgraph -x "$BATS_TEST_TMPDIR/rej" "$FIXTURES/$D/bad.ndjson"
	[ -z "$stderr" ]
	run -0 jq -r '[.line, .reason] | @tsv' "$BATS_TEST_TMPDIR/rej"
	assert_line $'1\twrong type: \'event\' records are not read by depgraph (traces, spans, edges and services are)'
	assert_line $'13\tbad trace: \'spans\' is not an array'
	assert_line $'17\tbad sketch: another alpha than 0.01'
	[ "${#lines[@]}" -eq 11 ]
}

@test "depgraph: 10^4 services in one cycle" {
	awk 'BEGIN { n = 10000; for (i = 0; i < n; i++)
	    printf "{\"type\":\"trace\",\"trace_id\":\"c%d\",\"spans\":[{\"span_id\":\"a\",\"service\":\"svc%05d\",\"target\":\"svc%05d\",\"duration_ms\":1}]}\n", i, i, (i + 1) % n }' \
	    > "$BATS_TEST_TMPDIR/ring"
	run -0 --separate-stderr depgraph -s "$BATS_TEST_TMPDIR/ring"
	assert_equal "${stderr_lines[5]}" "depgraph: wrote 1 graphs: 10000 edges, 10000 services, 1 cycles"
	printf '%s\n' "${lines[@]}" | tail -1 > "$BATS_TEST_TMPDIR/cycle"
	run -0 jq -c '[.type, (.services | length), .edges, .calls, .services[0], .services[-1]]' "$BATS_TEST_TMPDIR/cycle"
	assert_output '["cycle",10000,10000,10000,"svc00000","svc09999"]'
	# cut the ring once: no cycle left
	run -0 --separate-stderr depgraph -s <(sed 1d "$BATS_TEST_TMPDIR/ring")
	assert_equal "${stderr_lines[5]}" "depgraph: wrote 1 graphs: 9999 edges, 10000 services, 0 cycles"
}

@test "depgraph: merge records are checked: windows, sketches, counts" {
	depgraph -w 1m "$FIXTURES/$D/windows.traces" > "$BATS_TEST_TMPDIR/w" 2> /dev/null || true
	# records of 1m windows merge under -w 1m, not under -w 5m
	run -0 edges <(depgraph -w 1m "$BATS_TEST_TMPDIR/w" "$BATS_TEST_TMPDIR/w")
	assert_output "gateway orders 2 0
gateway orders 2 0
gateway orders 4 2
gateway reporting 2 0"
	run -1 --separate-stderr depgraph -w 5m "$BATS_TEST_TMPDIR/w"
	[[ ${stderr_lines[0]} == *": window: not one of -w's windows" ]]
	# without -w, each window of the records is kept
	run -0 bash -c "depgraph '$BATS_TEST_TMPDIR/w' | jq -r 'select(.type == \"edge\") | .window.start' | sort -u | wc -l"
	assert_output 4
	# an unwindowed record under -w
	depgraph "$FIXTURES/$D/seed.traces" > "$BATS_TEST_TMPDIR/s"
	run -1 --separate-stderr depgraph -w 1m "$BATS_TEST_TMPDIR/s"
	[[ ${stderr_lines[0]} == *": window: the record has none, but -w asks for windows" ]]
	# a sketch whose counts do not add up
	jq -c 'select(.type == "edge") | .sketch.count += 1' "$BATS_TEST_TMPDIR/s" | head -1 > "$BATS_TEST_TMPDIR/bad"
	run -1 --separate-stderr depgraph "$BATS_TEST_TMPDIR/bad"
	[[ ${stderr_lines[0]} == *": bad sketch: 'count' is not zeros plus the bins" ]]
}

@test "depgraph: options and usage errors" {
	run -2 depgraph -f svg /dev/null
	assert_output --partial "invalid format 'svg'"
	run -2 depgraph -p jaeger /dev/null
	assert_output --partial "invalid policy 'jaeger'"
	run -2 depgraph -w 1m -f dot /dev/null
	assert_output --partial "windows are written as records only"
	run -2 depgraph -u -p zipkin /dev/null
	run -2 depgraph -w 0 /dev/null
	run -2 depgraph -g soon /dev/null
	run -2 depgraph -x - /dev/null
	run -2 depgraph -b - /dev/null
	run -2 depgraph -b "$BATS_TEST_TMPDIR/none" /dev/null
	run -2 depgraph -x "$FIXTURES/$D/seed.traces" "$FIXTURES/$D/seed.traces"
	run -2 depgraph --bogus
	run -0 depgraph -h
	assert_line --partial "usage: depgraph [-qsuV]"
	run -0 depgraph -V
	assert_output --regexp '^depgraph \(logproc\) [0-9.]+$'
	# an input that cannot be opened: the others are read, exit 3
	run -3 --separate-stderr depgraph "$BATS_TEST_TMPDIR/none" "$FIXTURES/$D/seed.traces"
	[ "${#lines[@]}" -gt 5 ]
	# empty input: nothing out, status 0
	run -0 depgraph /dev/null
	assert_output ""
	# a closed pipe ends quietly
	run -0 bash -c "depgraph '$FIXTURES/$D/spanlog.traces' | head -1 > /dev/null; exit \${PIPESTATUS[0]}"
}

@test "depgraph: peer attributes name a client's virtual callee" {
	# trace 1's health check names no peer: with http.url among the
	# attributes it becomes a call to that URL
	run -0 edges <(depgraph -P peer.service,http.url "$FIXTURES/$D/otel.traces")
	assert_line "gateway http://10.0.0.9/health 1 0"
	# without db.name in the list the database goes by db.system
	run -0 edges <(depgraph -P db.system "$FIXTURES/$D/otel.traces")
	assert_line "orders postgresql 1 0"
}

# End to end: loggen's flows through lognorm, logjoin and tracebuild, the
# graph against loggen's own record of what it generated (--truth).

# truth_edges TRUTH: "parent system calls errors" of the seed flows' truth.
truth_seed_edges() {
	jq -r '.systems[] | select(.parent) | "\(.parent) \(.system) \(.status)"' "$1" |
	    awk '{ k = $1 " " $2; c[k]++; if ($3 == "FAILURE") e[k]++ }
	        END { for (k in c) print k, c[k], e[k] + 0 }' | sort
}

@test "depgraph: loggen's seed flows give exactly the five edges, counted as the truth says" {
	cd "$BATS_TEST_TMPDIR"
	# -a 2: some flows fail for good, so that errors are counted too
	loggen -n 300 -S 21 -a 2 --truth truth > seed.log
	lognorm seed.log | logjoin | tracebuild 2> /dev/null > traces
	depgraph traces > graph
	run -0 bash -c "jq -r 'select(.type == \"edge\") | \"\(.source) \(.target)\"' graph"
	assert_output "inventory orders
inventory payments
inventory reporting
payments orders
payments reporting"
	diff -u <(truth_seed_edges truth) <(edges graph)
	# the same, delivered out of order and with lines repeated
	loggen -n 300 -S 22 -a 2 --shuffle 30 --dup 0.05 --truth truth2 > seed2.log
	lognorm seed2.log | logjoin | tracebuild 2> /dev/null | depgraph > graph2
	diff -u <(truth_seed_edges truth2) <(edges graph2)
}

# truth_span_edges TRUTH KINDJQ: "service peer calls errors" of the truth's
# spans selected by KINDJQ.
truth_span_edges() {
	jq -r ".spans[] | select($2) | \"\(.service) \(.peer) \(.error)\"" "$1" |
	    awk '{ k = $1 " " $2; c[k]++; if ($3 == "true") e[k]++ }
	        END { for (k in c) print k, c[k], e[k] + 0 }' | sort
}

@test "depgraph: loggen's span log gives source -> destination with the right calls, errors and latencies" {
	cd "$BATS_TEST_TMPDIR"
	loggen -f spanlog -n 400 -S 23 --truth truth > span.log
	lognorm span.log | tracebuild 2> /dev/null > traces
	depgraph traces > graph
	diff -u <(truth_span_edges truth true) <(edges graph)
	# latencies: each call's is its span's, end minus start in the truth;
	# percentiles within 1% of the exact ones, max and average exact
	jq -r '.spans[] | "\(.service) \(.peer) \(((.end[0:19] + "Z" | fromdateiso8601) * 1000 + (.end[20:23] | tonumber)) - ((.start[0:19] + "Z" | fromdateiso8601) * 1000 + (.start[20:23] | tonumber)))"' truth |
	    jq -R -s -c 'split("\n") | map(select(. != "") | split(" ")) | group_by(.[0] + " " + .[1])
	    | map({key: (.[0][0] + " " + .[0][1]), value: (map(.[2] | tonumber) | sort)})
	    | from_entries | map_values(. as $v | length as $n
	      | {p50: $v[(($n - 1) * 0.5 | floor)], p95: $v[(($n - 1) * 0.95 | floor)],
	         p99: $v[(($n - 1) * 0.99 | floor)], max: $v[-1], avg: (add / $n)})' > exact
	jq -s -c 'map(select(.type == "edge") | {key: "\(.source) \(.target)", value: .latency}) | from_entries' graph > got
	jq -n -e --slurpfile x exact --slurpfile g got '$x[0] as $x | $g[0] as $g
	    | ($x | keys) == ($g | keys) and all($x | keys[]; . as $k
	      | all(("p50", "p95", "p99"); (($g[$k][.] - $x[$k][.]) | fabs) <= 0.01 * $x[$k][.] + 0.0005)
	        and $g[$k].max == $x[$k].max and (($g[$k].avg - $x[$k].avg) | fabs) <= 0.0005001)'
	# lines lost, repeated and out of order: a call counts if any of its
	# two lines came (its status, if its end line came)
	loggen -f spanlog -n 300 -S 24 --drop 0.1 --dup 0.1 --shuffle 20 --truth truth2 > span2.log
	lognorm span2.log | tracebuild 2> /dev/null | depgraph > graph2
	diff -u <(jq -c '.spans[] |= (.error = (.error and .delivered.end > 0))' truth2 |
	    truth_span_edges /dev/stdin '.delivered.start + .delivered.end > 0') <(edges graph2)
}

@test "depgraph: loggen's OTLP traces under otel: a lost client span invents and drops nothing" {
	cd "$BATS_TEST_TMPDIR"
	loggen -f otlp -n 300 -S 25 --truth truth > otlp.log
	lognorm -r otlp otlp.log | tracebuild 2> /dev/null > traces
	diff -u <(truth_span_edges truth '.kind == "CLIENT"') <(edges <(depgraph traces))
	# tracebuild --spans: its span records are skipped after their trace
	# record, and read alone make the same graph
	lognorm -r otlp otlp.log | tracebuild --spans 2> /dev/null > both
	grep '"type":"span"' both > spans
	depgraph traces > g1
	depgraph both > g2
	depgraph spans > g3
	diff -u g1 g2
	diff -u g1 g3
	# with -u, every trace's root server span is called by user
	run -0 bash -c "depgraph -u traces | jq -r 'select(.type == \"edge\" and .source == \"user\") | \"\(.target) \(.calls)\"'"
	assert_output "gateway 300"
	# spans lost and repeated: a call counts when its client span came
	# (paired with its server, or to the virtual node its peer.service
	# names); a server span whose client was lost has no known caller
	loggen -f otlp -n 300 -S 26 --drop 0.1 --dup 0.1 --truth truth2 > otlp2.log
	lognorm -r otlp otlp2.log | tracebuild 2> /dev/null > traces2
	run -0 --separate-stderr depgraph -s traces2
	printf '%s\n' "${lines[@]}" > graph2
	diff -u <(truth_span_edges truth2 '.kind == "CLIENT" and .delivered > 0') <(edges graph2)
	lost=$(jq -r '(.spans | map({(.span_id): .}) | add) as $by | .spans[]
	    | select(.kind == "SERVER" and .delivered > 0 and .parent_span_id != null
	             and $by[.parent_span_id].delivered == 0) | 1' truth2 | wc -l)
	[ "$lost" -gt 0 ]
	[[ ${stderr_lines[4]} == *"unpaired: 0 client, $lost server, 0 extra server spans" ]]
}

@test "depgraph: loggen span traces split by trace: the merged halves are the whole" {
	cd "$BATS_TEST_TMPDIR"
	loggen -f otlp -n 500 -S 27 > otlp.log
	lognorm -r otlp otlp.log | tracebuild 2> /dev/null > traces
	awk 'NR % 2' traces | depgraph > a
	awk 'NR % 2 == 0' traces | depgraph > b
	depgraph traces > whole
	depgraph a b > merged
	same_graph whole merged
}
