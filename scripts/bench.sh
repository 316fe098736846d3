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
#   ONLY=name       run one section: lognorm, stages, sqlload, depgraph,
#                   report
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

	# Hard cases, with the bounds and decoders that keep them cheap:
	# logfmt read natively (a line of 40,000 pairs took 72 s with the
	# former jq rule), a catastrophic pattern under the default match
	# limit, and 100,000 templates (sorted once, matched through a word
	# index).
	HARD_LINES=${HARD_LINES:-100000}
	awk -v n="$HARD_LINES" 'BEGIN { for (i = 0; i < n; i++)
		printf "time=2025-05-04T10:30:%02dZ level=%s service=svc%d msg=\"request %d done\" trace_id=%032x duration_ms=%d.5 path=/api/v1/items/%d\n",
		    i % 60, (i % 7 ? "info" : "error"), i % 13, i, i, i % 900, i }' > "$tmp/logfmt"
	awk 'BEGIN { for (i = 0; i < 40000; i++) printf "k%d=v%d ", i, i; print "msg=x" }' > "$tmp/wide"
	printf '[bad]\ntext = (a+)+$\nsystem_id = x\n' > "$tmp/bad.rules"
	awk 'BEGIN { s = ""; for (i = 0; i < 2000; i++) s = s "a"; for (i = 0; i < 1000; i++) print s "b" }' > "$tmp/aaa"
	printf '[msg]\ntext = ^(?<message>.*)$\nsystem_id = x\n' > "$tmp/msg.rules"
	awk 'BEGIN { print "EventId,EventTemplate"; for (i = 0; i < 100000; i++)
		printf "E%d,w%da <*> w%db <*> w%dc\n", i, i, i, i }' > "$tmp/t100k.csv"
	awk -v n="$HARD_LINES" 'BEGIN { for (i = 0; i < n; i++) { k = (i * 7919) % 100000;
		printf "w%da x%d w%db y w%dc\n", k, i, k, k } }' > "$tmp/msgs"
	: > "$tmp/empty"
	echo
	echo "== lognorm: hard cases"
	alternate "$HARD_LINES" "$tmp/logfmt" \
	    "lognorm -r logfmt ($HARD_LINES lines)" "$BIN/lognorm -q -n -r logfmt"
	RUNS=1 alternate 1 "$tmp/wide" \
	    "lognorm -r logfmt (1 line of 40,000 pairs)" "$BIN/lognorm -q -n -r logfmt"
	alternate 1000 "$tmp/aaa" \
	    "rule '(a+)+\$', 1000 lines of 2001 bytes" "$BIN/lognorm -q -n -r $tmp/bad.rules -x /dev/null"
	alternate 1 "$tmp/empty" \
	    "100,000 templates: load" "$BIN/lognorm -q -n -r $tmp/msg.rules -t $tmp/t100k.csv"
	alternate "$HARD_LINES" "$tmp/msgs" \
	    "100,000 templates: load + $HARD_LINES events" "$BIN/lognorm -q -n -r $tmp/msg.rules -t $tmp/t100k.csv"
fi

if section stages; then
	. scripts/bench/stages.sh
fi

if section sqlload; then
	# sqlload and the whole pipeline into the database, with the same
	# sizes and rounds
	LINES=$LINES RUNS=$RUNS BIN=$BIN scripts/bench-sqlload.sh
fi

if section depgraph; then
	# depgraph and the same edge aggregation in SQL and in jq
	BIN="$BIN" scripts/bench-depgraph.sh
fi

if section report; then
	. scripts/bench/report.sh
fi
