# scripts/bench/lib.sh - measuring helpers for make bench, sourced.
#
# The machine is shared and noisy: commands that are compared run in
# turn, round after round, and each is reported by its median time with
# the minimum and maximum, never by one run.

: "${RUNS:=5}"

# now: wall-clock seconds, microseconds precision.
now() { printf '%s\n' "${EPOCHREALTIME/,/.}"; }

# alternate N INPUT LABEL CMD [LABEL CMD ...]: run each CMD (a shell
# string) with INPUT on its standard input and its output to /dev/null,
# one after the other, RUNS rounds.  Sets TIMES[LABEL] to the sorted
# times, MEDIAN[LABEL] to their median, and prints for each
#   LABEL  median s (min-max)  N/median per second
# N is the number of units (lines, events) the input holds.
declare -A TIMES MEDIAN
alternate() {
	local n=$1 input=$2 round i t0 t1 label
	shift 2
	local -a labels=() cmds=()
	while [ $# -gt 0 ]; do
		labels+=("$1")
		cmds+=("$2")
		TIMES[$1]=
		shift 2
	done
	for round in $(seq "$RUNS"); do
		for i in "${!cmds[@]}"; do
			t0=$(now)
			bash -c "${cmds[$i]}" < "$input" > /dev/null 2>&1 ||
				echo "bench: '${labels[$i]}' failed" >&2
			t1=$(now)
			TIMES[${labels[$i]}]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f ", b - a }')"
		done
	done
	for label in "${labels[@]}"; do
		report "$n" "$label"
	done
}

# report N LABEL: print LABEL's times as alternate does, from TIMES[LABEL]
# (seconds separated by spaces), and set MEDIAN[LABEL].  For times a
# command measures itself; alternate calls it for its own.
report() {
	local n=$1 label=$2
	local -a ts
	read -r -a ts <<<"$(tr ' ' '\n' <<<"${TIMES[$label]}" | grep . | sort -n | tr '\n' ' ')"
	TIMES[$label]="${ts[*]}"
	MEDIAN[$label]=${ts[$(( ${#ts[@]} / 2 ))]}
	printf '  %-46s %8.3fs (%.3f-%.3f) %12s/s\n' "$label" \
	    "${MEDIAN[$label]}" "${ts[0]}" "${ts[-1]}" \
	    "$(awk -v n="$n" -v t="${MEDIAN[$label]}" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')"
}

# ratio A B: how many times faster A is than B, by their medians.
ratio() {
	awk -v a="${MEDIAN[$1]}" -v b="${MEDIAN[$2]}" 'BEGIN { printf "%.1fx", (a > 0 ? b / a : 0) }'
}

# rate_ratio A NA B NB: how many times A's rate is B's, A having run on
# NA units and B on NB (a slow peer given less of the input).
rate_ratio() {
	awk -v a="${MEDIAN[$1]}" -v na="$2" -v b="${MEDIAN[$3]}" -v nb="$4" \
	    'BEGIN { printf "%.1fx", (a > 0 && nb > 0 ? (na / a) / (nb / b) : 0) }'
}

# peak_rss CMD...: the maximum resident set size of CMD in KiB.
peak_rss() {
	/usr/bin/time -f '%M' -o "$tmp/rss" "$@" > /dev/null 2>&1 || true
	cat "$tmp/rss"
}
