#!/bin/sh
# scripts/demo.sh - the main job on a bundled example: simulate the seed
# systems with loggen, and run their raw logs through the pipeline,
# lognorm | logjoin | tracebuild, to answer the forensic question "which
# flows failed, where, and why?".
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== raw lines from loggen (4 systems, their own formats, interleaved;"
echo "   failures retried, some flows failing for good, error lines apart):"
loggen -S 7 -n 20 -p 0.3,0.25,0.2 > "$tmp/raw.log"
head -n 6 "$tmp/raw.log"
echo "   ... $(wc -l < "$tmp/raw.log") lines"
echo
echo "== lognorm | logjoin | tracebuild: one trace record per flow"
lognorm "$tmp/raw.log" | logjoin | tracebuild > "$tmp/traces.ndjson"
echo "   $(wc -l < "$tmp/traces.ndjson") traces, $(jq -s 'map(select(.status == "FAILURE")) | length' "$tmp/traces.ndjson") failed for good"
echo
echo "== which flows failed for good, where, and why (jq over the traces):"
jq -r 'select(.spans | any(.status == "FAILURE")) | .trace_id as $id |
    .spans[] | select(.status == "FAILURE") |
    [$id[0:8], .service, .name, .failure_reason] | @tsv' "$tmp/traces.ndjson"
echo
echo "== the one that got furthest, as a tree (tracebuild -f tree):"
id=$(jq -s -r 'map(select(.status == "FAILURE")) | max_by(.span_count) |
    .trace_id' "$tmp/traces.ndjson")
lognorm "$tmp/raw.log" | logjoin | tracebuild -f tree --color=never -T "$id"
