#!/bin/bash
# scripts/bench-depgraph.sh - depgraph against its peers on the same span
# traces, same machine, in one run (make bench runs it after bench.sh).
# Not a test: figures vary from machine to machine and run to run; the
# README records them.
#
#   TRACES=200000   loggen span-log traces (5 spans each: 1,000,000 spans)
#   JQ_TRACES=20000 of them given to jq (jq is slow)
#   RUNS=5          paired runs: depgraph, sqlite3 and jq one after the
#                   other, the order turned each run; medians with min-max
#
# The input is loggen's span log (-f spanlog) through lognorm and
# tracebuild: trace records, as depgraph reads them.  The peers do the
# same edge aggregation (calls, errors, average, p50/p95/p99 exact, max
# per source and target): sqlite3 with SQL over the spans loaded into a
# table beforehand (the load is not timed), and jq over the trace records.
# The edges' calls and errors must agree, and depgraph's p95 must be
# within 1% of sqlite3's exact one, or the comparison means nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
TRACES=${TRACES:-200000}
JQ_TRACES=${JQ_TRACES:-20000}
RUNS=${RUNS:-5}
BIN=${BIN:-build/bin}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in sqlite3 jq; do
	command -v "$tool" > /dev/null ||
		{ echo "bench-depgraph: $tool not found (scripts/install-deps.sh)" >&2; exit 2; }
done

"$BIN/loggen" -f spanlog -n "$TRACES" -S 42 | "$BIN/lognorm" -q |
    "$BIN/tracebuild" -q > "$tmp/traces" 2> /dev/null
head -n "$JQ_TRACES" "$tmp/traces" > "$tmp/traces.jq"
spans_of() { grep -o '"span_count":[0-9]*' "$1" | awk -F: '{ s += $2 } END { print s }'; }
spans=$(spans_of "$tmp/traces")
jq_spans=$(spans_of "$tmp/traces.jq")

# The spans into SQLite, with its own JSON functions (not timed).
t0=$(date +%s.%N)
sqlite3 -batch "$tmp/spans.db" <<-SQL
	CREATE TABLE raw(line TEXT);
	.mode ascii
	.separator "$(printf '\037')" "\n"
	.import $tmp/traces raw
	CREATE TABLE spans AS SELECT
	    json_extract(s.value, '\$.service') AS service,
	    json_extract(s.value, '\$.target') AS target,
	    json_extract(s.value, '\$.duration_ms') AS duration_ms,
	    json_extract(s.value, '\$.status') AS status
	  FROM raw, json_each(raw.line, '\$.spans') AS s;
	DROP TABLE raw;
	VACUUM;
SQL
t1=$(date +%s.%N)

# The edge aggregation of the span-log model in SQL: each span that names
# a target is a call; a span in progress (no status) has no latency.
cat > "$tmp/edges.sql" <<'SQL'
WITH c AS (SELECT service AS source, target, status,
             CASE WHEN status IS NOT NULL THEN duration_ms END AS d
           FROM spans WHERE target IS NOT NULL),
a AS (SELECT source, target, COUNT(*) AS calls,
        SUM(status = 'FAILURE') AS errors, AVG(d) AS avg, MAX(d) AS max
      FROM c GROUP BY source, target),
r AS MATERIALIZED (SELECT source, target, d,
        ROW_NUMBER() OVER (PARTITION BY source, target ORDER BY d) - 1 AS rk,
        COUNT(*) OVER (PARTITION BY source, target) AS n
      FROM c WHERE d IS NOT NULL)
SELECT a.source, a.target, a.calls, a.errors, round(a.avg, 3),
  MAX(CASE WHEN r.rk = CAST(0.50 * (r.n - 1) AS INTEGER) THEN r.d END),
  MAX(CASE WHEN r.rk = CAST(0.95 * (r.n - 1) AS INTEGER) THEN r.d END),
  MAX(CASE WHEN r.rk = CAST(0.99 * (r.n - 1) AS INTEGER) THEN r.d END),
  a.max
FROM a JOIN r USING (source, target)
GROUP BY a.source, a.target ORDER BY 1, 2;
SQL

# The same in jq: the calls gathered, grouped by edge, each group's
# durations sorted (group_by sorts once: no array rebuilt per call).
cat > "$tmp/edges.jq" <<'JQ'
[inputs | .spans[] | select(.target != null)
 | {k: (.service + "\t" + .target), e: (.status == "FAILURE"),
    d: (if .status != null then .duration_ms else null end)}]
| group_by(.k)[]
| ([.[].d | select(. != null)] | sort) as $d | ($d | length) as $n
| [.[0].k, length, (map(select(.e)) | length),
   ($d | add / $n * 1000 | round / 1000),
   $d[($n - 1) * 0.50 | floor], $d[($n - 1) * 0.95 | floor],
   $d[($n - 1) * 0.99 | floor], $d[-1]]
| map(tostring) | join("\t")
JQ

run_depgraph() { "$BIN/depgraph" -q "$tmp/traces" > "$tmp/out.depgraph"; }
run_sqlite() { sqlite3 -batch -separator "$(printf '\t')" "$tmp/spans.db" < "$tmp/edges.sql" > "$tmp/out.sqlite"; }
run_jq() { jq -n -r -f "$tmp/edges.jq" "$tmp/traces.jq" > "$tmp/out.jq"; }

# Sanity: the same edges, calls and errors; p95 within 1%.
run_depgraph
run_sqlite
diff <(jq -r 'select(.type == "edge") | [.source, .target, .calls, .errors] | @tsv' "$tmp/out.depgraph") \
    <(cut -f1-4 "$tmp/out.sqlite") > /dev/null ||
	{ echo "bench-depgraph: depgraph and sqlite3 count different edges" >&2; exit 3; }
paste <(jq -r 'select(.type == "edge") | .latency.p95' "$tmp/out.depgraph") \
    <(cut -f7 "$tmp/out.sqlite") |
    awk '{ if ($1 - $2 > 0.01 * $2 || $2 - $1 > 0.01 * $2) bad = 1 } END { exit bad }' ||
	{ echo "bench-depgraph: depgraph's p95 is not within 1% of sqlite3's" >&2; exit 3; }

# time_it NAME CMD: one run's wall-clock seconds appended to $tmp/t.NAME.
time_it() {
	local name=$1 TIMEFORMAT=%R
	shift
	{ time "$@" 2> /dev/null; } 2>> "$tmp/t.$name"
}
for i in $(seq "$RUNS"); do
	case $((i % 3)) in
	1) time_it depgraph run_depgraph; time_it sqlite run_sqlite; time_it jq run_jq ;;
	2) time_it sqlite run_sqlite; time_it jq run_jq; time_it depgraph run_depgraph ;;
	0) time_it jq run_jq; time_it depgraph run_depgraph; time_it sqlite run_sqlite ;;
	esac
done

# stats NAME SPANS: "median (min-max) seconds" and spans/s of each.
stats() {
	sort -n "$tmp/t.$1" | awk -v n="$2" '{ t[NR] = $1 } END {
		m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
		printf "%8.2f (%.2f-%.2f) %12.0f (%.0f-%.0f)\n", m, t[1], t[NR],
		    n / m, n / t[NR], n / t[1] }'
}
median_rate() { stats "$1" "$2" | awk '{ print $3 }'; }

echo "bench-depgraph: $TRACES loggen span-log traces, $spans spans ($(du -h "$tmp/traces" | cut -f1) of trace records), $(nproc) cores, $RUNS paired runs"
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "  sqlite3: spans loaded in %.1f s (not timed below)\n", b - a }'
printf '%-40s %9s %8s %-11s %12s %s\n' tool spans seconds "(min-max)" spans/s "(min-max)"
printf '%-40s %9s %s\n' "depgraph" "$spans" "$(stats depgraph "$spans")"
printf '%-40s %9s %s\n' "sqlite3 $(sqlite3 --version | cut -d' ' -f1) (SQL over loaded spans)" "$spans" "$(stats sqlite "$spans")"
printf '%-40s %9s %s\n' "jq $(jq --version | sed 's/^jq-//')" "$jq_spans" "$(stats jq "$jq_spans")"
awk -v a="$(median_rate depgraph "$spans")" -v b="$(median_rate sqlite "$spans")" \
    -v c="$(median_rate jq "$jq_spans")" 'BEGIN {
	printf "ratio depgraph/sqlite3: %.1fx   depgraph/jq: %.1fx   (goal: >= 1,000,000 spans/s)\n", a / b, a / c }'
