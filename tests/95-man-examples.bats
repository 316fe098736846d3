#!/usr/bin/env bats
# Every EXAMPLES command of the man pages works: each one is marked in the
# page source with a comment '.\" test: exit N' before its .Bd block.

load test_helper

# run_examples PAGE: run each marked example from a scratch directory that
# holds the sample files make install puts in PREFIX/share/logproc/examples
# (tests/fixtures/), and sees the repository's tests/ (the examples of
# logproc(7) name tests/fixtures/...), with TMPDIR there too, with
# pipefail, and compare its exit status with the page's mark and its
# output, the files themselves, with tests/golden/man/PAGE.N.out (standard
# output) and PAGE.N.err (standard error; none: it must be empty), N
# counting the page's examples from 1.  UPDATE_GOLDEN=1 writes them.
run_examples() {
	local page="$BATS_TEST_DIRNAME/../man/$1" n=0 cmd want rc g
	local out="$BATS_TEST_TMPDIR/out" err="$BATS_TEST_TMPDIR/err"
	cd "$BATS_TEST_TMPDIR"
	cp -R "$FIXTURES"/. .
	ln -s "$BATS_TEST_DIRNAME" tests
	export TMPDIR="$BATS_TEST_TMPDIR" LOGPROC_RULES=
	while IFS=$'\t' read -r want cmd; do
		n=$((n + 1))
		g="$GOLDEN/man/$1.$n"
		rc=0
		bash -o pipefail -c "$cmd" < /dev/null > "$out" 2> "$err" || rc=$?
		if [ -n "${UPDATE_GOLDEN:-}" ]; then
			mkdir -p "$GOLDEN/man"
			cp "$out" "$g.out"
			rm -f "$g.err"
			[ ! -s "$err" ] || cp "$err" "$g.err"
		fi
		[ "$rc" -eq "$want" ] ||
			fail "$1: '$cmd' exited $rc, the page says $want: $(head -c 300 "$err")"
		diff -u "$g.out" "$out" ||
			fail "$1: '$cmd': standard output differs from $g.out"
		if [ -f "$g.err" ]; then
			diff -u "$g.err" "$err" ||
				fail "$1: '$cmd': standard error differs from $g.err"
		else
			diff -u /dev/null "$err" ||
				fail "$1: '$cmd': unexpected standard error"
		fi
	done < <(awk '/^\.\\" test: exit/ { want = $NF; t = 1; next }
	    t && /^\.Bd/ { b = 1; next }
	    b && /^\.Ed/ { b = 0; t = 0; next }
	    b { gsub(/\\e/, "\\"); gsub(/\\&/, ""); gsub(/\\-/, "-");
	        print want "\t" $0 }' "$page")
	[ "$n" -gt 0 ] || fail "$1: no marked examples"
	# no golden file is left over from an example that is gone
	[ ! -e "$GOLDEN/man/$1.$((n + 1)).out" ] ||
		fail "$1: $GOLDEN/man/$1.$((n + 1)).out has no example"
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

@test "man: logreport(1) examples" {
	run_examples logreport.1
}
