# Loaded by every tests/*.bats: the freshly built binaries first in PATH,
# bats-support and bats-assert, and where the fixtures are.
bats_require_minimum_version 1.5.0

: "${LOGPROC_BIN:=$BATS_TEST_DIRNAME/../build/bin}"
: "${LOGPROC_RULES:=$BATS_TEST_DIRNAME/../rules}"
export LOGPROC_RULES
PATH="$LOGPROC_BIN:$PATH"
FIXTURES="$BATS_TEST_DIRNAME/fixtures"
GOLDEN="$BATS_TEST_DIRNAME/golden"

for dir in /usr/lib/bats /usr/lib /usr/local/lib; do
	if [ -d "$dir/bats-support" ]; then
		load "$dir/bats-support/load"
		load "$dir/bats-assert/load"
		break
	fi
done

# golden NAME CMD...: run CMD in tests/fixtures (so that file names in the
# output are relative and the same on every machine) and compare its stdout
# with tests/golden/NAME exactly: the files themselves, so that a trailing
# newline, or a missing one, counts.  Then status, output, stderr and lines
# are set as by `run --separate-stderr`.  UPDATE_GOLDEN=1 rewrites the
# file instead (only on purpose, then review the diff).
golden() {
	local name=$1 got="$BATS_TEST_TMPDIR/golden.out" rc=0
	shift
	(cd "$FIXTURES" && "$@") > "$got" 2> "$got.err" || rc=$?
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		cp "$got" "$GOLDEN/$name"
	fi
	diff -u "$GOLDEN/$name" "$got" ||
		fail "output differs from golden file $name"
	run --separate-stderr bash -c 'cat "$1"; cat "$2" >&2; exit "$3"' _ \
	    "$got" "$got.err" "$rc"
}
