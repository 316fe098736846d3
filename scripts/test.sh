#!/bin/sh
# The README's second command: install what is missing, build, run the whole
# suite (plain and under ASan+UBSan), the man page and C lint and, when
# ../shared/data is there, the acceptance suite on real third-party data,
# and a short round of every fuzz harness (FUZZ_SECONDS each, default 5).
# Ends with one line "total: N passed, N failed".
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
LOGPROC_COUNTS=$(mktemp)
export LOGPROC_COUNTS
trap 'rm -f "$LOGPROC_COUNTS"' EXIT
status=0
make -s all
make -s lint || status=1
make -s check || status=1
make -s acceptance || status=1
make -s fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-5}" || status=1
awk '{ p += $1; f += $2 } END { printf "total: %d passed, %d failed\n", p, f }' \
    "$LOGPROC_COUNTS"
exit "$status"
