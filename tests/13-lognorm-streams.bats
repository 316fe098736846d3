#!/usr/bin/env bats
# lognorm as a stream: output while input trickles, nothing lost on
# SIGTERM, and no output file that is one of the inputs.

load test_helper

@test "lognorm streams: an event is out while its input is still open" {
	mkfifo "$BATS_TEST_TMPDIR/in"
	lognorm < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec {w}> "$BATS_TEST_TMPDIR/in"
	head -1 "$FIXTURES/seed.log" >&"$w"
	for _ in $(seq 200); do
		[ -s "$BATS_TEST_TMPDIR/out" ] && break
		sleep 0.05
	done
	got=$(jq -r .checkpoint_id "$BATS_TEST_TMPDIR/out")
	exec {w}>&-
	wait "$pid"
	assert_equal "$got" CHECKPOINT_1
}

@test "lognorm on SIGTERM: every event read is written, then the signal ends it" {
	mkfifo "$BATS_TEST_TMPDIR/in"
	lognorm -x "$BATS_TEST_TMPDIR/rej" < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec {w}> "$BATS_TEST_TMPDIR/in"
	cat "$FIXTURES/seed.log" >&"$w"
	n=$(grep -c . "$FIXTURES/seed.log")
	for _ in $(seq 200); do
		[ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -ge "$n" ] && break
		sleep 0.05
	done
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	exec {w}>&-
	assert_equal "$status" 143
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/out")" "$n"
}

@test "lognorm on SIGINT with a full buffer: nothing read is lost" {
	# more than the output buffer holds, from a file, then a stop
	loggen -n 3000 > "$BATS_TEST_TMPDIR/raw"
	mkfifo "$BATS_TEST_TMPDIR/in"
	lognorm < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec {w}> "$BATS_TEST_TMPDIR/in"
	cat "$BATS_TEST_TMPDIR/raw" >&"$w"
	n=$(wc -l < "$BATS_TEST_TMPDIR/raw")
	for _ in $(seq 200); do
		[ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -ge "$n" ] && break
		sleep 0.05
	done
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
	exec {w}>&-
	assert_equal "$status" 130
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/out")" "$n"
}

@test "lognorm -x never destroys an input" {
	cp "$FIXTURES/seed.log" "$BATS_TEST_TMPDIR/app.log"
	run --separate-stderr lognorm -x "$BATS_TEST_TMPDIR/app.log"  "$BATS_TEST_TMPDIR/app.log"
	assert_failure 2
	assert_equal "$stderr" "lognorm: -x $BATS_TEST_TMPDIR/app.log: '$BATS_TEST_TMPDIR/app.log' is one of the inputs (refusing to overwrite it)"
	cmp "$FIXTURES/seed.log" "$BATS_TEST_TMPDIR/app.log"
	# the mistake of the issue: -x app.log, meant as the input, reads stdin
	run --separate-stderr lognorm -x "$BATS_TEST_TMPDIR/app.log" < "$BATS_TEST_TMPDIR/app.log"
	assert_failure 2
	cmp "$FIXTURES/seed.log" "$BATS_TEST_TMPDIR/app.log"
	# another name for the same file
	ln -s "$BATS_TEST_TMPDIR/app.log" "$BATS_TEST_TMPDIR/link"
	run --separate-stderr lognorm -x "$BATS_TEST_TMPDIR/link" "$BATS_TEST_TMPDIR/app.log"
	assert_failure 2
	cmp "$FIXTURES/seed.log" "$BATS_TEST_TMPDIR/app.log"
}

@test "lognorm -z takes the zone forms timestamps take: +HH:MM, +HHMM, +HH, Z" {
	for z in +02:00 +0200 +02; do
		printf '2025-05-04T12:30:00 | local\n' |
		    lognorm -r "$FIXTURES/times.rules" -z "$z" > "$BATS_TEST_TMPDIR/out"
		assert_equal "$(jq -r .timestamp "$BATS_TEST_TMPDIR/out")" 2025-05-04T10:30:00.000Z
	done
	printf '2025-05-04T10:30:00 | utc\n' | lognorm -r "$FIXTURES/times.rules" -z Z > "$BATS_TEST_TMPDIR/out"
	assert_equal "$(jq -r .timestamp "$BATS_TEST_TMPDIR/out")" 2025-05-04T10:30:00.000Z
	run --separate-stderr lognorm -z 2:00 /dev/null
	assert_failure 2
	assert_equal "$stderr" "lognorm: invalid zone '2:00' (expected Z, UTC, +HH:MM, +HHMM or +HH)"
}

@test "gzip input: every filter reads .gz files (and pipes) as text" {
	gzip -c "$FIXTURES/seed.log" > "$BATS_TEST_TMPDIR/app.log.1.gz"
	diff -u <(lognorm "$FIXTURES/seed.log" | jq -c 'del(.source.file)') \
	    <(lognorm "$BATS_TEST_TMPDIR/app.log.1.gz" | jq -c 'del(.source.file)')
	# several members one after another are one input
	cat "$BATS_TEST_TMPDIR/app.log.1.gz" "$BATS_TEST_TMPDIR/app.log.1.gz" > "$BATS_TEST_TMPDIR/two.gz"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/two.gz"
	assert_equal "${#lines[@]}" $((2 * $(grep -c . "$FIXTURES/seed.log")))
	# the later stages read compressed events too, from a pipe
	lognorm "$FIXTURES/seed.log" | gzip > "$BATS_TEST_TMPDIR/ev.gz"
	diff -u <(lognorm "$FIXTURES/seed.log" | logjoin | tracebuild) \
	    <(logjoin < "$BATS_TEST_TMPDIR/ev.gz" | tracebuild)
	diff -u <(lognorm "$FIXTURES/seed.log" | tracebuild) \
	    <(tracebuild "$BATS_TEST_TMPDIR/ev.gz")
	# it is the content that counts, not the name
	cp "$FIXTURES/seed.log" "$BATS_TEST_TMPDIR/plain.gz"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/plain.gz"
	assert_success
}

@test "gzip input: a damaged or cut stream is an I/O error, what came before is kept" {
	gzip -c "$FIXTURES/seed.log" | head -c 300 > "$BATS_TEST_TMPDIR/cut.gz"
	run --separate-stderr lognorm -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/cut.gz"
	assert_failure 3
	assert_equal "${#lines[@]}" 7
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/cut.gz: unexpected end of gzip data"
	# the line cut short is not lost: it is a reject
	run jq -r .line "$BATS_TEST_TMPDIR/rej"
	assert_output 8
	printf '\037\213garbage' > "$BATS_TEST_TMPDIR/bad.gz"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/bad.gz" "$FIXTURES/seed.log"
	assert_failure 3
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/bad.gz: unknown compression method"
	# the next input is still read
	assert_equal "${#lines[@]}" "$(grep -c . "$FIXTURES/seed.log")"
}
