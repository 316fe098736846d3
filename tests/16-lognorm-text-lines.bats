#!/usr/bin/env bats
# lognorm: the way of a text line, from the reader to the rule that takes
# it: lines read from a buffer, those that open a document, and which
# text rule wins when the rules' needles are looked for at once.

load test_helper

@test "input: a document opens with a line of its bracket and blanks, not with a bracket and more" {
	doc='  "system": "inventory",\n  "checkpoint": "C1",\n  "status": "SUCCESS",\n  "timestamp": "2025-05-04T10:30:00",\n  "correlation_id": "%s"\n}\n'
	printf "{ \t\n$doc  {\n$doc\t{\n$doc{\n$doc" b1 b2 b3 b4 > "$BATS_TEST_TMPDIR/open"
	printf '[INFO] 2025-05-04T10:30:00 ORDER: A - SUCCESS (ID: o1)\n{"system":"reporting","checkpoint":"R1","status":"OK","timestamp":"2025-05-04T10:30:01","correlation_id":"j1"}\n' >> "$BATS_TEST_TMPDIR/open"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/open"
	assert_success
	diff -u - <(jq -c '[.correlation_id, .source.line]' <<<"$output") <<-'EOF'
	["b1",1]
	["b2",8]
	["b3",15]
	["b4",22]
	["o1",29]
	["j1",30]
	EOF
}

@test "input: a CR ending a line (before its newline, or the input's end) is not part of it, one elsewhere is" {
	# the first line of a read is found otherwise than the lines after it
	printf 'first\r\nno rule\r\nno \r rule\nlast\r' > "$BATS_TEST_TMPDIR/cr"
	run --separate-stderr lognorm -x "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/cr"
	assert_failure 1
	diff -u - <(jq -c '[.line, .raw]' "$BATS_TEST_TMPDIR/rej") <<-'EOF'
	[1,"first"]
	[2,"no rule"]
	[3,"no \r rule"]
	[4,"last"]
	EOF
}

@test "text rules: the first rule in order that takes a line wins, whichever needles the line holds" {
	# every text rule has a needle: a line is searched for those of the
	# rules it passes by at once; one whose needle is there but whose
	# pattern fails does not end the search
	cat > "$BATS_TEST_TMPDIR/all.rules" <<-'EOF'
	[alpha]
	priority = 30
	text = ^ALPHA: (?<message>.*)$
	system_id = alpha
	[beta-digits]
	priority = 20
	text = ^BETA: (?<message>\d+)$
	system_id = digits
	[beta]
	priority = 10
	text = BETA: (?<message>.*)$
	system_id = beta
	[gamma]
	priority = 5
	text = ^GAMMA: (?<message>.*)$
	system_id = gamma
	EOF
	printf 'BETA: 12\nBETA: x\nALPHA: BETA: 1\nx BETA: 1\nGAMMA: z\nnone\n' > "$BATS_TEST_TMPDIR/lines"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/all.rules" -x /dev/null "$BATS_TEST_TMPDIR/lines"
	assert_failure 1
	diff -u - <(jq -r '.rule' <<<"$output") <<-'EOF'
	beta-digits
	beta
	alpha
	beta
	gamma
	EOF
	# a text rule with no needle between them is tried in its turn
	cat >> "$BATS_TEST_TMPDIR/all.rules" <<-'EOF'
	[bare]
	priority = 15
	text = ^(?<system_id>\S+) (?<message>\S+)$
	EOF
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/all.rules" -x /dev/null "$BATS_TEST_TMPDIR/lines"
	assert_failure 1
	diff -u - <(jq -r '.rule' <<<"$output") <<-'EOF'
	beta-digits
	bare
	alpha
	beta
	bare
	EOF
}
