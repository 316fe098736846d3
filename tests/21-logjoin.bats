#!/usr/bin/env bats
# logjoin: detail parts complete the failed main events of their key.

load test_helper

# events FILE: lognorm's events of a fixture (its rejects dropped).
events() {
	lognorm -x /dev/null "$FIXTURES/$1" || [ $? -eq 1 ]
}

@test "join: every detail completes its failure; the rest as documented" {
	golden join.events sh -c 'lognorm -x /dev/null join.log | logjoin'
	assert_success
}

@test "join: reasons, partners and marks, line by line" {
	run --separate-stderr logjoin -s <(events join.log)
	assert_success
	run jq -c '[.source.line, .checkpoint_id, .status, .failure_reason,
	    .join.status, .join.detail.line, .join.detail_time]' <<<"$output"
	assert_output - <<-'EOF'
	[5,"CHECKPOINT_1","SUCCESS",null,null,null,null]
	[9,"PAYMENTS_CHECKPOINT_2","SUCCESS",null,null,null,null]
	[1,"CHECKPOINT_1","FAILURE","FAILURE_REASON_2","joined",2,"previous"]
	[3,"CHECKPOINT_1","FAILURE","FAILURE_REASON_3","joined",4,"previous"]
	[6,"PAYMENTS_CHECKPOINT_2","FAILURE","PAYMENTS_FAILURE_REASON_1","joined",7,"event"]
	[8,null,"FAILURE","PAYMENTS_FAILURE_REASON_1","duplicate",null,"event"]
	[11,"PAYMENTS_CHECKPOINT_1","FAILURE","PAYMENTS_FAILURE_REASON_3","joined",10,"event"]
	[13,"REPORTING_CHECKPOINT_1","FAILURE","REPORTING_FAILURE_REASON_1",null,null,null]
	[12,"CHECKPOINT_2","FAILURE",null,"unjoined",null,null]
	[14,null,"FAILURE","PAYMENTS_FAILURE_REASON_2","orphan",null,"event"]
	[15,"PAYMENTS_CHECKPOINT_3","FAILURE",null,"unjoined",null,null]
	[16,"PAYMENTS_CHECKPOINT_3","FAILURE","PAYMENTS_FAILURE_REASON_2","joined",17,"event"]
	EOF
}

@test "join: events that need no join pass at once, byte for byte" {
	events join.log > "$BATS_TEST_TMPDIR/ev"
	run --separate-stderr logjoin "$BATS_TEST_TMPDIR/ev"
	# every event without a join member is an input line unchanged
	grep -vF '"join":' <<<"$output" > "$BATS_TEST_TMPDIR/passed"
	[ -s "$BATS_TEST_TMPDIR/passed" ]
	run grep -cvxFf "$BATS_TEST_TMPDIR/ev" "$BATS_TEST_TMPDIR/passed"
	assert_output 0
}

@test "join: the counts add up in -s" {
	events join.log > "$BATS_TEST_TMPDIR/ev"
	printf '{"type":"trace","trace_id":"t"}\nnot json\n\n' >> "$BATS_TEST_TMPDIR/ev"
	run --separate-stderr logjoin -s -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/ev"
	assert_failure 1
	assert_equal "${stderr_lines[0]}" "logjoin: 20 lines, 1 blank, 19 records, 17 events, 3 passed, 14 held, 5 joined, 2 unjoined, 1 orphans, 1 duplicates, 1 other records, 1 rejected"
	# output: passed + other + joined + unjoined + orphans + duplicates
	assert_equal "${#lines[@]}" 13
	run jq -c '[.line, .reason]' "$BATS_TEST_TMPDIR/rej"
	assert_output '[19,"invalid JSON: invalid literal at byte 1"]'
}

@test "join: both arrival orders give the same joins (Kafka message times)" {
	run --separate-stderr logjoin <(events join-kcat.log)
	assert_success
	forward=$(jq -c '[.source.offset, .failure_reason, .join.detail.offset, .join.detail_time]' <<<"$output" | sort)
	run --separate-stderr logjoin <(tac "$FIXTURES/join-kcat.log" | lognorm)
	backward=$(jq -c '[.source.offset, .failure_reason, .join.detail.offset, .join.detail_time]' <<<"$output" | sort)
	assert_equal "$backward" "$forward"
	assert_equal "$forward" '[10,"FAILURE_REASON_1",3,"kafka"]
[11,"FAILURE_REASON_3",4,"kafka"]'
}

@test "join: shuffled seed flows join exactly as in order" {
	loggen -S 3 -n 200 -p 0.5,0.5 | lognorm > "$BATS_TEST_TMPDIR/in-order"
	loggen -S 3 -n 200 -p 0.5,0.5 --shuffle 20 | lognorm > "$BATS_TEST_TMPDIR/shuffled"
	# what a failure was completed with, by correlation id, checkpoint
	# and time: the same whatever the order of the lines
	key='select(.status == "FAILURE" and .system_id == "payments") |
	    [.correlation_id, .checkpoint_id, .timestamp, .failure_reason,
	    .join.status]'
	a=$(logjoin "$BATS_TEST_TMPDIR/in-order" | jq -c "$key" | sort)
	b=$(logjoin "$BATS_TEST_TMPDIR/shuffled" | jq -c "$key" | sort)
	[ -n "$a" ]
	assert_equal "$b" "$a"
	# and none of payments' failures was left without its reason
	run grep -c '"unjoined"' <<<"$a"
	assert_output 0
}

@test "join: a detail beyond the window joins nothing; a wider window joins it" {
	printf '%s\n' \
	    '2025-05-04T10:30:00 PAYMENTS: PAYMENTS_CHECKPOINT_2 - FAILURE (ID: w-1)' \
	    '2025-05-04T10:32:00 PAYMENTS PAYMENTS_ERROR: (ID: w-1) - PAYMENTS_FAILURE_REASON_1' |
	    lognorm > "$BATS_TEST_TMPDIR/ev"
	run logjoin "$BATS_TEST_TMPDIR/ev"
	run jq -r .join.status <<<"$output"
	assert_output $'unjoined\norphan'
	run logjoin -w 5m "$BATS_TEST_TMPDIR/ev"
	run jq -r '[.join.status, .failure_reason] | @tsv' <<<"$output"
	assert_output $'joined\tPAYMENTS_FAILURE_REASON_1'
}

@test "join: -O sends orphans to the reject stream with their line" {
	run --separate-stderr logjoin -O -x "$BATS_TEST_TMPDIR/rej" <(events join.log)
	assert_failure 1
	run grep -c '"orphan"' <<<"$output"
	assert_output 0
	run jq -c '[.line, .reason]' "$BATS_TEST_TMPDIR/rej"
	assert_output '[14,"orphan: no failed main event of its key within 60000ms"]'
}

@test "join: -k names other key fields" {
	# keyed by correlation id alone, the reporting line's id-3 failure...
	# ...and inventory's CHECKPOINT_2 failure share a key; nothing else
	# changes for lines that need no join
	run --separate-stderr logjoin -k correlation_id <(events join.log)
	assert_success
	run --separate-stderr logjoin -k correlation_id,nope /dev/null
	assert_failure 2
	assert_equal "$stderr" "logjoin: invalid key field 'nope' (a string field of the event record)"
}

@test "join: a cap on held events resolves the oldest early, losing nothing" {
	loggen -S 5 -n 100 -p 0.6,0.6 | lognorm > "$BATS_TEST_TMPDIR/ev"
	n=$(wc -l < "$BATS_TEST_TMPDIR/ev")
	run --separate-stderr logjoin -s -m 1 "$BATS_TEST_TMPDIR/ev"
	assert_success
	[[ "${stderr_lines[1]}" =~ ([0-9]+)\ groups\ resolved\ early ]]
	[ "${BASH_REMATCH[1]}" -gt 0 ]
	joined=$(grep -c '"status":"joined"' <<<"$output")
	# every input event is out, a joined pair as one
	assert_equal "$(( ${#lines[@]} + joined ))" "$n"
}

@test "join: bad records are rejected naming the line and field" {
	printf '%s\n' '{"type":"event","timestamp":"soon"}' \
	    '{"type":"event","part":"middle"}' '[1,2]' '{"no":"type"}' > "$BATS_TEST_TMPDIR/bad"
	run --separate-stderr logjoin "$BATS_TEST_TMPDIR/bad"
	assert_failure 1
	assert_output ''
	assert_equal "${stderr_lines[0]}" "logjoin: $BATS_TEST_TMPDIR/bad:1: bad field: 'timestamp' is not a time: '\"soon\"'"
	assert_equal "${stderr_lines[1]}" "logjoin: $BATS_TEST_TMPDIR/bad:2: bad field: 'part' is not main or detail: '\"middle\"'"
	assert_equal "${stderr_lines[2]}" "logjoin: $BATS_TEST_TMPDIR/bad:3: not a record: an array, not an object"
	assert_equal "${stderr_lines[3]}" "logjoin: $BATS_TEST_TMPDIR/bad:4: not a record: no \"type\" string"
}

@test "join: streams: a passed event is out while the input is still open" {
	events join.log | head -5 | tail -1 > "$BATS_TEST_TMPDIR/one"
	mkfifo "$BATS_TEST_TMPDIR/in"
	logjoin < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec {w}> "$BATS_TEST_TMPDIR/in"
	cat "$BATS_TEST_TMPDIR/one" >&"$w"
	for _ in $(seq 200); do
		[ -s "$BATS_TEST_TMPDIR/out" ] && break
		sleep 0.05
	done
	cmp "$BATS_TEST_TMPDIR/one" "$BATS_TEST_TMPDIR/out" ||
		{ exec {w}>&-; wait "$pid"; fail "the event did not come out while the input was open"; }
	exec {w}>&-
	wait "$pid"
}

@test "join: SIGTERM writes every held event, then the signal ends it" {
	events join.log > "$BATS_TEST_TMPDIR/ev"
	mkfifo "$BATS_TEST_TMPDIR/in"
	logjoin < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec {w}> "$BATS_TEST_TMPDIR/in"
	cat "$BATS_TEST_TMPDIR/ev" >&"$w"
	# the three events that need no join come out at once
	for _ in $(seq 200); do
		[ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -ge 3 ] && break
		sleep 0.05
	done
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	exec {w}>&-
	assert_equal "$status" 143
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/out")" 12
}

@test "join: -x must not name an input" {
	events join.log > "$BATS_TEST_TMPDIR/ev"
	cp "$BATS_TEST_TMPDIR/ev" "$BATS_TEST_TMPDIR/keep"
	run --separate-stderr logjoin -x "$BATS_TEST_TMPDIR/ev" "$BATS_TEST_TMPDIR/ev"
	assert_failure 2
	assert_equal "$stderr" "logjoin: -x $BATS_TEST_TMPDIR/ev: '$BATS_TEST_TMPDIR/ev' is one of the inputs (refusing to overwrite it)"
	cmp "$BATS_TEST_TMPDIR/ev" "$BATS_TEST_TMPDIR/keep"
	# the same file by another name, or as standard input
	ln "$BATS_TEST_TMPDIR/ev" "$BATS_TEST_TMPDIR/other"
	run logjoin -x "$BATS_TEST_TMPDIR/other" < "$BATS_TEST_TMPDIR/ev"
	assert_failure 2
	cmp "$BATS_TEST_TMPDIR/ev" "$BATS_TEST_TMPDIR/keep"
}

@test "join: --help, --version, bad options" {
	run logjoin --help
	assert_success
	assert_line --index 0 --partial 'usage: logjoin'
	run logjoin --version
	assert_output --regexp '^logjoin \(logproc\) [0-9.]+$'
	run --separate-stderr logjoin -w 2x /dev/null
	assert_failure 2
	assert_equal "$stderr" "logjoin: invalid window '2x': unit is not ms, s, m, h or d"
	run --separate-stderr logjoin -m 0 /dev/null
	assert_failure 2
	assert_equal "$stderr" "logjoin: invalid max-held '0': less than 1"
}

@test "join: of two failures at the same time, each takes the detail read nearest" {
	run --separate-stderr logjoin <(events seed.log)
	assert_success
	run jq -c 'select(.system_id == "payments") |
	    [.source.line, .join.detail.line]' <<<"$output"
	assert_output $'[8,9]\n[12,13]'
}

@test "join: a Kafka time far from the events of its partition is not taken for the event's" {
	# the messages were produced now, the events happened in 2025; keyed
	# by correlation id, one flow's messages are in one partition
	jq -c '.ts = 1900000000000 + input_line_number | .partition = 0' \
	    "$FIXTURES/join-kcat.log" |
	    lognorm | logjoin > "$BATS_TEST_TMPDIR/out"
	run jq -c '[.source.offset, .failure_reason, .join.detail.offset, .join.detail_time]' "$BATS_TEST_TMPDIR/out"
	assert_output $'[10,"FAILURE_REASON_1",3,"previous"]\n[11,"FAILURE_REASON_3",4,"previous"]'
}

@test "join: the event before a detail is the one before it in its Kafka partition" {
	# what partition 0 holds, read between, says nothing of the time of
	# partition 1's error line
	printf '%s\n' \
	    '{"topic":"t","partition":1,"offset":1,"ts":1900000000001,"key":"b","payload":"{\"system\":\"inventory\",\"checkpoint\":\"C1\",\"status\":\"FAILURE\",\"timestamp\":\"2025-05-04T11:00:00\",\"correlation_id\":\"b\"}"}' \
	    '{"topic":"t","partition":0,"offset":1,"ts":1900000000000,"key":"a","payload":"{\"system\":\"inventory\",\"checkpoint\":\"C1\",\"status\":\"FAILURE\",\"timestamp\":\"2025-05-04T10:30:00\",\"correlation_id\":\"b\"}"}' \
	    '{"topic":"t","partition":1,"offset":2,"ts":1900000000002,"key":"b","payload":"{\"system\":\"inventory\",\"correlation_id\":\"b\",\"failure_reason\":\"R\"}"}' |
	    lognorm | logjoin -w 60m > "$BATS_TEST_TMPDIR/out"
	run jq -c 'select(.failure_reason != null) | [.timestamp, .join.detail.offset, .join.detail_time]' "$BATS_TEST_TMPDIR/out"
	assert_output '["2025-05-04T11:00:00.000Z",2,"previous"]'
}

@test "join: each file keeps its own clock; a later file's events do not hurry another's" {
	printf '%s\n' '{"system":"reporting","checkpoint":"R1","status":"SUCCESS","timestamp":"2025-05-04T12:00:00","correlation_id":"x"}' \
	    > "$BATS_TEST_TMPDIR/noon.log"
	printf '%s\n' '{"system":"inventory","checkpoint":"C1","status":"FAILURE","timestamp":"2025-05-04T10:30:00","correlation_id":"y"}' \
	    '{"system":"inventory","correlation_id":"y","failure_reason":"FAILURE_REASON_1"}' \
	    > "$BATS_TEST_TMPDIR/morning.log"
	lognorm "$BATS_TEST_TMPDIR/noon.log" "$BATS_TEST_TMPDIR/morning.log" | logjoin > "$BATS_TEST_TMPDIR/out"
	run jq -c 'select(.status == "FAILURE") | [.failure_reason, .join.status]' "$BATS_TEST_TMPDIR/out"
	assert_output '["FAILURE_REASON_1","joined"]'
}
