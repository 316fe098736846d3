#!/usr/bin/env bats
# lognorm: JSON records indexed through their shapes, the names of their
# members in order, kept from the records before (cmd/lognorm/shape.c).
# The golden events were made before shapes existed, each record's
# members looked up by name: indexed by its shape, a record must make
# the same event.  The records: the same names in two orders one after
# another, a name given twice, an escaped name, the same names with a
# value nested or not (its members' values elsewhere), more shapes in
# turn than are kept, more members than a shape holds, white space, a
# dispatch value escaped, null or a number; a value and a name of
# invalid UTF-8, an empty object, a line cut short.

load test_helper

@test "shapes: records of shapes seen before make the events of the general lookup" {
	golden shapes.events lognorm -r ./shapes.rules -x /dev/null shapes.ndjson
	# a system null or 7 is no rule's
	assert_failure 1
}

@test "shapes: the seed mix makes the events that each record makes alone" {
	local line
	loggen -S 7 -n 40 | grep '^{' | head -n 200 > "$BATS_TEST_TMPDIR/mix"
	run --separate-stderr lognorm -q "$BATS_TEST_TMPDIR/mix"
	assert_success
	diff -u <(while IFS= read -r line; do
			printf '%s\n' "$line" | lognorm -q
		done < "$BATS_TEST_TMPDIR/mix" | jq -c 'del(.source)') \
	    <(jq -c 'del(.source)' <<<"$output")
}
