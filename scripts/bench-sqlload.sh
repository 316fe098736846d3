#!/bin/bash
# scripts/bench-sqlload.sh - sqlload alone and against SQLite's own floor,
# sqlload against sqlite-utils, and the whole pipeline against cat, on the
# same data in one run.  make bench runs it (ONLY=sqlload scripts/bench.sh
# runs it alone, as does calling it).  Not a test: figures vary from
# machine to machine and run to run; the README records them.
#
#   LINES=1000000   lines of loggen's seed mix: the pipeline's input, and
#                   the events sqlload loads alone
#   EVENTS=200000   events for sqlload against sqlite-utils (which is slow)
#   RUNS=5          rounds; the commands of a comparison run once a round,
#                   in turn, and are reported by their median (min-max)
#
# sqlload loads into the indexed events table (schema/), a new database
# each round; sqlite-utils insert --nl into a new table of its own without
# indexes, which favours it.  The floor (build/tests/sqlfloor) is SQLite
# alone inserting the rows sqlload loaded, with sqlload's settings: what
# no loader of this schema on SQLite can beat here.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-1000000}
EVENTS=${EVENTS:-200000}
RUNS=${RUNS:-5}
BIN=${BIN:-build/bin}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. scripts/bench/lib.sh

for tool in sqlite-utils /usr/bin/time; do
	command -v "$tool" > /dev/null ||
		{ echo "bench: $tool not found (scripts/install-deps.sh)" >&2; exit 2; }
done
floor=$BIN/../tests/sqlfloor
[ -x "$floor" ] || { echo "bench: $floor not built (make)" >&2; exit 2; }

"$BIN/loggen" -S 42 -n $((LINES / 20 + 100)) | head -n "$LINES" > "$tmp/mix"
"$BIN/lognorm" -q "$tmp/mix" > "$tmp/events" 2> /dev/null || true
head -n "$EVENTS" "$tmp/events" > "$tmp/events.part"
nev=$(wc -l < "$tmp/events")
[ "$(wc -l < "$tmp/events.part")" -eq "$EVENTS" ] ||
	{ echo "bench: too few events" >&2; exit 3; }

echo
echo "== sqlload: $nev events of the seed mix into the indexed events table"
"$BIN/sqlload" -q "$tmp/again.db" "$tmp/events" > /dev/null
alternate "$nev" "$tmp/events" \
    "sqlload, a new database" "rm -f $tmp/s.db*; $BIN/sqlload -q $tmp/s.db" \
    "sqlload again, the same events (a replay)" "$BIN/sqlload -q $tmp/again.db"
# The floor, alternated with itself: its own times, of the inserts and
# the last checkpoint (reading the rows into memory first is not timed).
f1="SQLite alone, the same rows (sqlfloor)"
f2="SQLite alone, no secondary index (sqlfloor -n)"
for round in $(seq "$RUNS"); do
	rm -f "$tmp"/f.db*
	TIMES[$f1]+="$("$floor" "$tmp/s.db" "$tmp/f.db" | awk '{ print $4 }') "
	rm -f "$tmp"/f.db*
	TIMES[$f2]+="$("$floor" -n "$tmp/s.db" "$tmp/f.db" | awk '{ print $4 }') "
done
report "$nev" "$f1"
report "$nev" "$f2"
rm -f "$tmp"/f.db* "$tmp"/again.db*
# rate LABEL: events per second by LABEL's median
rate() { awk -v n="$nev" -v t="${MEDIAN[$1]}" 'BEGIN { printf "%.0f/s", n / t }'; }
echo "  sqlload $(rate "sqlload, a new database") (goal >= 500,000/s); SQLite alone $(rate "$f1"), $(rate "$f2") without the secondary indexes"
echo "  sqlload peak memory: $(peak_rss "$BIN/sqlload" -q "$tmp/m.db" "$tmp/events") KiB"
rm -f "$tmp"/m.db* "$tmp"/s.db*

echo
echo "== sqlload against sqlite-utils: $EVENTS events"
alternate "$EVENTS" "$tmp/events.part" \
    "sqlload (indexed events table)" "rm -f $tmp/s.db*; $BIN/sqlload -q $tmp/s.db" \
    "sqlite-utils insert --nl (no index)" "rm -f $tmp/u.db*; sqlite-utils insert $tmp/u.db events - --nl"
echo "  sqlload/sqlite-utils: $(ratio "sqlload (indexed events table)" "sqlite-utils insert --nl (no index)") (goal >= 8x)"
rm -f "$tmp"/s.db* "$tmp"/u.db*

echo
echo "== the pipeline from a file: $LINES lines of the seed mix"
alternate "$LINES" /dev/null \
    "cat | cat | cat (the ceiling)" "cat $tmp/mix | cat | cat" \
    "lognorm | logjoin | sqlload" "rm -f $tmp/p.db*; $BIN/lognorm -q $tmp/mix | $BIN/logjoin -q | $BIN/sqlload -q $tmp/p.db"
echo "  cat | cat | cat is $(ratio "cat | cat | cat (the ceiling)" "lognorm | logjoin | sqlload") faster than the pipeline"
