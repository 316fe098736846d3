#!/usr/bin/env bats
# sqlload: records into SQLite by type, idempotent, in whole batches.

load test_helper

setup() {
	DB="$BATS_TEST_TMPDIR/t.db"
	export DB FIXTURES
}

# load_seed: the seed sample through lognorm | logjoin into $DB, with file
# names relative to tests/fixtures.
load_seed() {
	(cd "$FIXTURES" && lognorm seed.log | logjoin | sqlload "$DB" "$@")
}

@test "sqlload: SELECT * FROM events on the seed sample gives the seed's six columns, reasons joined" {
	load_seed > /dev/null
	golden sqlload-seed.events sqlite3 -header "$DB" \
	    'SELECT system_id, checkpoint_id, timestamp, status, correlation_id, failure_reason FROM events ORDER BY src_line'
	# and those are the first six columns of SELECT *, in that order
	run sqlite3 -header "$DB" 'SELECT * FROM events LIMIT 1'
	assert_line --index 0 --regexp '^system_id\|checkpoint_id\|timestamp\|status\|correlation_id\|failure_reason\|trace_id\|'
}

@test "sqlload: the seed dashboards' queries run unchanged and answer right" {
	load_seed > /dev/null
	golden sqlload-seed.dashboards sqlite3 -header "$DB" \
	    "SELECT * FROM spans WHERE correlation_id = 'abc-123';
	     SELECT * FROM trace_summary ORDER BY trace_start DESC;
	     SELECT * FROM structured_row_logs;
	     SELECT * FROM failures ORDER BY timestamp, system_id;"
}

@test "sqlload: failures view finds the reasons of detail parts before logjoin" {
	(cd "$FIXTURES" && lognorm seed.log | sqlload "$DB") > /dev/null
	# (in input order: a view's rowid is null, and ordered nothing)
	run sqlite3 "$DB" "SELECT system_id, failure_reason FROM failures
	    WHERE correlation_id IS NOT NULL ORDER BY json_extract(source, '\$.line')"
	assert_output "inventory|FAILURE_REASON_2
reporting|REPORTING_FAILURE_REASON_1
orders|FAILURE_REASON_X
payments|PAYMENTS_FAILURE_REASON_1
orders|FAILURE_REASON_X
payments|PAYMENTS_FAILURE_REASON_1"
}

@test "sqlload: traces, spans, edges, services, cycles and rejects into their tables" {
	# (golden runs it twice: a new database each time)
	golden sqlload-records.commit bash -c 'rm -f "$DB"*; sqlload "$DB" records.ndjson'
	assert_success
	golden sqlload-records.tables sqlite3 -header "$DB" \
	    'SELECT * FROM structured_logs ORDER BY trace_id;
	     SELECT * FROM trace_spans ORDER BY trace_id, span_id;
	     SELECT * FROM dependencies ORDER BY source, target, window;
	     SELECT * FROM services; SELECT * FROM cycles;
	     SELECT tool, input, line, reason, raw FROM rejects;
	     SELECT * FROM slowest_traces; SELECT * FROM edge_health;'
}

@test "sqlload: a late trace update replaces its row and its spans; an older revision does not" {
	sqlload "$DB" "$FIXTURES/records.ndjson" > /dev/null
	run sqlite3 "$DB" "SELECT revision, duration_ms, complete FROM structured_logs
	    WHERE trace_id = 'def-456';
	    SELECT revision, end, failure_reason FROM trace_spans WHERE trace_id = 'def-456'"
	assert_output "1|1000|1
1|2025-05-04T10:32:01.000Z|PAYMENTS_FAILURE_REASON_1"
}

@test "sqlload: loading the same input twice leaves the database identical" {
	load_seed > /dev/null
	sqlload "$DB" "$FIXTURES/records.ndjson" > /dev/null
	(cd "$FIXTURES" && sqlload -r "$DB" kcat.log seed.log) > /dev/null
	sqlite3 "$DB" .dump > "$BATS_TEST_TMPDIR/once"
	load_seed > /dev/null
	sqlload "$DB" "$FIXTURES/records.ndjson" > /dev/null
	(cd "$FIXTURES" && sqlload -r "$DB" kcat.log seed.log) > /dev/null
	sqlite3 "$DB" .dump > "$BATS_TEST_TMPDIR/twice"
	diff -u "$BATS_TEST_TMPDIR/once" "$BATS_TEST_TMPDIR/twice"
	run sqlite3 "$DB" 'SELECT count(*) FROM events; SELECT count(*) FROM raw_logs'
	assert_output "14
21"
}

@test "sqlload: a record read again replaces its row with what it says now" {
	(cd "$FIXTURES" && lognorm seed.log | sqlload "$DB") > /dev/null
	load_seed > /dev/null
	# the joined main events have their reasons; the detail rows stay
	run sqlite3 "$DB" "SELECT failure_reason, json_extract(extra, '\$.join.status')
	    FROM events WHERE src_line = 1"
	assert_output "FAILURE_REASON_2|joined"
}

@test "sqlload: Kafka envelopes' events keep their coordinates; the offsets are stored with them" {
	golden sqlload-kcat.commit bash -c 'lognorm kcat.log 2> /dev/null | sqlload "$DB"'
	run sqlite3 "$DB" "SELECT src_id, src_topic, src_partition, src_offset, src_key, src_ts FROM events;
	    SELECT * FROM kafka_offsets"
	assert_output "k:raw-logs:0:17|raw-logs|0|17|abc-123|1746354600000
k:raw-logs:2:4|raw-logs|2|4||1746354720000
raw-logs|0|17
raw-logs|2|4"
}

@test "sqlload -r: raw lines and kcat envelopes into raw_logs, as received" {
	(cd "$FIXTURES" && sqlload -r "$DB" kcat.log bad.log) > /dev/null
	golden sqlload-raw.rows sqlite3 -header "$DB" \
	    'SELECT src_id, topic, partition, offset, key, file, line, payload, kafka_ts,
	        received_at IS NOT NULL FROM raw_logs ORDER BY rowid;
	     SELECT * FROM kafka_offsets'
}

@test "sqlload: standard input's lines are told apart by their content" {
	printf 'one\ntwo\n' | sqlload -r "$DB" > /dev/null
	printf 'three\ntwo\n' | sqlload -r "$DB" > /dev/null
	run sqlite3 "$DB" 'SELECT line, payload FROM raw_logs ORDER BY rowid'
	assert_output "1|one
2|two
1|three"
}

@test "sqlload -t: the records themselves on stdout, not commit records" {
	run --separate-stderr bash -c 'lognorm "$FIXTURES/seed.log" | sqlload -t "$DB"'
	assert_success
	diff -u <(lognorm "$FIXTURES/seed.log") <(printf '%s\n' "$output")
}

@test "sqlload: batches are bounded by rows, and every commit says what it wrote" {
	lognorm "$FIXTURES/seed.log" > "$BATS_TEST_TMPDIR/events"
	run --separate-stderr sqlload -b 5 "$DB" "$BATS_TEST_TMPDIR/events"
	assert_success
	diff -u - <(printf '%s\n' "$output") <<EOF
{"type":"commit","commit":1,"rows":{"events":5},"offsets":[],"input":"$BATS_TEST_TMPDIR/events","line":5}
{"type":"commit","commit":2,"rows":{"events":5},"offsets":[],"input":"$BATS_TEST_TMPDIR/events","line":10}
{"type":"commit","commit":3,"rows":{"events":5},"offsets":[],"input":"$BATS_TEST_TMPDIR/events","line":15}
{"type":"commit","commit":4,"rows":{"events":2},"offsets":[],"input":"$BATS_TEST_TMPDIR/events","line":17}
EOF
}

@test "sqlload: a batch is committed when the input is about to wait" {
	mkfifo "$BATS_TEST_TMPDIR/in"
	sqlload "$DB" < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec 7> "$BATS_TEST_TMPDIR/in"
	lognorm "$FIXTURES/seed.log" | head -3 >&7
	# the input now waits: the commit record comes before the input ends
	for i in $(seq 100); do
		[ -s "$BATS_TEST_TMPDIR/out" ] && break
		sleep 0.1
	done
	run sqlite3 "$DB" 'SELECT count(*) FROM events'
	exec 7>&-
	wait "$pid"
	assert_output 3
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output '{"type":"commit","commit":1,"rows":{"events":3},"offsets":[],"input":"(stdin)","line":3}'
}

@test "sqlload: malformed records, unknown types and fields of the wrong type are rejected with input and line; the rest is loaded" {
	cat > "$BATS_TEST_TMPDIR/bad.ndjson" <<'EOF'
{"type":"event","timestamp":"2025-05-04T10:30:00.000Z","system_id":"a","part":"main","attrs":{},"source":{"file":"x","line":1}}
{"type":"event","timestamp":"yesterday","system_id":"a","source":{"file":"x","line":2}}
{"type":"event","system_id":["a"],"source":{"file":"x","line":3}}
{"type":"event","system_id":"a","source":{"file":"x","line":"four"}}
{"type":"gizmo","system_id":"a"}
{"type":"edge","source":"a","target":"b","calls":"many"}
{"type":"edge","target":"b"}
{"type":"trace","trace_id":"t","spans":{}}
{"system_id":"a"}
{"type":"event", broken
EOF
	run --separate-stderr sqlload "$DB" "$BATS_TEST_TMPDIR/bad.ndjson"
	assert_failure 1
	diff -u - <(printf '%s\n' "$stderr" | sed "s|$BATS_TEST_TMPDIR/||") <<'EOF'
sqlload: bad.ndjson:2: bad field: 'timestamp' is not a time: '"yesterday"'
sqlload: bad.ndjson:3: bad field: 'system_id' is not a string: '["a"]'
sqlload: bad.ndjson:4: bad field: 'source' is not a source object
sqlload: bad.ndjson:5: unknown type: 'gizmo'
sqlload: bad.ndjson:6: bad edge: 'calls' is not a number
sqlload: bad.ndjson:7: bad edge: no 'source'
sqlload: bad.ndjson:8: bad trace: 'spans' is not an array
sqlload: bad.ndjson:9: not a record: no "type" string
sqlload: bad.ndjson:10: invalid JSON: expected string key at byte 18
EOF
	run sqlite3 "$DB" 'SELECT system_id, src_id FROM events; SELECT count(*) FROM dependencies'
	assert_output "a|f:x:1
0"
}

@test "sqlload: nothing from the input becomes SQL text" {
	cat > "$BATS_TEST_TMPDIR/evil.ndjson" <<'EOF'
{"type":"event","system_id":"x'); DROP TABLE events; --","checkpoint_id":"\"; DELETE FROM kafka_offsets; --","source":{"topic":"t'--","partition":0,"offset":1}}
{"type":"edge","source":"a\"","target":"b'","calls":1,"window":"w'); DROP TABLE dependencies; --"}
EOF
	run --separate-stderr sqlload "$DB" "$BATS_TEST_TMPDIR/evil.ndjson"
	assert_success
	run sqlite3 "$DB" "SELECT system_id, checkpoint_id, src_topic FROM events;
	    SELECT source, target, window FROM dependencies; SELECT * FROM kafka_offsets"
	assert_output "x'); DROP TABLE events; --|\"; DELETE FROM kafka_offsets; --|t'--
a\"|b'|w'); DROP TABLE dependencies; --
t'--|0|1"
}

@test "sqlload: an older database is migrated; a newer one is refused" {
	sqlite3 "$DB" < "$BATS_TEST_DIRNAME/../schema/001-tables.sql"
	sqlite3 "$DB" 'PRAGMA user_version = 1'
	run sqlite3 "$DB" 'SELECT count(*) FROM sqlite_schema WHERE type = "view"'
	assert_output 0
	load_seed > /dev/null
	run sqlite3 "$DB" 'PRAGMA user_version; SELECT count(*) FROM trace_summary'
	assert_output "3
2"
	sqlite3 "$DB" 'PRAGMA user_version = 99'
	run --separate-stderr sqlload "$DB" < /dev/null
	assert_failure 2
	assert_equal "$stderr" "sqlload: $DB: schema version 99 is newer than this sqlload's (3): use a newer sqlload"
}

@test "sqlload: the id indexes serve lookups by id, though they hold only the rows that have one" {
	load_seed > /dev/null
	for col in trace_id span_id correlation_id; do
		run sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT * FROM events WHERE $col = 'x'"
		assert_output --partial "USING INDEX events_$col ($col=?)"
	done
	run sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT * FROM spans WHERE correlation_id = 'abc-123'"
	assert_output --partial 'USING INDEX events_correlation_id (correlation_id=?)'
	# an index holds the rows that have its id (the detail parts and the
	# span log lines of the seed have no correlation id), every one of
	# them; the timestamp index holds all
	run sqlite3 "$DB" "SELECT name, sum(ncell) FROM dbstat
	    WHERE name LIKE 'events\_%' ESCAPE '\' AND pagetype = 'leaf'
	    GROUP BY name ORDER BY name;
	    SELECT count(correlation_id), count(span_id), count(timestamp),
	    count(trace_id), count(*) FROM events"
	assert_output "events_correlation_id|10
events_span_id|4
events_timestamp|14
events_trace_id|14
10|4|14|14|14"
}

@test "sqlload: a read-only database gives a clear message and status 3" {
	load_seed > /dev/null
	chmod 444 "$DB"
	chmod 555 "$BATS_TEST_TMPDIR"
	as=()
	# root writes whatever the mode says: run as nobody
	[ "$(id -u)" -ne 0 ] || as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	chmod o+x "$BATS_TEST_TMPDIR/.." "$BATS_TEST_TMPDIR/../.." 2> /dev/null || true
	run --separate-stderr "${as[@]}" "$LOGPROC_BIN/sqlload" "$DB" "$FIXTURES/records.ndjson"
	chmod 755 "$BATS_TEST_TMPDIR"
	assert_failure 3
	assert_equal "$stderr" "sqlload: $DB: the database is read-only"
}

@test "sqlload: a database another process is writing: status 3 after the wait, nothing half loaded" {
	load_seed > /dev/null
	mkfifo "$BATS_TEST_TMPDIR/sql"
	sqlite3 "$DB" < "$BATS_TEST_TMPDIR/sql" > "$BATS_TEST_TMPDIR/held" &
	holder=$!
	exec 7> "$BATS_TEST_TMPDIR/sql"
	echo "BEGIN IMMEDIATE; SELECT 'held';" >&7
	for i in $(seq 100); do
		[ -s "$BATS_TEST_TMPDIR/held" ] && break
		sleep 0.1
	done
	run --separate-stderr sqlload -w 100ms "$DB" "$FIXTURES/records.ndjson"
	echo "COMMIT;" >&7
	exec 7>&-
	wait "$holder"
	assert_failure 3
	assert_equal "$stderr" "sqlload: $FIXTURES/records.ndjson:1: $DB: cannot start a transaction: database is locked (another process is writing it; -w waits longer)"
	run sqlite3 "$DB" 'SELECT count(*) FROM structured_logs'
	assert_output 0
	# once it is free, the same load goes through
	run --separate-stderr sqlload "$DB" "$FIXTURES/records.ndjson"
	assert_success
}

@test "sqlload: a full disk gives a clear message and status 3, and commits nothing of the batch" {
	dir="$BATS_TEST_TMPDIR/small"
	mkdir "$dir"
	if mount -t tmpfs -o size=1m tmpfs "$dir" 2> /dev/null; then
		limit=
	else
		limit="ulimit -f 1024;"	# no mount: a file size limit instead
	fi
	DB="$dir/t.db"
	load_seed > /dev/null
	lognorm "$FIXTURES/seed.log" > "$BATS_TEST_TMPDIR/one"
	for i in $(seq 2000); do
		sed "s/\"line\":/\"line\":${i}0/" "$BATS_TEST_TMPDIR/one"
	done > "$BATS_TEST_TMPDIR/many"
	run --separate-stderr bash -c "$limit sqlload -b 1000000 '$DB' '$BATS_TEST_TMPDIR/many'"
	count=$(sqlite3 "$DB" 'SELECT count(*) FROM events')
	[ -z "$limit" ] && umount "$dir"
	assert_failure 3
	assert_output ''
	[[ $stderr == *"database or disk is full"* ]] || fail "stderr: $stderr"
	[[ $stderr == "sqlload: $BATS_TEST_TMPDIR/many:"* ]] || fail "stderr: $stderr"
	assert_equal "$count" 14
}

@test "sqlload: usage errors exit 2" {
	run --separate-stderr sqlload
	assert_failure 2
	run --separate-stderr sqlload -b 0 "$DB"
	assert_failure 2
	run --separate-stderr sqlload "$FIXTURES/seed.log" "$FIXTURES/seed.log"
	assert_failure 2
}
