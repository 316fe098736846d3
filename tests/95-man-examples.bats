#!/usr/bin/env bats
# Every EXAMPLES command of the man pages works: each one is marked in the
# page source with a comment '.\" test: exit N' before its .Bd block.

load test_helper

# run_examples PAGE: run each marked example from a scratch directory that
# sees the repository's tests/ (examples name tests/fixtures/...).
run_examples() {
	local page="$BATS_TEST_DIRNAME/../man/$1" n=0 cmd want
	cd "$BATS_TEST_TMPDIR"
	ln -s "$BATS_TEST_DIRNAME" tests
	while IFS=$'\t' read -r want cmd; do
		n=$((n + 1))
		run bash -c "$cmd" < /dev/null
		[ "$status" -eq "$want" ] ||
			fail "$1: '$cmd' exited $status, the page says $want: ${output:0:300}"
	done < <(awk '/^\.\\" test: exit/ { want = $NF; t = 1; next }
	    t && /^\.Bd/ { b = 1; next }
	    b && /^\.Ed/ { b = 0; t = 0; next }
	    b { gsub(/\\e/, "\\"); gsub(/\\&/, ""); gsub(/\\-/, "-");
	        print want "\t" $0 }' "$page")
	[ "$n" -gt 0 ] || fail "$1: no marked examples"
}

@test "man: lognorm(1) examples" {
	run_examples lognorm.1
}

@test "man: lognorm-rules(5) examples" {
	run_examples lognorm-rules.5
}

@test "man: logproc(7) examples" {
	run_examples logproc.7
}

@test "man: loggen(1) examples" {
	run_examples loggen.1
}

@test "man: logjoin(1) examples" {
	run_examples logjoin.1
}

@test "man: tracebuild(1) examples" {
	run_examples tracebuild.1
}

@test "man: sqlload(1) examples" {
	run_examples sqlload.1
}

@test "man: logproc-replay(1) examples" {
	run_examples logproc-replay.1
}

@test "man: depgraph(1) examples" {
	run_examples depgraph.1
}
