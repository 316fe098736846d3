#!/usr/bin/env bats
# Records of several lines (a rule's start, continue and max_lines keys,
# lognorm-rules(5)): Java stack traces and Python tracebacks appended to
# the message of the line that starts them, within a bound.

load test_helper

@test "multi-line: stack traces and tracebacks are their line's message, one event each" {
	run -0 --separate-stderr lognorm -s -n -r "$FIXTURES/multiline.rules" "$FIXTURES/multiline.log"
	assert_equal "${stderr_lines[0]}" "lognorm: 14 lines, 0 blank, 5 records, 5 accepted, 0 rejected, 5 events"
	run -0 jq -c '[.source.line, .rule, .status, .attrs.message]' <<<"$output"
	assert_output - <<-'EOF'
	[1,"java",null,"order 17 placed"]
	[2,"java","FAILURE","charge failed\njava.lang.IllegalStateException: card declined\n\tat com.shop.Payments.charge(Payments.java:42)\n\tat com.shop.Orders.place(Orders.java:17)\nCaused by: java.io.IOException: timeout\n\t... 12 more"]
	[8,"java",null,"order 18 placed"]
	[9,"python","FAILURE","job 7 failed\nTraceback (most recent call last):\n  File \"worker.py\", line 12, in run\n    charge(order)\nValueError: bad input"]
	[14,"python",null,"job 8 done"]
	EOF
}

@test "multi-line: at most max_lines lines a record; the lines after are records of their own" {
	printf '[r]\ntext = ^S (?<message>.*)$\nstart = ^S \nmax_lines = 3\n' > "$BATS_TEST_TMPDIR/r.rules"
	printf '%s\n' 'S one' 'a' 'b' 'c' 'd' 'S two' 'e' > "$BATS_TEST_TMPDIR/r.log"
	run --separate-stderr lognorm -s -n -r "$BATS_TEST_TMPDIR/r.rules" -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/r.log"
	assert_failure 1
	run -0 jq -c '[.source.line, .attrs.message]' <<<"$output"
	assert_output $'[1,"one\\na\\nb"]\n[6,"two\\ne"]'
	# c and d: not lost, each a record that no rule matches
	run -0 jq -c '[.line, .reason, .raw]' "$BATS_TEST_TMPDIR/rej"
	assert_output $'[4,"no rule matched","c"]\n[5,"no rule matched","d"]'
}

@test "multi-line: with continue, only the lines it matches continue a record" {
	printf '[r]\ntext = ^S (?<message>.*)$\nstart = ^S \ncontinue = ^\\s\n' > "$BATS_TEST_TMPDIR/r.rules"
	printf '%b\n' 'S one' '\tat x' ' at y' 'not indented' 'S two' > "$BATS_TEST_TMPDIR/r.log"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/r.rules" -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/r.log"
	assert_failure 1
	run -0 jq -c '[.source.line, .attrs.message]' <<<"$output"
	assert_output $'[1,"one\\n\\tat x\\n at y"]\n[5,"two"]'
	run -0 jq -r '.raw' "$BATS_TEST_TMPDIR/rej"
	assert_output 'not indented'
}

@test "multi-line: a record ends with its input, a JSON document, or a line that starts another" {
	printf '[r]\ntext = ^S (?<message>.*)$\nstart = ^S \n' > "$BATS_TEST_TMPDIR/r.rules"
	printf '%s\n' 'S one' 'tail of one' > "$BATS_TEST_TMPDIR/a.log"
	printf '%s\n' 'not a continuation of one' 'S two' 'x' '{' '"system": "inventory", "checkpoint": "C", "correlation_id": "k"' '}' 'S three' \
	    > "$BATS_TEST_TMPDIR/b.log"
	run --separate-stderr lognorm -r "$BATS_TEST_TMPDIR/r.rules" -x "$BATS_TEST_TMPDIR/rej" \
	    "$BATS_TEST_TMPDIR/a.log" "$BATS_TEST_TMPDIR/b.log"
	assert_failure 1
	run -0 jq -c '[(.source.file | sub(".*/"; "")), .source.line, .rule, .attrs.message]' <<<"$output"
	assert_output - <<-'EOF'
	["a.log",1,"r","one\ntail of one"]
	["b.log",2,"r","two\nx"]
	["b.log",4,"inventory",null]
	["b.log",7,"r","three"]
	EOF
	run -0 jq -r '.raw' "$BATS_TEST_TMPDIR/rej"
	assert_output 'not a continuation of one'
}

@test "multi-line: a rule without a message gets one of the continuation lines; a reject holds every line" {
	printf '[r]\ntext = ^S (?<timestamp>\\S+)$\nstart = ^S \n' > "$BATS_TEST_TMPDIR/r.rules"
	printf '%s\n' 'S 2025-05-04T10:30:00Z' 'more' 'S yesterday' 'and more' > "$BATS_TEST_TMPDIR/r.log"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/r.rules" -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/r.log"
	assert_failure 1
	run -0 jq -c '.attrs' <<<"$output"
	assert_output '{"message":"more","timestamp_raw":"2025-05-04T10:30:00Z"}'
	run -0 jq -c '[.line, .reason, .raw]' "$BATS_TEST_TMPDIR/rej"
	assert_output '[3,"bad timestamp: '"'"'yesterday'"'"'","S yesterday\nand more"]'
}

@test "multi-line: a record waiting for more lines is written when its input waits" {
	# a writer writes a stack trace at once; lognorm must not hold the
	# last record of a stream until the next line comes
	mkfifo "$BATS_TEST_TMPDIR/in"
	lognorm -n -r "$FIXTURES/multiline.rules" < "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec {w}> "$BATS_TEST_TMPDIR/in"
	sed -n 2,7p "$FIXTURES/multiline.log" >&"$w"
	for _ in $(seq 200); do
		[ -s "$BATS_TEST_TMPDIR/out" ] && break
		sleep 0.05
	done
	got=$(jq -r '.attrs.message | split("\n") | length' "$BATS_TEST_TMPDIR/out")
	exec {w}>&-
	wait "$pid"
	assert_equal "$got" 6
}

@test "multi-line: start, continue and max_lines are checked when the rules are read" {
	printf '[j]\nmatch = x\nstart = ^a\n' > "$BATS_TEST_TMPDIR/1.rules"
	printf '[t]\ntext = ^a\ncontinue = ^b\n' > "$BATS_TEST_TMPDIR/2.rules"
	printf '[t]\ntext = ^a\n\nstart = (\n' > "$BATS_TEST_TMPDIR/3.rules"
	printf '[t]\ntext = ^a\nstart = ^a\nmax_lines = 0\n' > "$BATS_TEST_TMPDIR/4.rules"
	for i in 1 2 3 4; do
		run -2 --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/$i.rules" /dev/null
		printf '%s\n' "${stderr#*$BATS_TEST_TMPDIR/}"
	done > "$BATS_TEST_TMPDIR/errs"
	diff -u - "$BATS_TEST_TMPDIR/errs" <<-'EOF'
	1.rules:3: rule 'j': start is for text rules (text or header)
	2.rules:3: rule 't': continue and max_lines are for a rule with a start pattern
	3.rules:4: rule 't': bad pattern at offset 1: missing closing parenthesis
	4.rules:4: bad max_lines '0' (1 to 100000)
	EOF
}
