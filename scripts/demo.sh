#!/bin/sh
# scripts/demo.sh - the main job on a bundled example: simulate the seed
# systems with loggen, normalize their raw logs with lognorm, and answer a
# forensic question with jq ("which checkpoints failed, and why?").
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/build/bin:$PATH"
export LOGPROC_RULES="$PWD/rules"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== raw lines from loggen (4 systems, their own formats, interleaved):"
loggen -S 7 -n 20 > "$tmp/raw.log"
head -n 6 "$tmp/raw.log"
echo "   ... $(wc -l < "$tmp/raw.log") lines"
echo
echo "== lognorm: one event per line (the first one shown):"
lognorm -s "$tmp/raw.log" > "$tmp/events.ndjson"
head -n 1 "$tmp/events.ndjson"
echo
echo "== failures per system and checkpoint, with the reasons logged for them:"
jq -r 'select(.status == "FAILURE") |
    [.system_id, (.checkpoint_id // "(error line)"), (.failure_reason // "-")] | @tsv' \
    "$tmp/events.ndjson" | sort | uniq -c | sort -rn | head -n 12
echo
echo "== the same for OTLP traces (loggen -f otlp | lognorm -r otlp):"
loggen -S 7 -f otlp -n 3 | lognorm -r otlp |
    jq -r '[.trace_id[0:8], .system_id, .checkpoint_id, .duration_ms, .status] | @tsv' | head -n 8
