#!/bin/bash
# scripts/bench.sh - logproc's filters against their peers on the same
# data, same machine, in one run side by side (make bench).  Not a test:
# figures vary from machine to machine and run to run; the README records
# them.
#
#   LINES=1000000   lines (events) per input (default 1,000,000)
#   RUNS=5          rounds; each command of a comparison runs once a round,
#                   in turn, and is reported by its median (min-max)
#   JQ_LINES=...    lines given to jq, which is slow (default LINES / 10)
#   ONLY=name       run one section: lognorm, stages, sqlload
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-1000000}
JQ_LINES=${JQ_LINES:-$((LINES / 10))}
RUNS=${RUNS:-5}
BIN=${BIN:-build/bin}
ONLY=${ONLY:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. scripts/bench/lib.sh

for tool in lognormalizer jq sqlite3 /usr/bin/time; do
	command -v "$tool" > /dev/null ||
		{ echo "bench: $tool not found (scripts/install-deps.sh)" >&2; exit 2; }
done
echo "bench: $(nproc) cores, $RUNS rounds, medians (min-max); $(date -u +%Y-%m-%d)"

section() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

if section lognorm; then
	# The seed mix: loggen's seed flows, every system's raw format
	# interleaved.
	"$BIN/loggen" -S 42 -n $((LINES / 20 + 100)) | head -n "$LINES" > "$tmp/mix"
	[ "$(wc -l < "$tmp/mix")" -eq "$LINES" ] ||
		{ echo "bench: loggen made too few lines" >&2; exit 3; }
	head -n "$JQ_LINES" "$tmp/mix" > "$tmp/mix.jq"
	echo
	echo "== lognorm: $LINES lines of loggen's seed mix ($(du -h "$tmp/mix" | cut -f1))"
	# Sanity: every line must be accepted, or the comparison means nothing.
	"$BIN/lognorm" -s -q "$tmp/mix" 2> "$tmp/stats" > /dev/null ||
		{ cat "$tmp/stats" >&2; echo "bench: lognorm rejected lines" >&2; exit 3; }
	sed 's/^/  /' "$tmp/stats"
	alternate "$LINES" "$tmp/mix" \
	    "lognorm (built-in rules)" "$BIN/lognorm -q" \
	    "lognormalizer (liblognorm, seed.rulebase)" \
	    "lognormalizer -r scripts/bench/seed.rulebase -e json"
	RUNS=1 alternate "$JQ_LINES" "$tmp/mix.jq" \
	    "jq -R (seed.jq, $JQ_LINES lines)" "jq -R -c -f scripts/bench/seed.jq"
	echo "  lognorm/lognormalizer: $(ratio "lognorm (built-in rules)" "lognormalizer (liblognorm, seed.rulebase)") (goal >= 3x)"
	awk -v a="${MEDIAN[lognorm (built-in rules)]}" -v b="${MEDIAN[jq -R (seed.jq, $JQ_LINES lines)]}" \
	    -v n="$LINES" -v m="$JQ_LINES" 'BEGIN {
		printf "  lognorm/jq:            %.1fx (goal >= 25x)\n", (n / a) / (m / b) }'
	# Peak memory must not grow with the input: 1x and 5x the lines.
	for i in 1 2 3 4 5; do cat "$tmp/mix"; done > "$tmp/mix5"
	echo "  lognorm peak memory: $(peak_rss "$BIN/lognorm" -q "$tmp/mix") KiB on $LINES lines, $(peak_rss "$BIN/lognorm" -q "$tmp/mix5") KiB on $((5 * LINES)) lines"
	rm -f "$tmp/mix5" "$tmp/mix.jq"
fi

if section stages; then
	. scripts/bench/stages.sh
fi

if section sqlload; then
	# sqlload and the whole pipeline into the database, with the same
	# sizes and rounds
	LINES=$LINES RUNS=$RUNS BIN=$BIN scripts/bench-sqlload.sh
fi
