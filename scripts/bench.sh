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
	. scripts/bench/lognorm.sh
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
