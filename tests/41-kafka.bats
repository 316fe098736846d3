#!/usr/bin/env bats
# Kafka end to end: loggen -> kcat -P (keyed, several partitions) -> the
# test broker -> logproc-replay -> the database.  The broker is
# librdkafka's mock cluster on loopback (tests/kafka/mockbroker.c), started
# here and stopped at the end, whatever happens.

load test_helper

setup_file() {
	local bin=${LOGPROC_BIN:-$BATS_TEST_DIRNAME/../build/bin}
	MOCKBROKER="$bin/../tests/mockbroker"
	[ -x "$MOCKBROKER" ] || MOCKBROKER="$BATS_TEST_DIRNAME/../build/tests/mockbroker"
	BOOT="$BATS_FILE_TMPDIR/bootstrap"
	# at most 10 minutes, in case this file is killed before teardown
	"$MOCKBROKER" -p 4 -t 600 logs1 logs2 logs3 logs4 logs5 logs6 \
	    > "$BOOT" 2> "$BATS_FILE_TMPDIR/broker.err" &
	echo $! > "$BATS_FILE_TMPDIR/broker.pid"
	for i in $(seq 100); do
		[ -s "$BOOT" ] && break
		sleep 0.1
	done
	[ -s "$BOOT" ] || { cat "$BATS_FILE_TMPDIR/broker.err" >&2; return 1; }
}

teardown_file() {
	kill "$(cat "$BATS_FILE_TMPDIR/broker.pid")" 2> /dev/null || true
	wait 2> /dev/null || true
}

setup() {
	BROKERS=$(cat "$BATS_FILE_TMPDIR/bootstrap")
	PATH="$BATS_TEST_DIRNAME/../scripts:$PATH"
	DB="$BATS_TEST_TMPDIR/k.db"
}

# produce TOPIC FILE: each line a message keyed by its correlation (or
# trace) id, as the services' producers do.
produce() {
	lognorm -q "$2" | jq -r '[.source.line, (.correlation_id // .trace_id // "-")] | @tsv' |
	    awk -F '\t' '!seen[$1]++ { print $2 }' > "$BATS_TEST_TMPDIR/keys"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/keys")" -eq "$(wc -l < "$2")" ] ||
	    fail "every line must be an event to be keyed"
	paste "$BATS_TEST_TMPDIR/keys" "$2" |
	    kcat -P -q -b "$BROKERS" -t "$1" -K $'\t'
}

# rows DB: what a run must give, in an order of its own
rows() {
	sqlite3 "$1" 'SELECT src_id, system_id, checkpoint_id, timestamp, status,
	    correlation_id, failure_reason FROM events ORDER BY src_id'
}

@test "kafka: every message is loaded once; a second replay changes nothing" {
	loggen -S 7 -n 60 > "$BATS_TEST_TMPDIR/in.log"
	produce logs1 "$BATS_TEST_TMPDIR/in.log"
	run --separate-stderr logproc-replay -b "$BROKERS" -t logs1 "$DB"
	assert_success
	sqlite3 "$DB" .dump > "$BATS_TEST_TMPDIR/once"
	# the messages of all four partitions, each once
	run sqlite3 "$DB" 'SELECT count(DISTINCT src_partition), count(*) = count(DISTINCT src_id) FROM events;
	    SELECT count(*) FROM kafka_offsets'
	assert_output "4|1
4"
	# every message is a row, or the detail part logjoin merged into one
	run sqlite3 "$DB" "SELECT count(*) + count(json_extract(extra, '\$.join.detail')) FROM events"
	assert_output "$(wc -l < "$BATS_TEST_TMPDIR/in.log")"
	run --separate-stderr logproc-replay -b "$BROKERS" -t logs1 "$DB"
	assert_success
	sqlite3 "$DB" .dump > "$BATS_TEST_TMPDIR/twice"
	diff -u "$BATS_TEST_TMPDIR/once" "$BATS_TEST_TMPDIR/twice"
}

@test "kafka: messages produced between runs are picked up by the next run only" {
	loggen -S 8 -n 40 > "$BATS_TEST_TMPDIR/all.log"
	head -n 500 "$BATS_TEST_TMPDIR/all.log" > "$BATS_TEST_TMPDIR/a.log"
	tail -n +501 "$BATS_TEST_TMPDIR/all.log" > "$BATS_TEST_TMPDIR/b.log"
	produce logs2 "$BATS_TEST_TMPDIR/a.log"
	logproc-replay -c 'lognorm -q' -b "$BROKERS" -t logs2 "$DB"
	rows "$DB" > "$BATS_TEST_TMPDIR/first"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/first")" -eq 500 ]
	produce logs2 "$BATS_TEST_TMPDIR/b.log"
	run --separate-stderr logproc-replay -c 'lognorm -q' -b "$BROKERS" -t logs2 "$DB"
	assert_success
	# the first run's rows are as they were, and the new ones came once
	n=$(wc -l < "$BATS_TEST_TMPDIR/all.log")
	run sqlite3 "$DB" 'SELECT count(*), count(DISTINCT src_id) FROM events'
	assert_output "$n|$n"
	rows "$DB" | grep -Fx -f "$BATS_TEST_TMPDIR/first" | diff -u "$BATS_TEST_TMPDIR/first" -
	# and the offsets stored are the last of each partition
	run sqlite3 "$DB" 'SELECT sum(offset + 1) FROM kafka_offsets'
	assert_output "$n"
}

# replay_killed TOPIC STAGES: start a replay, kill -9 all of it once it
# has committed something, then resume; the database must equal a clean
# run's.
replay_killed() {
	local topic=$1 stages=$2 n i
	loggen -S 9 -n 1500 > "$BATS_TEST_TMPDIR/in.log"
	produce "$topic" "$BATS_TEST_TMPDIR/in.log"
	setsid logproc-replay -c "$stages" -n 200 -b "$BROKERS" -t "$topic" "$DB" &
	pid=$!
	for i in $(seq 400); do
		n=$(sqlite3 "$DB" 'SELECT count(*) FROM events' 2> /dev/null || echo 0)
		[ "${n:-0}" -gt 0 ] && break
		sleep 0.02
	done
	# The run may have ended by now (a loaded machine can hold the poll
	# back for the second or two a whole run takes): then there is no
	# group to kill, and the test skips below on the rows it finds.
	kill -9 -- -"$pid" 2> /dev/null || true
	wait "$pid" || true
	# every process of the run is gone (and with them the lock they
	# held) before the next run starts
	for i in $(seq 400); do
		kill -0 -- -"$pid" 2> /dev/null || break
		sleep 0.02
	done
	total=$(sqlite3 "$DB" 'SELECT count(*) FROM events')
	logproc-replay -c "$stages" -b "$BROKERS" -t "$topic" "$DB"
	logproc-replay -c "$stages" -b "$BROKERS" -t "$topic" "$BATS_TEST_TMPDIR/clean.db"
	rows "$DB" > "$BATS_TEST_TMPDIR/resumed"
	rows "$BATS_TEST_TMPDIR/clean.db" > "$BATS_TEST_TMPDIR/clean"
}

@test "kafka: killed with kill -9 mid-load and resumed: every row once (offsets per batch)" {
	replay_killed logs3 'lognorm -q'
	expected=$(wc -l < "$BATS_TEST_TMPDIR/in.log")
	[ "$total" -lt "$expected" ] || skip "the run ended before it was killed"
	diff -u "$BATS_TEST_TMPDIR/clean" "$BATS_TEST_TMPDIR/resumed"
	run sqlite3 "$DB" 'SELECT count(*), count(DISTINCT src_id) FROM events'
	assert_output "$expected|$expected"
}

@test "kafka: killed with kill -9 mid-load and resumed with logjoin: every row once (offsets at the end)" {
	replay_killed logs4 'lognorm -q | logjoin -q'
	expected=$(sqlite3 "$BATS_TEST_TMPDIR/clean.db" 'SELECT count(*) FROM events')
	[ "$total" -lt "$expected" ] || skip "the run ended before it was killed"
	diff -u "$BATS_TEST_TMPDIR/clean" "$BATS_TEST_TMPDIR/resumed"
	# every message is a row, or the detail part merged into one, once
	run sqlite3 "$DB" "SELECT count(*) + count(json_extract(extra, '\$.join.detail')),
	    count(DISTINCT src_id) FROM events"
	assert_output "$(wc -l < "$BATS_TEST_TMPDIR/in.log")|$expected"
}

@test "kafka: two instances on half of the partitions each give the rows of one on all" {
	loggen -S 10 -n 80 > "$BATS_TEST_TMPDIR/in.log"
	produce logs5 "$BATS_TEST_TMPDIR/in.log"
	logproc-replay -b "$BROKERS" -t logs5 "$BATS_TEST_TMPDIR/one.db"
	logproc-replay -P 0,1 -b "$BROKERS" -t logs5 "$BATS_TEST_TMPDIR/a.db" &
	logproc-replay -P 2,3 -b "$BROKERS" -t logs5 "$BATS_TEST_TMPDIR/b.db"
	wait $!
	# the same database (WAL, one writer at a time) works as well
	logproc-replay -P 2,3 -b "$BROKERS" -t logs5 "$DB" &
	logproc-replay -P 0,1 -l "$DB.lock2" -b "$BROKERS" -t logs5 "$DB"
	wait $!
	rows "$BATS_TEST_TMPDIR/one.db" > "$BATS_TEST_TMPDIR/one"
	{ rows "$BATS_TEST_TMPDIR/a.db"; rows "$BATS_TEST_TMPDIR/b.db"; } | sort > "$BATS_TEST_TMPDIR/two"
	sort "$BATS_TEST_TMPDIR/one" | diff -u - "$BATS_TEST_TMPDIR/two"
	rows "$DB" | diff -u "$BATS_TEST_TMPDIR/one" -
	[ "$(wc -l < "$BATS_TEST_TMPDIR/one")" -gt 1000 ]
}

@test "kafka: a second run while one holds the lock does not start" {
	holder() { flock "$DB.lock" -c "touch '$BATS_TEST_TMPDIR/held'; sleep 30"; }
	holder &
	pid=$!
	for i in $(seq 100); do
		[ -e "$BATS_TEST_TMPDIR/held" ] && break
		sleep 0.1
	done
	run --separate-stderr logproc-replay -b "$BROKERS" -t logs6 "$DB"
	pkill -P "$pid" sleep 2> /dev/null || true
	kill "$pid" 2> /dev/null || true
	wait "$pid" || true
	assert_failure 4
	assert_equal "$stderr" "logproc-replay: another run holds $DB.lock; not started"
}

@test "kafka: with -T, traces and their spans too" {
	loggen -S 11 -n 20 > "$BATS_TEST_TMPDIR/in.log"
	produce logs6 "$BATS_TEST_TMPDIR/in.log"
	run --separate-stderr logproc-replay -T -b "$BROKERS" -t logs6 "$DB"
	assert_success
	n=$(lognorm -q "$BATS_TEST_TMPDIR/in.log" | tracebuild | jq -r .trace_id | sort -u | wc -l)
	run sqlite3 "$DB" 'SELECT count(*) FROM structured_logs;
	    SELECT count(*) > 0 FROM trace_spans; SELECT count(*) > 0 FROM events'
	assert_output "$n
1
1"
}
