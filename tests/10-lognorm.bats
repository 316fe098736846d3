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
	assert_output --partial "bad.rules:1: rule 'q': jq:"
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
