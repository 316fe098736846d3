#!/usr/bin/env bats
# lognorm: raw lines to normalized events.

load test_helper

@test "seed formats: every sample line becomes the documented event" {
	golden seed.events lognorm seed.log
	assert_success
}

@test "seed formats: JSON inventory line keeps the seed's columns" {
	run --separate-stderr lognorm "$FIXTURES/seed.log"
	assert_success
	run jq -c 'select(.source.line == 1) | [.timestamp, .system_id,
	    .checkpoint_id, .status, .correlation_id, .failure_reason,
	    .trace_id, .part, .rule]' <<<"$output"
	assert_output '["2025-05-04T10:30:00.000Z","inventory","CHECKPOINT_1","FAILURE","abc-123",null,"abc-123","main","inventory"]'
}

@test "seed formats: separate error lines are detail parts with the reason" {
	run --separate-stderr lognorm "$FIXTURES/seed.log"
	run jq -c 'select(.part == "detail") | [.system_id, .status,
	    .correlation_id, .failure_reason, .checkpoint_id]' <<<"$output"
	assert_line --index 0 '["inventory","FAILURE","abc-123","FAILURE_REASON_2",null]'
	assert_line --index 1 '["payments","FAILURE","def-456","PAYMENTS_FAILURE_REASON_1",null]'
	assert_line --index 2 '["payments","FAILURE","def-456","PAYMENTS_FAILURE_REASON_1",null]'
	assert_equal "${#lines[@]}" 3
}

@test "seed formats: a level prefix is kept as attrs.level" {
	run --separate-stderr lognorm "$FIXTURES/seed.log"
	run jq -c 'select(.attrs.level) | [.attrs.level, .system_id, .status]' <<<"$output"
	assert_line --index 0 '["ERROR","orders","FAILURE"]'
	assert_line --index 1 '["INFO","orders","SUCCESS"]'
}

@test "span log: ids, services, method, request with commas, status" {
	run --separate-stderr lognorm "$FIXTURES/seed.log"
	run jq -c 'select(.rule == "spanlog") | [.trace_id, .span_id,
	    .parent_span_id, .system_id, .target_system_id, .status,
	    .attrs.method, .attrs.request, .attrs.http_status,
	    .attrs.response]' <<<"$output"
	assert_line --index 0 '["5f2c9a0b1c2d3e4f5a6b7c8d9e0f1a2b","a1b2c3d4e5f60718",null,"gateway","orders",null,"GET","/api/orders/7","102",null]'
	assert_line --index 2 '["5f2c9a0b1c2d3e4f5a6b7c8d9e0f1a2b","b2c3d4e5f6071829","a1b2c3d4e5f60718","orders","payments","FAILURE","POST","/api/pay?items=1,2,3","503","{\"error\":\"busy, retry\",\"code\":503}"]'
	# upper-case hex ids are lower-cased
	assert_line --index 3 --partial '"5f2c9a0b1c2d3e4f5a6b7c8d9e0f1a2b","a1b2c3d4e5f60718"'
}

@test "span log: epoch milliseconds become RFC 3339" {
	run --separate-stderr lognorm "$FIXTURES/seed.log"
	run jq -r 'select(.rule == "spanlog") | .timestamp' <<<"$output"
	assert_line --index 0 '2024-05-04T10:30:00.123Z'
}

@test "kcat -J envelopes: payload normalized, Kafka coordinates in source" {
	run --separate-stderr lognorm -x "$BATS_TEST_TMPDIR/rej" "$FIXTURES/kcat.log"
	assert_failure 1
	run jq -c '[.system_id, .source]' <<<"$output"
	assert_line --index 0 '["inventory",{"topic":"raw-logs","partition":0,"offset":17,"key":"abc-123","ts":1746354600000}]'
	assert_line --index 1 '["payments",{"topic":"raw-logs","partition":2,"offset":4,"key":null,"ts":1746354720000}]'
	run jq -c '[.line, .reason]' "$BATS_TEST_TMPDIR/rej"
	assert_line --index 0 '[3,"empty payload: kafka message without a payload"]'
	assert_line --index 1 '[4,"no rule matched"]'
}

@test "source: each event's line number is its line's, across 9, 99 and 999 and after a gap" {
	printf '[n]\ntext = ^x(?<checkpoint_id>\\d+)$\nsystem_id = n\n' > "$BATS_TEST_TMPDIR/n.rules"
	# 1..1001, but the line 150 blank and 500 not matched: the numbers
	# after them are read again, not counted on
	seq 1001 | awk 'NR == 150 { print ""; next } NR == 500 { print "y"; next } { print "x" NR }' > "$BATS_TEST_TMPDIR/n.log"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/n.rules" -x /dev/null "$BATS_TEST_TMPDIR/n.log"
	assert_failure 1
	diff -u <(seq 1001 | grep -vx -e 150 -e 500) <(jq -r '.source.line' <<<"$output")
	diff -u <(jq -r '.source.line' <<<"$output") <(jq -r '.checkpoint_id' <<<"$output")
}

@test "rejects: every bad line lands in the reject file with line and reason" {
	run --separate-stderr lognorm -x "$BATS_TEST_TMPDIR/rej" "$FIXTURES/bad.log"
	assert_failure 1
	assert_equal "$stderr" ""
	run jq -c '[.tool, .input, .line, .reason]' "$BATS_TEST_TMPDIR/rej"
	assert_output - <<-EOF
	["lognorm","$FIXTURES/bad.log",1,"no rule matched"]
	["lognorm","$FIXTURES/bad.log",2,"invalid JSON: unexpected end of input at byte 23"]
	["lognorm","$FIXTURES/bad.log",4,"bad timestamp: 'yesterday'"]
	["lognorm","$FIXTURES/bad.log",6,"invalid JSON: unterminated array at byte 5"]
	["lognorm","$FIXTURES/bad.log",7,"no rule matched: JSON record"]
	EOF
	# the raw line is kept byte for byte
	run jq -r 'select(.line == 2) | .raw' "$BATS_TEST_TMPDIR/rej"
	assert_output "$(sed -n 2p "$FIXTURES/bad.log")"
}

@test "rejects: the counts add up (events + rejects + blank = lines)" {
	cat "$FIXTURES/seed.log" "$FIXTURES/bad.log" > "$BATS_TEST_TMPDIR/mix"
	run --separate-stderr lognorm -s -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/mix"
	assert_failure 1
	n_lines=$(wc -l < "$BATS_TEST_TMPDIR/mix")
	n_blank=$(grep -c '^[[:space:]]*$' "$BATS_TEST_TMPDIR/mix")
	n_events=$(printf '%s\n' "$output" | wc -l)
	n_rej=$(wc -l < "$BATS_TEST_TMPDIR/rej")
	assert_equal "$n_blank" 1
	assert_equal $((n_events + n_rej + n_blank)) "$n_lines"
	n_rec=$((n_lines - n_blank))
	assert_equal "${stderr_lines[0]}" "lognorm: $n_lines lines, $n_blank blank, $n_rec records, $n_events accepted, $n_rej rejected, $n_events events"
}

@test "rejects: without -x each one is a diagnostic naming file and line" {
	run --separate-stderr lognorm "$FIXTURES/bad.log"
	assert_failure 1
	assert_equal "${stderr_lines[0]}" "lognorm: $FIXTURES/bad.log:1: no rule matched"
	assert_equal "${stderr_lines[2]}" "lognorm: $FIXTURES/bad.log:4: bad timestamp: 'yesterday'"
	assert_equal "${#stderr_lines[@]}" 5
}

@test "timestamps: every recognised form becomes RFC 3339 UTC with ms" {
	golden times.events lognorm -r ./times.rules -y 2025 -x /dev/null times.log
	assert_failure 1
}

@test "timestamps: read line after line, each is what it is read alone (seconds not parsed again)" {
	# times that differ in their seconds, or in the digits of a fraction,
	# a zone, a year, an epoch number: every one as when read on its own
	for y in "" "-y 2025"; do
		# shellcheck disable=SC2086
		lognorm -n -r "$FIXTURES/times.rules" $y -x /dev/null "$FIXTURES/seconds.log" |
		    jq -r '[.timestamp, .checkpoint_id] | @tsv' > "$BATS_TEST_TMPDIR/all"
		while IFS= read -r line; do
			# shellcheck disable=SC2086
			printf '%s\n' "$line" | lognorm -n -r "$FIXTURES/times.rules" $y -x /dev/null |
			    jq -r '[.timestamp, .checkpoint_id] | @tsv'
		done < "$FIXTURES/seconds.log" > "$BATS_TEST_TMPDIR/alone"
		diff -u "$BATS_TEST_TMPDIR/alone" "$BATS_TEST_TMPDIR/all"
		[ "$(wc -l < "$BATS_TEST_TMPDIR/all")" -eq "$(wc -l < "$FIXTURES/seconds.log")" ]
	done
}

@test "timestamps: the original text stays in attrs.timestamp_raw" {
	run --separate-stderr lognorm -r "$FIXTURES/times.rules" -y 2025 "$FIXTURES/times.log"
	run jq -r 'select(.checkpoint_id == "syslog") | .attrs.timestamp_raw' <<<"$output"
	assert_output 'May  4 10:30:00'
}

@test "timestamps: -z gives the zone of zone-less times" {
	printf '2025-05-04T12:30:00 | local\n' |
	    lognorm -r "$FIXTURES/times.rules" -z +02:00 > "$BATS_TEST_TMPDIR/out"
	run jq -r .timestamp "$BATS_TEST_TMPDIR/out"
	assert_output '2025-05-04T10:30:00.000Z'
}

@test "rules: predicates, interpolation, constants, drop, attrs, jq" {
	golden user.events lognorm -r ./user.rules -t templates.csv -x /dev/null \
	    user.log
	assert_failure 1
}

@test "rules: a higher priority user rule wins over a built-in one" {
	run --separate-stderr lognorm -r "$FIXTURES/user.rules" "$FIXTURES/user.log"
	run jq -r 'select(.source.line == 4 or .source.line == 5) | .rule' <<<"$output"
	assert_output $'orders-audit\norders'
}

@test "rules: jq turns one line into several events; a jq error rejects it" {
	run --separate-stderr lognorm -r "$FIXTURES/user.rules" -x "$BATS_TEST_TMPDIR/rej" "$FIXTURES/user.log"
	run jq -c 'select(.rule == "batch") | [.system_id, .status, .attrs.extra]' <<<"$output"
	assert_output $'["a","SUCCESS",1]\n["b","FAILURE",{"y":true}]'
	run jq -c 'select(.line == 7) | .reason' "$BATS_TEST_TMPDIR/rej"
	assert_output '"jq: boom requested"'
}

@test "rules: -l lists rules in the order they are tried" {
	run lognorm -l -r "$FIXTURES/user.rules"
	assert_success
	assert_line --index 0 --regexp '^orders-audit +text +priority 10 '
	assert_line --partial 'spanlog'
}

@test "rules: -n drops the built-in rules" {
	run --separate-stderr lognorm -n -r "$FIXTURES/times.rules" "$FIXTURES/seed.log"
	assert_failure 1
	run lognorm -n
	assert_failure 2
	assert_output --partial 'no rules'
}

@test "rules: a rule file error names the file and line, exit 2" {
	printf '[ok]\nmatch = a\nbogus_key = 1\n' > "$BATS_TEST_TMPDIR/bad.rules"
	run lognorm -r "$BATS_TEST_TMPDIR/bad.rules" /dev/null
	assert_failure 2
	assert_output "lognorm: $BATS_TEST_TMPDIR/bad.rules:3: rule 'ok': unknown key 'bogus_key'"
	printf '[re]\ntext = ^(unclosed\n' > "$BATS_TEST_TMPDIR/bad.rules"
	run lognorm -r "$BATS_TEST_TMPDIR/bad.rules" /dev/null
	assert_failure 2
	assert_output --partial "bad.rules:2: rule 're': bad pattern"
	printf '[q]\njq = .a |||\n' > "$BATS_TEST_TMPDIR/bad.rules"
	run lognorm -r "$BATS_TEST_TMPDIR/bad.rules" /dev/null
	assert_failure 2
	assert_output --partial "bad.rules:2: rule 'q': jq:"
	run lognorm -r no-such-rules /dev/null
	assert_failure 2
}

@test "rules: -d loads every .rules file of a directory" {
	mkdir "$BATS_TEST_TMPDIR/rd"
	cp "$FIXTURES/times.rules" "$BATS_TEST_TMPDIR/rd/"
	echo 'not rules' > "$BATS_TEST_TMPDIR/rd/README"
	run lognorm -l -d "$BATS_TEST_TMPDIR/rd"
	assert_success
	assert_line --partial 'times'
}

@test "templates: the most specific matching template tags the event" {
	run --separate-stderr lognorm -r "$FIXTURES/user.rules" -t "$FIXTURES/templates.csv" "$FIXTURES/user.log"
	run jq -c 'select(.rule == "hdfs") | [.attrs.template_id, .attrs.template]' <<<"$output"
	assert_output $'["E2","PacketResponder <*> for block blk_<*> terminating"]\n["E2","PacketResponder <*> for block blk_<*> terminating"]'
}

@test "input: pretty-printed JSON documents are one record each" {
	printf '{\n  "system": "inventory",\n  "checkpoint": "CHECKPOINT_1",\n  "status": "SUCCESS",\n  "timestamp": "2025-05-04T10:30:00",\n  "correlation_id": "p-1"\n}\n{"system":"reporting","checkpoint":"R1","status":"OK","timestamp":"2025-05-04T10:30:01","correlation_id":"p-1"}\n' > "$BATS_TEST_TMPDIR/pretty"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/pretty"
	assert_success
	run jq -c '[.rule, .correlation_id, .source.line]' <<<"$output"
	assert_output $'["inventory","p-1",1]\n["reporting","p-1",8]'
}

@test "input: a document that does not parse is read line by line" {
	printf '{\n  "system": "inventory",\n' > "$BATS_TEST_TMPDIR/cut"
	run --separate-stderr lognorm -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/cut"
	assert_failure 1
	run jq -c '[.line, .reason]' "$BATS_TEST_TMPDIR/rej"
	assert_output $'[1,"invalid JSON: unexpected end of input at byte 2"]\n[2,"no rule matched"]'
	# a stray "{" line costs only itself, not the lines after it
	{ echo '{'; sed -n 1,3p "$FIXTURES/seed.log"; } > "$BATS_TEST_TMPDIR/stray"
	run --separate-stderr lognorm -s -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/stray"
	assert_failure 1
	assert_equal "${#lines[@]}" 3
	assert_equal "${stderr_lines[0]}" "lognorm: 4 lines, 0 blank, 4 records, 3 accepted, 1 rejected, 3 events"
}

@test "input: last line without newline, CRLF, NUL bytes, invalid UTF-8" {
	printf '2025-05-04T10:30:00 ORDER: A - SUCCESS (ID: crlf)\r\n2025-05-04T10:30:00 ORDER: A - SUCCESS (ID: n\0ul)\n2025-05-04T10:30:00 ORDER: A - FAILURE (ID: x) - bad \xff\xfe byte\n2025-05-04T10:30:00 ORDER: A - SUCCESS (ID: last)' > "$BATS_TEST_TMPDIR/odd"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/odd"
	assert_success
	run jq -c '[.correlation_id, .failure_reason]' <<<"$output"
	assert_output $'["crlf",null]\n["n\\u0000ul",null]\n["x","bad \xef\xbf\xbd\xef\xbf\xbd byte"]\n["last",null]'
}

@test "input: a 10 MB line is read whole" {
	{ printf '{"system":"reporting","checkpoint":"BIG","status":"SUCCESS","timestamp":"2025-05-04T10:30:00","correlation_id":"big","blob":"'
	  head -c 10000000 /dev/zero | tr '\0' 'x'
	  printf '"}\n'; } > "$BATS_TEST_TMPDIR/big"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/big"
	assert_success
	run jq -r '.attrs.blob | length' <<<"$output"
	assert_output 10000000
}

@test "input: files as arguments and - for stdin, in order" {
	run --separate-stderr bash -c "head -1 '$FIXTURES/seed.log' | lognorm '$FIXTURES/kcat.log' - 2>/dev/null | jq -r '.source.file // .source.topic'"
	assert_output $'raw-logs\nraw-logs\n(stdin)'
}

@test "kcat -J envelopes between plain lines: each record has its own source" {
	{ sed -n 1p "$FIXTURES/seed.log"; sed -n 1p "$FIXTURES/kcat.log"
	  sed -n 2p "$FIXTURES/seed.log"; sed -n 1p "$FIXTURES/kcat.log"
	  sed -n 1p "$FIXTURES/seed.log"; } > "$BATS_TEST_TMPDIR/mixed"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/mixed"
	assert_success
	diff -u - <(jq -c '.source | del(.file)' <<<"$output") <<-'EOF2'
	{"line":1}
	{"topic":"raw-logs","partition":0,"offset":17,"key":"abc-123","ts":1746354600000}
	{"line":3}
	{"topic":"raw-logs","partition":0,"offset":17,"key":"abc-123","ts":1746354600000}
	{"line":5}
	EOF2
}

@test "input: a missing file is reported, the others still read, exit 3" {
	run --separate-stderr lognorm /no/such/file "$FIXTURES/seed.log"
	assert_failure 3
	assert_equal "$stderr" "lognorm: /no/such/file: No such file or directory"
	assert_equal "${#lines[@]}" "$(wc -l < "$FIXTURES/seed.log")"
}

@test "output: a closed pipe ends quietly with status 0" {
	for i in $(seq 2000); do cat "$FIXTURES/seed.log"; done > "$BATS_TEST_TMPDIR/many"
	run --separate-stderr bash -c "set -o pipefail; lognorm '$BATS_TEST_TMPDIR/many' | head -n 1 > /dev/null"
	assert_success
	assert_equal "$stderr" ""
}

@test "cli: --help, --version, bad usage" {
	run lognorm --help
	assert_success
	assert_line --index 0 --partial 'usage: lognorm'
	run lognorm --version
	assert_success
	assert_output --regexp '^lognorm \(logproc\) [0-9]+\.[0-9]+\.[0-9]+$'
	run lognorm --bogus
	assert_failure 2
	assert_line --partial 'usage: lognorm'
	run lognorm -y 10000 /dev/null
	assert_failure 2
	assert_output "lognorm: invalid year '10000': more than 9999"
	run lognorm -z 25:00 /dev/null
	assert_failure 2
	run lognorm -x - /dev/null
	assert_failure 2
	assert_output --partial 'cannot be standard output'
	run lognorm -x /no/such/dir/rej /dev/null
	assert_failure 2
	assert_output 'lognorm: /no/such/dir/rej: No such file or directory'
}

@test "built-in: loggen's flat span records map field for field" {
	loggen -f flat -n 5 -S 3 > "$BATS_TEST_TMPDIR/flat"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/flat"
	assert_success
	want=$(jq -c '[.trace_id, .span_id, .parent_span_id, .service,
	    .target_service, .name, .duration_ms,
	    (if .status == "ERROR" then "FAILURE" else "SUCCESS" end)]' "$BATS_TEST_TMPDIR/flat")
	got=$(jq -c '[.trace_id, .span_id, .parent_span_id, .system_id,
	    .target_system_id, .checkpoint_id, .duration_ms, .status]' <<<"$output")
	assert_equal "$got" "$want"
	run jq -r .rule <<<"$output"
	refute_line --regexp '^[^s]'
}

@test "built-in: every line of loggen's seed and span-log flows is accepted" {
	run --separate-stderr bash -c "loggen -n 200 -S 5 | lognorm -s > /dev/null"
	assert_success
	[[ "${stderr_lines[0]}" == *", 0 rejected,"* ]]
	run --separate-stderr bash -c "loggen -f spanlog -n 50 -S 5 | lognorm -s > /dev/null"
	assert_success
	[[ "${stderr_lines[0]}" == *", 0 rejected,"* ]]
}

@test "rules: an attribute set twice keeps the last value, once" {
	run --separate-stderr lognorm -r "$FIXTURES/user.rules" "$FIXTURES/user.log"
	run jq -c 'select(.source.line == 11) | .attrs' <<<"$output"
	assert_output '{"level":"info","zone":"b","region":"eu-west-1","stage":"s"}'
}

@test "rules: drop keeps a field out of the event and of attrs" {
	run --separate-stderr lognorm -r "$FIXTURES/user.rules" "$FIXTURES/user.log"
	run jq -c 'select(.source.line == 11) | [.trace_id, .attrs.trace_id, .attrs.noise]' <<<"$output"
	assert_output '[null,null,null]'
	printf '[d]\nmatch = a\ndrop = a.b\n' > "$BATS_TEST_TMPDIR/d.rules"
	run lognorm -r "$BATS_TEST_TMPDIR/d.rules" /dev/null
	assert_failure 2
	assert_output --partial "d.rules:3: drop takes top-level field names, not 'a.b'"
}

@test "rules: a text rule with jq tests its match on the captures" {
	run --separate-stderr lognorm -r "$FIXTURES/user.rules" -x "$BATS_TEST_TMPDIR/rej" "$FIXTURES/user.log"
	run jq -c 'select(.rule == "tagged") | [.system_id, .checkpoint_id, .attrs.flag]' <<<"$output"
	assert_output '["x","tj","yes"]'
	run jq -c 'select(.line == 13) | .reason' "$BATS_TEST_TMPDIR/rej"
	assert_output '"no rule matched"'
}

@test "templates: a malformed CSV names its file and line, exit 2" {
	printf 'EventId,EventTemplate\nE1,ok <*>\n\nE2\n' > "$BATS_TEST_TMPDIR/t.csv"
	run lognorm -t "$BATS_TEST_TMPDIR/t.csv" /dev/null
	assert_failure 2
	assert_output "lognorm: $BATS_TEST_TMPDIR/t.csv:4: expected EventId,EventTemplate"
	# an empty id or template, an unterminated quote: refused, never read
	# past (they printed heap bytes as template_id), line numbers kept
	# through a quoted newline
	printf 'EventId,EventTemplate\nE1,"a\nb"\nE2,\n' > "$BATS_TEST_TMPDIR/t.csv"
	run lognorm -t "$BATS_TEST_TMPDIR/t.csv" /dev/null
	assert_failure 2
	assert_output "lognorm: $BATS_TEST_TMPDIR/t.csv:4: empty EventTemplate"
	printf 'EventId,EventTemplate\n,abc <*>\n' > "$BATS_TEST_TMPDIR/t.csv"
	run lognorm -t "$BATS_TEST_TMPDIR/t.csv" /dev/null
	assert_failure 2
	assert_output "lognorm: $BATS_TEST_TMPDIR/t.csv:2: empty EventId"
	printf 'EventId,EventTemplate\nE1,x\nE2,"abc\nE3,y\n' > "$BATS_TEST_TMPDIR/t.csv"
	run lognorm -t "$BATS_TEST_TMPDIR/t.csv" /dev/null
	assert_failure 2
	assert_output "lognorm: $BATS_TEST_TMPDIR/t.csv:3: unterminated quoted field"
}

@test "rules: a pattern that cannot decide on a huge line says so" {
	printf '[lazy]\ntext = ^(?<a>.*?)(?<b>.*?)(?<c>.*?)x$\n' > "$BATS_TEST_TMPDIR/lazy.rules"
	{ head -c 3000000 /dev/zero | tr '\0' a; echo; } > "$BATS_TEST_TMPDIR/long"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/lazy.rules" "$BATS_TEST_TMPDIR/long"
	assert_failure 1
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/long:1: match error: rule 'lazy': match limit exceeded"
}

@test "rules: optional literal text in a pattern is not required of a line" {
	# lognorm tests a pattern's required literal text with memmem first;
	# text in optional groups, before ? * {, or in classes is not required
	cat > "$BATS_TEST_TMPDIR/opt.rules" <<-'EOF2'
	[opt]
	text = ^(?:\[PRE\] )?x+ MIDDLE[|](?: tail)?y?z{0,2}\.done|$
	system_id = opt
	[opt2]
	priority = 1
	text = ^(?:\[PRE\] )?x+ MIDDLE[|](?: tail)?y?z{0,2}\.done$
	system_id = opt2
	EOF2
	printf 'xx MIDDLE|.done\n[PRE] x MIDDLE| tailyzz.done\nx MIDDLE|.don\n' > "$BATS_TEST_TMPDIR/opt.log"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/opt.rules" "$BATS_TEST_TMPDIR/opt.log"
	assert_success
	run jq -r .rule <<<"$output"
	assert_output $'opt2\nopt2\nopt'
}

@test "input: an empty file gives nothing, and exit 0" {
	: > "$BATS_TEST_TMPDIR/empty"
	run --separate-stderr lognorm -s "$BATS_TEST_TMPDIR/empty"
	assert_success
	assert_output ''
	assert_equal "${stderr_lines[0]}" "lognorm: 0 lines, 0 blank, 0 records, 0 accepted, 0 rejected, 0 events"
}

@test "input: a seed line missing a field gives null there, not a guess" {
	printf '%s\n' '{"system":"inventory","checkpoint":"CHECKPOINT_1","status":"FAILURE","correlation_id":"m-1"}' \
	    '{"system":"reporting","checkpoint":"R1","timestamp":"2025-05-04T10:30:00"}' \
	    '2025-05-04T10:30:00 ORDER: CHECKPOINT_A - SUCCESS (ID: )' > "$BATS_TEST_TMPDIR/missing"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/missing"
	assert_success
	run jq -c '[.rule, .timestamp, .status, .correlation_id, .trace_id]' <<<"$output"
	assert_output - <<-'EOF2'
	["inventory",null,"FAILURE","m-1","m-1"]
	["reporting","2025-05-04T10:30:00.000Z",null,null,null]
	["orders","2025-05-04T10:30:00.000Z","SUCCESS",null,null]
	EOF2
}

@test "rules: an empty pattern or a NUL byte is an error with file:line, not a crash" {
	# the empty pattern was a SIGSEGV (found by fuzzing)
	printf '[a]\ntext =\nmatch = x\n' > "$BATS_TEST_TMPDIR/e.rules"
	run --separate-stderr lognorm -r "$BATS_TEST_TMPDIR/e.rules" /dev/null
	assert_failure 2
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/e.rules:2: rule 'a': empty text"
	printf '[a]\nheader =\n' > "$BATS_TEST_TMPDIR/e.rules"
	run --separate-stderr lognorm -r "$BATS_TEST_TMPDIR/e.rules" /dev/null
	assert_failure 2
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/e.rules:2: rule 'a': empty header"
	# a NUL byte: the stored length outlived the string, and heap bytes
	# reached system_id
	printf '[a]\nmatch = x\n\nsystem_id = ab\0cd\n' > "$BATS_TEST_TMPDIR/n.rules"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/n.rules" /dev/null
	assert_failure 2
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/n.rules:4: NUL byte"
	# an error after part of a clause was read frees it (leaked: found by
	# fuzzing; ASan's leak check sees it under make check)
	printf '[a]
match = a ==
' > "$BATS_TEST_TMPDIR/m.rules"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/m.rules" /dev/null
	assert_failure 2
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/m.rules:2: match has no value"
	printf '[a]
match = a
system_id = "${a} ${b"
' > "$BATS_TEST_TMPDIR/m.rules"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/m.rules" /dev/null
	assert_failure 2
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/m.rules:3: unterminated \${"
	printf '[a]\nmatch = a == "${x} ${y"\n' > "$BATS_TEST_TMPDIR/m.rules"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/m.rules" /dev/null
	assert_failure 2
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/m.rules:2: unterminated \${"
}

@test "diagnostics: jq compile errors read as one line, at the jq key's line" {
	printf '[q]\nmatch = a\njq = .a |||\n' > "$BATS_TEST_TMPDIR/q.rules"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/q.rules" /dev/null
	assert_failure 2
	# was "...:1: rule 'q': jq: jq: error: syntax error, ..., line 1:" and
	# the program text on a second line, then "; jq: 1 compile error"
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/q.rules:3: rule 'q': jq: syntax error, unexpected '|' (Unix shell quoting issues?) at <top-level>, line 1"
}

@test "diagnostics: a missing capture group is reported at the line that names it" {
	printf '[q]\ntext = ^(?<a>x)$\n\nsystem_id = $a\nattrs.x = "${b}"\n' > "$BATS_TEST_TMPDIR/q.rules"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/q.rules" /dev/null
	assert_failure 2
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/q.rules:5: rule 'q': no capture group named 'b'"
	printf '[q]\ntext = ^(?<a>x)$\nmatch = c == 1\n' > "$BATS_TEST_TMPDIR/q.rules"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/q.rules" /dev/null
	assert_failure 2
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/q.rules:3: rule 'q': no capture group named 'c'"
}

@test "diagnostics: control bytes of input and rule files are escaped on stderr" {
	# a rule file's bytes quoted in an error
	printf '[q\033[2J\r]\n' > "$BATS_TEST_TMPDIR/q.rules"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/q.rules" /dev/null
	assert_failure 2
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/q.rules:1: bad rule name 'q\\e[2J\\r'"
	# input bytes quoted in a reject reason
	printf '{"system":"inventory","checkpoint":"C","timestamp":"\\u001b[2J\\u0007x\\nlognorm: forged"}\n' > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/in"
	assert_failure 1
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/in:1: bad timestamp: '\\e[2J\\x07x\\nlognorm: forged'"
	# a name given on the command line
	run --separate-stderr lognorm -r "$(printf 'x\033]0;t\007')" /dev/null
	assert_failure 2
	[[ $stderr != *$'\033'* && $stderr != *$'\007'* ]] || fail "raw control bytes: $stderr"
}

@test "input: a UTF-8 byte-order mark before the first line is not part of it" {
	printf '\xef\xbb\xbf2025-05-04T10:30:00 ORDER: A - SUCCESS (ID: bom)\n' > "$BATS_TEST_TMPDIR/bom"
	printf '\xef\xbb\xbf{"system":"reporting","checkpoint":"R","correlation_id":"bom"}\n' > "$BATS_TEST_TMPDIR/bom2"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/bom" "$BATS_TEST_TMPDIR/bom2"
	assert_success
	run jq -c '[.rule, .correlation_id, .source.line]' <<<"$output"
	assert_output $'["orders","bom",1]\n["reporting","bom",1]'
}

@test "kcat: a payload that is not a string is named for what it is" {
	printf '%s\n' '{"topic":"t","partition":0,"offset":1,"key":null,"payload":5}' \
	    '{"topic":"t","partition":0,"offset":2,"key":null,"payload":{"a":1}}' \
	    '{"topic":"t","partition":0,"offset":3,"key":null,"payload":null}' > "$BATS_TEST_TMPDIR/env"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/env"
	assert_failure 1
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/env:1: bad payload: a number, not a string
lognorm: $BATS_TEST_TMPDIR/env:2: bad payload: an object, not a string
lognorm: $BATS_TEST_TMPDIR/env:3: empty payload: kafka message without a payload"
}

@test "numbers: duration_ms beyond a double is rejected, long number text is read whole" {
	printf '%s\n' '{"system":"reporting","checkpoint":"C","duration_ms":1e999}' \
	    '{"system":"reporting","checkpoint":"C","duration_ms":"-1e999"}' > "$BATS_TEST_TMPDIR/n"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/n"
	assert_failure 1
	assert_output ''
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/n:1: bad duration_ms: '1e999'
lognorm: $BATS_TEST_TMPDIR/n:2: bad duration_ms: '-1e999'"
	# 0.(60 zeros)17463e73 ms: number text past 63 characters is not cut
	printf '{"system":"reporting","checkpoint":"C","timestamp":0.%s17463e73}\n' \
	    "$(printf '0%.0s' $(seq 60))" > "$BATS_TEST_TMPDIR/n"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/n"
	assert_success
	run jq -r .timestamp <<<"$output"
	assert_output '2025-05-03T19:20:00.000Z'
}

@test "duplicate names: the last one wins everywhere, names compared unescaped" {
	printf '[st]\nmatch = status == "SUCCESS"\nsystem_id = ok\n' > "$BATS_TEST_TMPDIR/d.rules"
	printf '%s\n' '{"status":"SUCCESS","status":"FAILURE"}' \
	    '{"status":"FAILURE","st\u0061tus":"SUCCESS","x":1,"\u0078":2,"x":3}' > "$BATS_TEST_TMPDIR/d"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/d.rules" "$BATS_TEST_TMPDIR/d"
	assert_failure 1
	# the match clause sees the last status, as the event would: no match
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/d:1: no rule matched: JSON record"
	# "x" and "\u0078" are one attribute, written once, the last value
	assert_output '{"type":"event","timestamp":null,"system_id":"ok","checkpoint_id":null,"status":"SUCCESS","correlation_id":null,"failure_reason":null,"trace_id":null,"span_id":null,"parent_span_id":null,"target_system_id":null,"duration_ms":null,"part":"main","rule":"st","attrs":{"x":3},"source":{"file":"'"$BATS_TEST_TMPDIR"'/d","line":2}}'
}

@test "rules: the literal pre-test never changes what a pattern matches (pcre2grep agrees)" {
	# lognorm tests a pattern's required literal text with memmem first;
	# each pattern of the table must match the lines pcre2grep matches
	printf '%b\n' '2025-05-04T10:30:00\tINFO\tABC hello' 'x09ABC nope' \
	    'A to AAA' 'x41 to x41x41' 'AAA101' '\001 ctl ABC' 'cA ctl ABC' \
	    'abc-abc' 'abc-g1' 'dig 123 end' 'digit end' 'Mixed CASE line' \
	    'mixed case line' 'a b c' 'abc' 'brace{1} x' 'tab\there' \
	    'k<a>abcabc' 'P:ab ab' 'q.e.d' '[PRE] x MIDDLE| tailyzz.done' \
	    'xx MIDDLE|.done' 'xab[ yes' > "$BATS_TEST_TMPDIR/lines"
	cat > "$BATS_TEST_TMPDIR/patterns" <<-'EOF2'
	^(?<ts>\S+)\x09(?<level>\w+)\x09ABC (?<msg>.*)$
	\x41 to \x41{3}
	\101{3}101
	\cA ctl ABC
	(?<w>abc)-\g1
	(?<a>abc)-\k<a>
	(a)bc\g{-1}
	dig [[:digit:]]+ end
	ab[[:x]+ yes
	[[:alpha:]]+ end
	(?mi)mixed case line
	(?si)MIXED CASE LINE
	(?sx)a \ b \ c
	(?i)ABC
	(?x) a b c
	\Qbrace{1}\E x
	brace\{1} x
	tab\there
	k<a>(abc)\1
	\x{50}:ab ab
	q\.e\.d
	^(?:\[PRE\] )?x+ MIDDLE[|](?: tail)?y?z{0,2}\.done$
	ABC\p{Lu}?
	(*UTF)abc
	abc(?=-)-abc
	EOF2
	bad=
	while IFS= read -r pat; do
		printf '[p]\ntext = %s\nsystem_id = p\n' "$pat" > "$BATS_TEST_TMPDIR/p.rules"
		want=$(pcre2grep -n -e "$pat" "$BATS_TEST_TMPDIR/lines" | cut -d: -f1 | paste -sd, -)
		got=$(lognorm -n -r "$BATS_TEST_TMPDIR/p.rules" -x /dev/null "$BATS_TEST_TMPDIR/lines" |
		    jq -r .source.line | paste -sd, -)
		[ -n "$want" ] || fail "pattern '$pat' matches no line: fix the table"
		[ "$got" = "$want" ] ||
			bad="$bad"$'\n'"pattern '$pat': lognorm matched lines '$got', pcre2grep '$want'"
	done < "$BATS_TEST_TMPDIR/patterns"
	[ -z "$bad" ] || fail "$bad"
}

@test "rules: match_limit and depth_limit, with a default far below PCRE2's" {
	# a lazy group over a 200 kB line needs ~200k steps: past the default
	# of 100,000 (PCRE2's own is 10,000,000), within a rule's higher limit
	{ printf 'A '; head -c 200000 /dev/zero | tr '\0' x; echo ' Z'; } > "$BATS_TEST_TMPDIR/long"
	printf '[lazy]\ntext = ^A (?<a>.*?) Z$\nsystem_id = x\n' > "$BATS_TEST_TMPDIR/l.rules"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/l.rules" "$BATS_TEST_TMPDIR/long"
	assert_failure 1
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/long:1: match error: rule 'lazy': match limit exceeded"
	printf '[lazy]\nmatch_limit = 10000000\ndepth_limit = 50\ntext = ^A (?<a>.*?) Z$\nsystem_id = x\n' > "$BATS_TEST_TMPDIR/l.rules"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/l.rules" "$BATS_TEST_TMPDIR/long"
	assert_success
	# a loghub header rule fails a 10000-word line it does not match within
	# 1000 steps (its lazy form ran into PCRE2's 10,000,000 at 100 words)
	printf '[hdfs]\nheader = <Date> <Time> <Pid> <Level> <Component>: <Content>\nmatch_limit = 1000\nsystem_id = hdfs\n' > "$BATS_TEST_TMPDIR/h.rules"
	{ yes 'w:x' | head -10000 | tr '\n' ' '; echo; } > "$BATS_TEST_TMPDIR/words"
	echo '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating' >> "$BATS_TEST_TMPDIR/words"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/h.rules" "$BATS_TEST_TMPDIR/words"
	assert_failure 1
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/words:1: no rule matched"
	run jq -r .attrs.Component <<<"$output"
	assert_output 'dfs.DataNode$PacketResponder'
	# the values are checked where they are read
	printf '[x]\ntext = x\nmatch_limit = 0\n' > "$BATS_TEST_TMPDIR/x.rules"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/x.rules" /dev/null
	assert_failure 2
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/x.rules:3: bad match_limit '0' (1 to 100000000)"
}

@test "output: a write error on stdout stops the run at once, exit 3, honest counts" {
	# yes(1) never ends: the run must stop by itself (timeout only turns
	# a hang into a failure)
	run --separate-stderr bash -c "yes '2025-05-04T10:30:00 ORDER: A - SUCCESS (ID: x)' |
	    timeout -k 10 60 lognorm -s > /dev/full"
	assert_failure 3
	assert_equal "${stderr_lines[0]}" "lognorm: write error on standard output: No space left on device"
	# nothing was written: nothing is counted as accepted
	[[ ${stderr_lines[1]} =~ ^lognorm:\ ([0-9]+)\ lines,\ 0\ blank,\ ([0-9]+)\ records,\ 0\ accepted,\ 0\ rejected,\ 0\ events,\ ([0-9]+)\ not\ written$ ]] ||
		fail "summary: ${stderr_lines[1]}"
	assert_equal "${BASH_REMATCH[2]}" "${BASH_REMATCH[1]}"
	assert_equal "${BASH_REMATCH[3]}" "${BASH_REMATCH[1]}"
	# then the rules' counts (of what they made), and nothing else
	assert_equal "${stderr_lines[2]}" "lognorm: records and events by rule:"
	assert_equal "${#stderr_lines[@]}" $((3 + $(lognorm -l | wc -l)))
}

@test "output: a write error on the reject file stops the run at once, exit 3" {
	run --separate-stderr bash -c "yes 'no rule matches this' |
	    timeout -k 10 60 lognorm -s -x /dev/full > /dev/null"
	assert_failure 3
	assert_equal "${stderr_lines[0]}" "lognorm: /dev/full: No space left on device"
	assert_equal "${stderr_lines[1]}" "lognorm: 1 lines, 0 blank, 1 records, 0 accepted, 0 rejected, 0 events, 1 not written"
}

@test "input: a line cut short by a read error (EIO) is a reject, not dropped nor taken whole" {
	# standard input is a hung-up terminal: two lines, the second without
	# its newline, then read(2) fails with EIO
	printf '2025-05-04T10:30:00 ORDER: A - SUCCESS (ID: x)\n2025-05-04T10:30:00 ORDER: A - SUCCESS (ID: y)' > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr "$LOGPROC_BIN/../tests/ptyfeed" "$BATS_TEST_TMPDIR/in" \
	    lognorm -s -x "$BATS_TEST_TMPDIR/rej"
	assert_failure 3
	run -0 jq -c '[.source.line, .correlation_id]' <<<"$output"
	assert_output '[1,"x"]'
	run -0 jq -c '[.line, .reason, .raw]' "$BATS_TEST_TMPDIR/rej"
	assert_output '[2,"read error: the line was cut short (Input/output error)","2025-05-04T10:30:00 ORDER: A - SUCCESS (ID: y)"]'
	assert_equal "$stderr" "lognorm: (stdin): Input/output error
lognorm: 2 lines, 0 blank, 2 records, 1 accepted, 1 rejected, 1 events
           1  read error
lognorm: records and events by rule:
$(lognorm -l | awk '{ printf "  %10d  %10d  %s\n", $1 == "orders", $1 == "orders", $1 }' | sed '$s/\n$//')"
}

@test "jq: an output that cannot be mapped is a reject of its own once the rule has made an event" {
	cat > "$BATS_TEST_TMPDIR/j.rules" <<-'EOF2'
	[multi]
	match = items
	jq = .items[] | if type == "string" then {reject: "bad item: \(.)", raw: .} else . end
	EOF2
	printf '%s\n' '{"items":[{"system_id":"a"},{"timestamp":"soon"},"x",{"system_id":"b"}]}' \
	    '{"items":[{"timestamp":"soon"},"x"]}' > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr lognorm -n -s -r "$BATS_TEST_TMPDIR/j.rules" -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/in"
	assert_failure 1
	run -0 jq -c '[.system_id, .source.index]' <<<"$output"
	assert_output $'["a",0]\n["b",3]'
	run -0 jq -c '[.line, .reason, .raw]' "$BATS_TEST_TMPDIR/rej"
	# a record without any event falls through and is one reject, with the
	# first reason, as before
	assert_output - <<-'EOF2'
	[1,"bad timestamp: 'soon' (output 2 of rule 'multi')","{\"timestamp\":\"soon\"}"]
	[1,"bad item: x (output 3 of rule 'multi')","x"]
	[2,"bad timestamp: 'soon'","{\"items\":[{\"timestamp\":\"soon\"},\"x\"]}"]
	EOF2
	assert_equal "${stderr_lines[0]}" "lognorm: 2 lines, 0 blank, 2 records, 1 accepted, 1 rejected, 2 events, 2 outputs rejected"
}

@test "jq: outputs per record and bytes per output are bounded" {
	cat > "$BATS_TEST_TMPDIR/j.rules" <<-'EOF2'
	[many]
	match = n
	jq_max_events = 3
	jq_max_bytes = 1024
	jq = range(.n) | {system_id: "x", pad: ("y" * (if . == 1 then 2000 else 1 end))}
	EOF2
	printf '%s\n' '{"n":10}' > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/j.rules" -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/in"
	assert_failure 1
	run -0 jq -c '.source.index' <<<"$output"
	assert_output $'0\n2'
	run -0 jq -r .reason "$BATS_TEST_TMPDIR/rej"
	assert_output "jq: output of 2026 bytes, more than 1024 (jq_max_bytes) (output 2 of rule 'many')
jq: more than 3 outputs (jq_max_events): the rest of the record is not read (output 4 of rule 'many')"
	printf '[r]\nmatch = n\njq = .\njq_max_events = 0\n' > "$BATS_TEST_TMPDIR/b.rules"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/b.rules" /dev/null
	assert_failure 2
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/b.rules:4: bad jq_max_events '0' (1 to 1000000000)"
}

@test "jq: events are written as they come, so an endless program still streams" {
	# repeat(.) never ends: without streaming nothing would ever be
	# written (the events piled up in memory); head ends the run
	printf '[rep]\nmatch = r\njq_max_events = 1000000000\njq = repeat({system_id: "x"})\n' > "$BATS_TEST_TMPDIR/j.rules"
	run -0 --separate-stderr bash -c "set -o pipefail; echo '{\"r\":1}' |
	    timeout -k 10 60 lognorm -n -r '$BATS_TEST_TMPDIR/j.rules' | head -c 100000 | wc -c"
	assert_output 100000
	assert_equal "$stderr" ''
}

@test "jq: a program that never ends is stopped by the watchdog, what came before is kept" {
	printf '[loop]\nmatch = loop\njq_timeout = 1\njq = if .loop then (def f: f; f) else {system_id: "ok"} end\n' > "$BATS_TEST_TMPDIR/j.rules"
	printf '%s\n' '{"loop":false}' '{"loop":true}' '{"loop":false}' > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr timeout -k 10 60 lognorm -n -r "$BATS_TEST_TMPDIR/j.rules" "$BATS_TEST_TMPDIR/in"
	assert_failure 3
	assert_equal "$stderr" "lognorm: $BATS_TEST_TMPDIR/in:2: rule 'loop': jq program still running after 1 s (jq_timeout): stopping"
	run -0 jq -c '[.system_id, .source.line]' <<<"$output"
	assert_output '["ok",1]'
}

@test "rules: JSON rules chosen by a field's value are tried in the same order as all of them" {
	# three rules test system == ..., so lognorm files them by that
	# value; the others must still be tried in their places, escaped and
	# non-string values go to the rules that do not test it
	cat > "$BATS_TEST_TMPDIR/d.rules" <<-'RULES'
	[x-high]
	priority = 5
	match = system == "x"
	match = high
	checkpoint_id = x-high
	[any-other]
	priority = 3
	match = other
	checkpoint_id = any-other
	[y]
	match = system == "y"
	checkpoint_id = y
	[x]
	match = system == "x"
	checkpoint_id = x
	[z-deep]
	priority = -1
	match = system == z
	checkpoint_id = z-deep
	RULES
	cat > "$BATS_TEST_TMPDIR/d.log" <<-'LOG'
	{"system":"x","high":1,"other":1}
	{"system":"x","other":1}
	{"system":"y","other":1}
	{"system":"y"}
	{"system":"\u0078"}
	{"system":5,"other":1}
	{"other":1}
	{"system":"z"}
	{"system":"q"}
	{"system":"x","system":"y"}
	LOG
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/d.rules" -x /dev/null "$BATS_TEST_TMPDIR/d.log"
	assert_failure 1
	run -0 jq -r '"\(.source.line) \(.checkpoint_id)"' <<<"$output"
	assert_output - <<-'EOF2'
	1 x-high
	2 any-other
	3 any-other
	4 y
	5 x
	6 any-other
	7 any-other
	8 z-deep
	10 y
	EOF2
}

@test "timestamps: the same text read by another rule or as another type is read again" {
	# lognorm keeps the last timestamp text it read, and what it gave;
	# a rule with another time_format must not take that answer
	cat > "$BATS_TEST_TMPDIR/t.rules" <<-'RULES'
	[dotted]
	match = kind == a
	time_format = %d.%m.%Y %H:%M:%S
	timestamp = $ts
	[auto]
	match = kind == b
	timestamp = $ts
	RULES
	printf '%s\n' '{"kind":"a","ts":"04.05.2025 10:30:00"}' \
	    '{"kind":"b","ts":"04.05.2025 10:30:00"}' \
	    '{"kind":"b","ts":"2025-05-04 10:30:00"}' \
	    '{"kind":"a","ts":"2025-05-04 10:30:00"}' \
	    '{"kind":"b","ts":"yesterday"}' '{"kind":"b","ts":"yesterday"}' \
	    '{"kind":"b","ts":"1746354600"}' '{"kind":"b","ts":1746354600}' \
	    '{"kind":"b","ts":1.7463546e9}' '{"kind":"b","ts":"1.7463546e9"}' \
	    > "$BATS_TEST_TMPDIR/t.log"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/t.rules" -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/t.log"
	assert_failure 1
	run -0 jq -c '[.source.line, .timestamp, .attrs.timestamp_raw]' <<<"$output"
	assert_output - <<-'EOF2'
	[1,"2025-05-04T10:30:00.000Z","04.05.2025 10:30:00"]
	[3,"2025-05-04T10:30:00.000Z","2025-05-04 10:30:00"]
	[7,"2025-05-04T10:30:00.000Z","1746354600"]
	[8,"2025-05-04T10:30:00.000Z",1746354600]
	[9,"2025-05-04T10:30:00.000Z",1746354600]
	EOF2
	run -0 jq -c '[.line, .reason]' "$BATS_TEST_TMPDIR/rej"
	assert_output - <<-'EOF2'
	[2,"bad timestamp: '04.05.2025 10:30:00'"]
	[4,"bad timestamp: '2025-05-04 10:30:00'"]
	[5,"bad timestamp: 'yesterday'"]
	[6,"bad timestamp: 'yesterday'"]
	[10,"bad timestamp: '1.7463546e9'"]
	EOF2
}

@test "rules: a text rule's attributes of the same name are one, the last, whichever way they come" {
	# a group, an attrs mapping and what lognorm adds (timestamp_raw,
	# status) may share a name: each name once, its last value, last
	cat > "$BATS_TEST_TMPDIR/a.rules" <<-'RULES'
	[clash]
	text = ^(?<timestamp_raw>\S+) (?<timestamp>\S+) (?<status>\S+) (?<note>\S+)$
	attrs.note = fixed
	[plain]
	text = ^plain (?<a>\S+) (?<b>\S+)$
	attrs.c = $a
	RULES
	printf '%s\n' 'raw 2025-05-04T10:30:00Z maybe n1' 'plain x y' > "$BATS_TEST_TMPDIR/a.log"
	run -0 --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/a.rules" "$BATS_TEST_TMPDIR/a.log"
	run -0 jq -c .attrs <<<"$output"
	assert_output - <<-'EOF2'
	{"note":"fixed","status":"maybe","timestamp_raw":"2025-05-04T10:30:00Z"}
	{"b":"y","c":"x"}
	EOF2
}

@test "rules: a header's last field is what the lazy group of its format takes" {
	# the header form reads its last field as .*\S| rather than the
	# lazy .*? that loghub's own parsers use: the same text, found
	# without trying the end of the line at each byte
	printf '[h]\nheader = <A> <B>: <Content>\n' > "$BATS_TEST_TMPDIR/h.rules"
	printf '[h]\ntext = ^\\s*(?<A>[^\\s]*+)\\s+(?<B>[^\\x{3a}]*+):\\s+(?<Content>.*?)\\s*$\n' \
	    > "$BATS_TEST_TMPDIR/lazy.rules"
	printf '%b\n' 'a b: c d e' 'a b: c d e   ' 'a b: c\t \t' 'a b:  ' 'a b: x' \
	    'a  b:   spaced   out  ' 'a b: \xc3\xa9t\xc3\xa9 ' 'a b: end\v' 'a b: tab\tin' \
	    'a b c: d: e' 'a b:' '  a b: lead' > "$BATS_TEST_TMPDIR/h.log"
	lognorm -n -r "$BATS_TEST_TMPDIR/lazy.rules" -x "$BATS_TEST_TMPDIR/rej.lazy" \
	    "$BATS_TEST_TMPDIR/h.log" > "$BATS_TEST_TMPDIR/lazy.out" || true
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/h.rules" \
	    -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/h.log"
	assert_failure 1
	[ "$(wc -l < "$BATS_TEST_TMPDIR/lazy.out")" -eq 11 ] || fail "too few events"
	diff -u "$BATS_TEST_TMPDIR/lazy.out" <(printf '%s\n' "$output")
	diff -u "$BATS_TEST_TMPDIR/rej.lazy" "$BATS_TEST_TMPDIR/rej"
}

@test "text: a capture is escaped when its line needs it, copied when it does not" {
	printf '[t]\ntext = ^(?<system_id>\\S*) (?<message>.*)$\n' > "$BATS_TEST_TMPDIR/t.rules"
	printf '%b\n' 'a plain text' 'b "quoted" \\back\\slash' 'c tab\there' \
	    'd caf\xc3\xa9' 'e bad\xffbyte' 'f del\x7f' 'g long plain text of more than sixteen bytes' \
	    'h "q"' > "$BATS_TEST_TMPDIR/t.log"
	run -0 --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/t.rules" "$BATS_TEST_TMPDIR/t.log"
	run -0 jq -j '.system_id, " ", .attrs.message, "\n"' <<<"$output"
	# what was read, but the byte that is not UTF-8 (U+FFFD)
	diff -u <(sed 's/\xff/\xef\xbf\xbd/' "$BATS_TEST_TMPDIR/t.log") <(printf '%s\n' "$output")
}

@test "explain: every rule tried, and why it did not take the record" {
	cat > "$BATS_TEST_TMPDIR/e.rules" <<-'RULES'
	[billing]
	match = service == "billing"
	match = level != debug
	system_id = $service
	[legacy]
	match = ts
	time_format = %d.%m.%Y %H:%M:%S
	timestamp = $ts
	[deploy]
	text = ^deploy (?<system_id>\w+) (?<status>\w+)$
	match = status != skipped
	[sized]
	text = ^size (?<n>\d+)$
	RULES
	printf '%s\n' '{"service":"billing","level":"debug"}' '{"ts":"yesterday"}' \
	    'deploy api skipped' 'deploy api ok' '[1,2]' '{"topic":"t","partition":0,"offset":5,"payload":"size x"}' \
	    > "$BATS_TEST_TMPDIR/e.log"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/e.rules" --explain -x /dev/null "$BATS_TEST_TMPDIR/e.log"
	assert_failure 1
	assert_output --partial '"rule":"deploy"'
	diff -u - <(printf '%s\n' "${stderr_lines[@]}" | sed "s|$BATS_TEST_TMPDIR/||") <<-'EOF2'
	lognorm: e.log:1: "{\"service\":\"billing\",\"level\":\"debug\"}"
	  billing              json  match 'level != debug' fails: level is "debug"
	  legacy               json  match 'ts' fails: ts is absent
	  deploy               text  the literal text "deploy " it needs is not in the line
	  sized                text  the literal text "size " it needs is not in the line
	  -> rejected: no rule matched: JSON record
	lognorm: e.log:2: "{\"ts\":\"yesterday\"}"
	  billing              json  match 'service == "billing"' fails: service is absent
	  legacy               json  did not take it: bad timestamp: 'yesterday'
	  deploy               text  the literal text "deploy " it needs is not in the line
	  sized                text  the literal text "size " it needs is not in the line
	  -> rejected: bad timestamp: 'yesterday'
	lognorm: e.log:3: "deploy api skipped"
	  deploy               text  match 'status != skipped' fails: status is "skipped"
	  sized                text  the literal text "size " it needs is not in the line
	  -> rejected: no rule matched
	lognorm: e.log:4: "deploy api ok"
	  -> 1 event by rule 'deploy'
	lognorm: e.log:5: "[1,2]"
	  billing              json  takes objects, not arrays
	  legacy               json  takes objects, not arrays
	  deploy               text  the literal text "deploy " it needs is not in the line
	  sized                text  the literal text "size " it needs is not in the line
	  -> rejected: no rule matched: JSON record
	lognorm: e.log:6: "{\"topic\":\"t\",\"partition\":0,\"offset\":5,\"payload\":\"size x\"}"
	  (a kcat envelope: its payload is the record)
	  deploy               text  the literal text "deploy " it needs is not in the line
	  sized                text  pattern does not match
	  -> rejected: no rule matched
	EOF2
}

@test "stats: -s gives the records and events of each rule, in the order tried" {
	run --separate-stderr lognorm -s -r "$FIXTURES/user.rules" -x /dev/null "$FIXTURES/user.log"
	assert_failure 1
	# the rules listed as -l lists them, with what each took
	rules=$(lognorm -l -r "$FIXTURES/user.rules" | awk '{print $1}')
	got=$(printf '%s\n' "${stderr_lines[@]}" | sed -n '/^lognorm: records and events by rule:$/,$p' | tail -n +2)
	diff -u <(printf '%s\n' "$rules") <(awk '{print $3}' <<<"$got")
	assert_equal "$(awk '$3 == "batch" {print $1, $2}' <<<"$got")" "1 2"
	assert_equal "$(awk '$3 == "orders" {print $1, $2}' <<<"$got")" "1 1"
	# they add up to the accepted records and the events
	read -r _ _ _ _ _ _ _ accepted _ _ _ events _ <<<"$(tr -d ',' <<<"${stderr_lines[0]}")"
	assert_equal "$(awk '{r += $1; e += $2} END {print r, e}' <<<"$got")" "$accepted $events"
}
