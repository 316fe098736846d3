#!/usr/bin/env bats
# lognorm | logjoin | tracebuild against loggen's ground truth (--truth):
# what was generated, not what the tools say of themselves.

load test_helper

# run_pipeline LOGGEN-ARGS...: raw lines, truth and traces in the test's
# directory.
run_pipeline() {
	loggen "$@" --truth "$BATS_TEST_TMPDIR/truth" > "$BATS_TEST_TMPDIR/raw"
	lognorm "$BATS_TEST_TMPDIR/raw" | logjoin | tracebuild > "$BATS_TEST_TMPDIR/traces"
}

# The tree of each flow: correlation id -> {system: parent}.
want_trees() {
	jq -S -c '{id: .correlation_id, tree: (.systems | map({(.system): .parent}) | add)}' \
	    "$BATS_TEST_TMPDIR/truth" | sort
}
got_trees() {
	jq -S -c 'select(.revision == 0) | {id: .trace_id, tree: (.spans |
	    map({(.service): .parent_span_id}) | add)}' "$BATS_TEST_TMPDIR/traces" | sort
}

# Failed checkpoints with their reasons: [id, system, checkpoint, reason,
# time]; SYSTEMS is a jq test on the system.
want_failures() {
	jq -c ".correlation_id as \$id | .checkpoints[] | select(.status == \"FAILURE\" and ($1)) |
	    [\$id, .system, .checkpoint, .reason, .time]" "$BATS_TEST_TMPDIR/truth" | sort
}
got_failures() {
	jq -c ".trace_id as \$id | .failures[] | select($1) |
	    [\$id, .system, .checkpoint, .reason, .time]" "$BATS_TEST_TMPDIR/traces" | sort
}

@test "truth: seed flows in order: every tree, every failure with its reason" {
	run_pipeline -S 31 -n 200 -p 0.5,0.4
	assert_equal "$(got_trees)" "$(want_trees)"
	want=$(want_failures true)
	[ "$(wc -l <<<"$want")" -gt 500 ]
	assert_equal "$(got_failures true)" "$want"
}

@test "truth: seed flows shuffled: the same trees; timed and inline reasons exact; none lost" {
	run_pipeline -S 31 -n 200 -p 0.5,0.4 --shuffle 30
	assert_equal "$(got_trees)" "$(want_trees)"
	# payments' error lines have times of their own; reporting and orders
	# give the reason inline: exact, whatever the order of the lines
	sys='.system != "inventory"'
	assert_equal "$(got_failures "$sys")" "$(want_failures "$sys")"
	# inventory's error lines have no time: shuffled, a reason may join
	# another failed attempt of its flow, but each flow keeps every reason
	# (joined, or on its error line when it joined nothing)
	want=$(jq -c '.correlation_id as $id | [.checkpoints[] |
	    select(.system == "inventory" and .status == "FAILURE") | .reason] |
	    sort | [$id, .]' "$BATS_TEST_TMPDIR/truth" | sort)
	got=$(lognorm "$BATS_TEST_TMPDIR/raw" | logjoin | jq -s -c '
	    map(select(.system_id == "inventory" and .status == "FAILURE" and
	      .failure_reason != null)) | group_by(.correlation_id) |
	    map([.[0].correlation_id, (map(.failure_reason) | sort)]) | .[]' | sort)
	got_ids=$(cut -d, -f1 <<<"$got")
	want=$(grep -F "$got_ids" <<<"$want")
	assert_equal "$got" "$want"
}

@test "truth: lines delivered twice change no tree and no failure" {
	run_pipeline -S 37 -n 150 -p 0.5,0.4 --dup 0.2
	assert_equal "$(got_trees)" "$(want_trees)"
	assert_equal "$(got_failures true)" "$(want_failures true)"
	# and the duplicates were seen
	run jq -s '[.[].problems[] | select(.kind == "duplicate_merged")] | length' \
	    "$BATS_TEST_TMPDIR/traces"
	[ "$output" -gt 0 ]
}

@test "truth: lost lines leave partial traces, never invented systems or reasons" {
	run_pipeline -S 41 -n 150 -p 0.5,0.4 --drop 0.1
	# a trace never has a system the flow did not visit
	run jq -s -c '[.[] | {(.correlation_id): [.systems[].system]}] | add' "$BATS_TEST_TMPDIR/truth"
	visited=$output
	run jq -c --argjson v "$visited" 'select(.revision == 0) |
	    .trace_id as $id | .services - $v[$id] | select(length > 0)' \
	    "$BATS_TEST_TMPDIR/traces"
	assert_output ''
	# a reason, when there is one, is one the flow really had
	want=$(want_failures true | jq -c '[.[0], .[1], .[3]]' | sort -u)
	got=$(jq -c '.trace_id as $id | .failures[] | select(.reason != null) |
	    [$id, .system, .reason]' "$BATS_TEST_TMPDIR/traces" | sort -u)
	run comm -13 <(echo "$want") <(echo "$got")
	assert_output ''
}

@test "truth: flows that failed for good are the failed traces" {
	run_pipeline -S 43 -n 150 -a 2 -p 0.3,0.5
	want=$(jq -r 'select(.status == "FAILURE") | .correlation_id' "$BATS_TEST_TMPDIR/truth" | sort)
	[ -n "$want" ]
	# the trace's last checkpoint of the system where it stopped failed
	got=$(jq -r 'select(.spans | any(.status == "FAILURE")) | .trace_id' \
	    "$BATS_TEST_TMPDIR/traces" | sort)
	assert_equal "$got" "$want"
}

@test "truth: span traces rebuild to the generated trees, in every format" {
	for f in flat spanlog; do
		loggen -f "$f" -S 47 -n 100 --truth "$BATS_TEST_TMPDIR/truth" |
		    lognorm | tracebuild > "$BATS_TEST_TMPDIR/traces"
		want=$(jq -c '.trace_id as $t | .spans[] | [$t, .span_id, .parent_span_id,
		    .service, (if .error then "FAILURE" else "SUCCESS" end), .start]' \
		    "$BATS_TEST_TMPDIR/truth" | sort)
		got=$(jq -c '.trace_id as $t | .spans[] | [$t, .span_id, .parent_span_id,
		    .service, .status, .start]' "$BATS_TEST_TMPDIR/traces" | sort)
		assert_equal "$got" "$want"
		# ends: exact from the span log's lines; from a start and a
		# duration, within the millisecond lost to the start's precision
		run jq -s -r --slurpfile tr "$BATS_TEST_TMPDIR/truth" '
		    def ms: (.[0:19] + "Z" | fromdateiso8601) * 1000 + (.[20:23] | tonumber);
		    ([$tr[] | .trace_id as $t | .spans[] | {key: ($t + .span_id), value: (.end | ms)}] | from_entries) as $e |
		    [.[] | .trace_id as $t | .spans[] | ((.end | ms) - $e[$t + .span_id]) | fabs] | max' \
		    "$BATS_TEST_TMPDIR/traces"
		if [ "$f" = spanlog ]; then assert_output 0; else [ "$output" -le 1 ]; fi
	done
	loggen -f otlp -S 47 -n 100 --truth "$BATS_TEST_TMPDIR/truth" |
	    lognorm -r otlp | tracebuild > "$BATS_TEST_TMPDIR/traces"
	want=$(jq -c '.trace_id as $t | .spans[] | [$t, .span_id, .parent_span_id,
	    .kind]' "$BATS_TEST_TMPDIR/truth" | sort)
	got=$(jq -c '.trace_id as $t | .spans[] | [$t, .span_id, .parent_span_id,
	    .kind]' "$BATS_TEST_TMPDIR/traces" | sort)
	assert_equal "$got" "$want"
}
