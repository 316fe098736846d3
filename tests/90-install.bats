#!/usr/bin/env bats
# make install: commands, man pages and shipped rules where PREFIX says,
# and an installed lognorm finds its rules by name there.

load test_helper

@test "install: a fresh build installed under a PREFIX works from there" {
	top="$BATS_TEST_DIRNAME/.."
	prefix="$BATS_TEST_TMPDIR/prefix"
	run make -s -C "$top" B="$BATS_TEST_TMPDIR/b" PREFIX="$prefix" install
	assert_success
	for f in bin/lognorm bin/loggen share/man/man1/lognorm.1 \
	    share/man/man1/loggen.1 share/man/man5/lognorm-rules.5 \
	    share/man/man7/logproc.7 share/logproc/rules/otlp.rules \
	    share/logproc/rules/zipkin.rules share/logproc/rules/jaeger.rules \
	    share/logproc/rules/logfmt.rules bin/sqlload bin/logproc-replay \
	    share/man/man1/sqlload.1 share/man/man1/logproc-replay.1 \
	    share/logproc/schema/001-tables.sql share/logproc/schema/README.md \
	    share/logproc/examples/seed.log share/logproc/examples/user.rules \
	    share/logproc/examples/spans/otlp-traces.json bin/depgraph \
	    share/man/man1/depgraph.1 share/logproc/examples/depgraph/seed.traces; do
		[ -f "$prefix/$f" ] || fail "missing $prefix/$f"
	done
	[ ! -e "$prefix/share/logproc/rules/builtin.rules" ]
	# the installed rules directory is compiled in: no LOGPROC_RULES needed
	LOGPROC_RULES= run "$prefix/bin/lognorm" -l -n -r otlp -r zipkin
	assert_success
	assert_line --regexp '^otlp-traces '
	run "$prefix/bin/lognorm" --version
	assert_output --regexp '^lognorm \(logproc\) '
	# the installed man pages name no file that is not installed
	run grep -n 'tests/\|fixtures\|builtin\.rules' \
	    "$prefix/share/man/man1/lognorm.1" \
	    "$prefix/share/man/man5/lognorm-rules.5" \
	    "$prefix/share/man/man1/depgraph.1"
	assert_failure 1
	# their examples run from the installed examples directory
	cd "$prefix/share/logproc/examples"
	run -0 "$prefix/bin/lognorm" -n -r ./user.rules -l
	run -1 --separate-stderr "$prefix/bin/lognorm" -r ./user.rules \
	    -t templates.csv user.log
}
