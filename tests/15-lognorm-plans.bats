#!/usr/bin/env bats
# lognorm: text rules whose events are written from a plan made when the
# rule is compiled (cmd/lognorm/plan.c).  The golden events were made
# before plans existed, through the general mapping: a plan must write
# the same bytes.

load test_helper

@test "plans: a text rule's events are those of the general mapping, byte for byte" {
	golden plan.events lognorm -n -r ./plan.rules -t ./templates.csv -y 2005 -x /dev/null plan.log
	assert_failure 1
}

@test "plans: a line a plan cannot map is rejected with the reason, as before" {
	run --separate-stderr lognorm -n -r "$FIXTURES/plan.rules" -y 2005 \
	    -x "$BATS_TEST_TMPDIR/rej" "$FIXTURES/plan.log"
	assert_failure 1
	diff -u - <(jq -r '[.line, .reason] | @tsv' "$BATS_TEST_TMPDIR/rej") <<-'EOF2'
	4	bad duration_ms: 'abc'
	10	bad timestamp: '2025-13-04 10:30:01'
	16	bad part: 'other' (main or detail)
	EOF2
}

@test "plans: a group named message is what templates classify" {
	run --separate-stderr lognorm -n -r "$FIXTURES/plan.rules" \
	    -t "$FIXTURES/templates.csv" -y 2005 -x /dev/null "$FIXTURES/plan.log"
	assert_failure 1
	diff -u - <(jq -r 'select(.attrs.template_id) | [.source.line, .attrs.template_id] | @tsv' <<<"$output") <<-'EOF2'
	5	E2
	13	E3
	EOF2
}

@test "plans: a template's text is written escaped, whatever the line" {
	printf '[q]\ntext = ^Q (?<message>.*)$\nsystem_id = q\n' > "$BATS_TEST_TMPDIR/q.rules"
	printf 'EventId,EventTemplate\nQ2,back\\slash <*>\n' > "$BATS_TEST_TMPDIR/q.csv"
	printf 'Q back\\slash x\n' > "$BATS_TEST_TMPDIR/q.log"
	run --separate-stderr lognorm -n -r "$BATS_TEST_TMPDIR/q.rules" \
	    -t "$BATS_TEST_TMPDIR/q.csv" "$BATS_TEST_TMPDIR/q.log"
	assert_success
	diff -u - <(jq -r '.attrs.template' <<<"$output") <<-'EOF2'
	back\slash <*>
	EOF2
}

# The golden events were made by the general mapping's writer (lognorm
# before a plan wrote its times and ids itself).
@test "plans: times within a minute, across minutes and before 1970, ids of every length, as the general mapping writes them" {
	golden plan.times.events lognorm -n -r ./plan.rules -y 2005 plan.times.log
	assert_success
}

@test "plans: a status and a part set to constants, in the skeleton or line by line, as the general mapping writes them" {
	golden plan.const.events lognorm -n -r ./plan.const.rules plan.const.log
	assert_success
}
