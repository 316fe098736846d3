#!/bin/bash
# scripts/bench.sh - lognorm against its peers on the same data, same machine,
# in one run side by side (make bench).  Not a test: figures vary from
# machine to machine and run to run; the README records them.
#
#   LINES=1000000   lines of loggen's seed mix (default 1,000,000)
#   JQ_LINES=...    lines given to jq (default: all of them; jq is slow)
#   RUNS=3          runs per tool; the best is kept
#
# Prints lines/s for each tool, the ratios lognorm/peer, and lognorm's peak
# memory (max RSS) on LINES and on 5 x LINES lines, which must stay flat.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-1000000}
JQ_LINES=${JQ_LINES:-$LINES}
RUNS=${RUNS:-3}
BIN=${BIN:-build/bin}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in lognormalizer jq /usr/bin/time; do
	command -v "$tool" > /dev/null ||
		{ echo "bench: $tool not found (scripts/install-deps.sh)" >&2; exit 2; }
done

# The seed mix: loggen's seed flows, every system's raw format interleaved.
flows=$((LINES / 20 + 100))
"$BIN/loggen" -S 42 -n "$flows" | head -n "$LINES" > "$tmp/mix"
[ "$(wc -l < "$tmp/mix")" -eq "$LINES" ] ||
	{ echo "bench: loggen made too few lines" >&2; exit 3; }
head -n "$JQ_LINES" "$tmp/mix" > "$tmp/mix.jq"

# best_time FILE CMD...: the best wall-clock seconds of RUNS runs (CMD reads
# FILE on stdin, writes to /dev/null); the max RSS (KiB) of that run goes to
# $tmp/rss.
best_time() {
	local file=$1 best= t m i
	shift
	for i in $(seq "$RUNS"); do
		/usr/bin/time -f '%e %M' -o "$tmp/t" "$@" < "$file" > /dev/null 2>&1 || true
		read -r t m < "$tmp/t"
		if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then
			best=$t
			echo "$m" > "$tmp/rss"
		fi
	done
	echo "$best"
}
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }'; }

echo "bench: $LINES lines of loggen's seed mix ($(du -h "$tmp/mix" | cut -f1)), $(nproc) cores, best of $RUNS"
# Sanity: every line must be accepted, or the comparison means nothing.
"$BIN/lognorm" -s -q "$tmp/mix" 2> "$tmp/stats" > /dev/null ||
	{ cat "$tmp/stats" >&2; echo "bench: lognorm rejected lines" >&2; exit 3; }
sed 's/^/  /' "$tmp/stats"

t_ln=$(best_time "$tmp/mix" "$BIN/lognorm" -q)
rss1=$(cat "$tmp/rss")
t_lr=$(best_time "$tmp/mix" lognormalizer -r scripts/bench/seed.rulebase -e json)
RUNS=1 t_jq=$(best_time "$tmp/mix.jq" jq -R -c -f scripts/bench/seed.jq)
r_ln=$(rate "$LINES" "$t_ln")
r_lr=$(rate "$LINES" "$t_lr")
r_jq=$(rate "$JQ_LINES" "$t_jq")
printf '%-44s %10s %12s\n' "tool" "seconds" "lines/s"
printf '%-44s %10s %12s\n' "lognorm (built-in rules)" "$t_ln" "$r_ln"
printf '%-44s %10s %12s\n' "lognormalizer (liblognorm, seed.rulebase)" "$t_lr" "$r_lr"
printf '%-44s %10s %12s\n' "jq -R (seed.jq, $JQ_LINES lines)" "$t_jq" "$r_jq"
awk -v a="$r_ln" -v b="$r_lr" -v c="$r_jq" 'BEGIN {
	printf "ratio lognorm/lognormalizer: %.1fx (goal >= 3x)\n", a / b
	printf "ratio lognorm/jq:            %.1fx (goal >= 25x)\n", a / c }'

# Peak memory must not grow with the input: 1x and 5x the lines.
for i in 1 2 3 4 5; do cat "$tmp/mix"; done > "$tmp/mix5"
rm -f "$tmp/mix.jq"
RUNS=1 best_time "$tmp/mix5" "$BIN/lognorm" -q > /dev/null
rss5=$(cat "$tmp/rss")
echo "lognorm peak memory: ${rss1} KiB on $LINES lines, ${rss5} KiB on $((5 * LINES)) lines"

# depgraph and its peers (scripts/bench-depgraph.sh).
BIN="$BIN" scripts/bench-depgraph.sh
