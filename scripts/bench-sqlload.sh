#!/bin/bash
# scripts/bench-sqlload.sh - sqlload against sqlite-utils, and the whole
# pipeline against cat, on the same data in one run (make bench calls it).
# Not a test: figures vary from machine to machine and run to run; the
# README records them.
#
#   LINES=1000000   lines of loggen's seed mix for the pipeline
#   EVENTS=200000   events for sqlload against sqlite-utils
#   RUNS=3          paired runs, alternated; medians with min-max
#
# sqlload loads into the indexed events table (schema/); sqlite-utils
# insert --nl into a new table of its own without indexes, which favours it.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-1000000}
EVENTS=${EVENTS:-200000}
RUNS=${RUNS:-3}
BIN=${BIN:-build/bin}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v sqlite-utils > /dev/null ||
	{ echo "bench: sqlite-utils not found (scripts/install-deps.sh)" >&2; exit 2; }

flows=$((LINES / 20 + 100))
"$BIN/loggen" -S 42 -n "$flows" | head -n "$LINES" > "$tmp/mix"
"$BIN/lognorm" -q "$tmp/mix" 2> /dev/null | head -n "$EVENTS" > "$tmp/events"
[ "$(wc -l < "$tmp/events")" -eq "$EVENTS" ] ||
	{ echo "bench: too few events" >&2; exit 3; }

# secs CMD...: wall-clock seconds of one run of CMD (a shell string)
secs() {
	local s e
	s=$(date +%s.%N)
	bash -c "$1" > /dev/null 2>&1 || { echo "bench: '$1' failed" >&2; exit 3; }
	e=$(date +%s.%N)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f\n", e - s }'
}
# stats N TIMES...: "median rate (min-max)" in N per second
stats() {
	local n=$1
	shift
	printf '%s\n' "$@" | sort -n | awk -v n="$n" '{ t[NR] = $1 }
	    END { m = t[int((NR + 1) / 2)]
	          printf "%.0f/s (%.0f-%.0f)\n", n / m, n / t[NR], n / t[1] }'
}

echo "bench: sqlload against sqlite-utils on $EVENTS events, $RUNS paired runs"
a=() b=()
for i in $(seq "$RUNS"); do
	rm -f "$tmp"/s.db*
	a+=("$(secs "$BIN/sqlload -q '$tmp/s.db' '$tmp/events'")")
	rm -f "$tmp"/u.db*
	b+=("$(secs "sqlite-utils insert '$tmp/u.db' events '$tmp/events' --nl")")
done
rs=$(stats "$EVENTS" "${a[@]}")
ru=$(stats "$EVENTS" "${b[@]}")
echo "  sqlload (indexed events)        $rs"
echo "  sqlite-utils insert --nl        $ru"
awk -v a="${rs%%/*}" -v b="${ru%%/*}" \
    'BEGIN { printf "  ratio: %.1fx (goal >= 8x)\n", a / b }'

echo "bench: the pipeline on $LINES seed-mix lines, $RUNS paired runs"
p=() c=()
for i in $(seq "$RUNS"); do
	rm -f "$tmp"/p.db*
	p+=("$(secs "$BIN/lognorm -q '$tmp/mix' | $BIN/logjoin -q | $BIN/sqlload -q '$tmp/p.db'")")
	c+=("$(secs "cat '$tmp/mix' | cat | cat")")
done
echo "  lognorm | logjoin | sqlload     $(stats "$LINES" "${p[@]}") lines"
echo "  cat | cat | cat (the ceiling)   $(stats "$LINES" "${c[@]}") lines"
