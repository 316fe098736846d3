# scripts/bench/lognorm.sh - lognorm against its peers and the ceiling of
# what parsing and matching alone cost, on every kind of input of issue 9's
# table (sourced by scripts/bench.sh; needs $BIN, $tmp, $LINES, $JQ_LINES
# and lib.sh).  Ends with that table: each row's figures side by side,
# with the ratio and the goal.
#
#   CEILING=build/bench/ceiling   simdjson + PCRE2 JIT, no output (made by
#                                 `make bench` from scripts/bench/ceiling.cpp)
#   LOGHUB=../shared/data/loghub  the loghub sample logs (rows skipped
#                                 when absent)

CEILING=${CEILING:-${BIN%/bin}/bench/ceiling}
LOGHUB=${LOGHUB:-../shared/data/loghub}
declare -a SUMMARY=()

# row INPUT LOGNORM REFERENCE RATIO GOAL: a line of the final table.
row() { SUMMARY+=("$(printf '| %s | %s | %s | %s | %s |' "$@")"); }

# rate LABEL N: N / the median time of LABEL, rounded.
rate() { awk -v n="$2" -v t="${MEDIAN[$1]}" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }'; }

# per LABEL N: milliseconds per unit of LABEL's median.
per() { awk -v n="$2" -v t="${MEDIAN[$1]}" 'BEGIN { printf "%.2f", t * 1000 / n }'; }

# jq_program RULES NAME: the jq program of rule NAME in the rule file
# RULES (the "jq =" value and its indented continuation lines).
jq_program() {
	awk -v rule="[$2]" '
	$0 == rule { inrule = 1; next }
	/^\[/ { inrule = 0 }
	inrule && /^jq = / { sub(/^jq = /, ""); print; injq = 1; next }
	injq && /^[ \t]/ { print; next }
	{ injq = 0 }' "$1"
}

# ---- the seed mix -----------------------------------------------------------
"$BIN/loggen" -S 42 -n $((LINES / 20 + 100)) | head -n "$LINES" > "$tmp/mix"
[ "$(wc -l < "$tmp/mix")" -eq "$LINES" ] ||
	{ echo "bench: loggen made too few lines" >&2; exit 3; }
head -n "$JQ_LINES" "$tmp/mix" > "$tmp/mix.jq"
echo
echo "== lognorm: $LINES lines of loggen's seed mix ($(du -h "$tmp/mix" | cut -f1))"
# Sanity: every line must be accepted, or the comparison means nothing.
"$BIN/lognorm" -s -q "$tmp/mix" 2> "$tmp/stats" > /dev/null ||
	{ cat "$tmp/stats" >&2; echo "bench: lognorm rejected lines" >&2; exit 3; }
sed -n 1p "$tmp/stats" | sed 's/^/  /'
"$CEILING" rules/builtin.rules < "$tmp/mix" 2>&1 | sed 's/^/  /'
alternate "$LINES" "$tmp/mix" \
    "lognorm (built-in rules)" "$BIN/lognorm -q" \
    "lognormalizer (liblognorm, seed.rulebase)" \
    "lognormalizer -r scripts/bench/seed.rulebase -e json" \
    "ceiling: simdjson + PCRE2 JIT, no output" "$CEILING rules/builtin.rules"
RUNS=1 alternate "$JQ_LINES" "$tmp/mix.jq" \
    "jq -R (seed.jq, $JQ_LINES lines)" "jq -R -c -f scripts/bench/seed.jq"
mix_lnz=$(ratio "lognorm (built-in rules)" "lognormalizer (liblognorm, seed.rulebase)")
mix_ceil=$(awk -v a="${MEDIAN[lognorm (built-in rules)]}" \
    -v c="${MEDIAN[ceiling: simdjson + PCRE2 JIT, no output]}" \
    'BEGIN { printf "%.0f%%", (a > 0 ? 100 * c / a : 0) }')
mix_jq=$(awk -v a="${MEDIAN[lognorm (built-in rules)]}" \
    -v b="${MEDIAN[jq -R (seed.jq, $JQ_LINES lines)]}" -v n="$LINES" \
    -v m="$JQ_LINES" 'BEGIN { printf "%.1fx", (n / a) / (m / b) }')
echo "  lognorm/lognormalizer: $mix_lnz (goal >= 5x)"
echo "  lognorm/ceiling:       $mix_ceil (goal >= 50%)"
echo "  lognorm/jq:            $mix_jq (goal >= 25x)"
row "seed mix, $LINES lines" "$(rate "lognorm (built-in rules)" "$LINES") lines/s" \
    "ceiling $(rate "ceiling: simdjson + PCRE2 JIT, no output" "$LINES"); lognormalizer $(rate "lognormalizer (liblognorm, seed.rulebase)" "$LINES")" \
    "$mix_ceil of the ceiling; $mix_lnz lognormalizer" ">= 50%; >= 5x"
# Peak memory must not grow with the input: 1x and 5x the lines.
for i in 1 2 3 4 5; do cat "$tmp/mix"; done > "$tmp/mix5"
echo "  lognorm peak memory: $(peak_rss "$BIN/lognorm" -q "$tmp/mix") KiB on $LINES lines, $(peak_rss "$BIN/lognorm" -q "$tmp/mix5") KiB on $((5 * LINES)) lines"
rm -f "$tmp/mix5" "$tmp/mix.jq"

# ---- span formats -----------------------------------------------------------
# OTLP/JSON traces, one export per line (about 11 spans each); jq runs
# the program the otlp rule had before lognorm decoded OTLP natively
# (tests/reference/otlp-jq.rules) on a share of the same lines.
traces=${TRACES:-$((LINES / 50))}
"$BIN/loggen" -S 42 -f otlp -n "$traces" > "$tmp/otlp"
spans=$("$BIN/lognorm" -q -s -n -r otlp "$tmp/otlp" 2>&1 > /dev/null |
    sed -n 's/.* \([0-9]*\) events.*/\1/p')
jq_traces=$((traces / 50 > 0 ? traces / 50 : 1))
head -n "$jq_traces" "$tmp/otlp" > "$tmp/otlp.jq"
jq_spans=$("$BIN/lognorm" -q -s -n -r otlp "$tmp/otlp.jq" 2>&1 > /dev/null |
    sed -n 's/.* \([0-9]*\) events.*/\1/p')
jq_program tests/reference/otlp-jq.rules otlp-traces > "$tmp/otlp-rule.jq"
echo
echo "== lognorm: span formats"
alternate "$spans" "$tmp/otlp" \
    "lognorm -r otlp ($spans spans)" "$BIN/lognorm -q -n -r otlp"
RUNS=$(( RUNS < 3 ? RUNS : 3 )) alternate "$jq_spans" "$tmp/otlp.jq" \
    "jq, the former otlp rule program ($jq_spans spans)" "jq -c -f $tmp/otlp-rule.jq" \
    "jq, a lean flattening ($jq_spans spans)" "jq -c -f scripts/bench/otlp-lean.jq"
otlp_jq=$(awk -v a="${MEDIAN[lognorm -r otlp ($spans spans)]}" -v n="$spans" \
    -v b="${MEDIAN[jq, the former otlp rule program ($jq_spans spans)]}" \
    -v m="$jq_spans" 'BEGIN { printf "%.0fx", (n / a) / (m / b) }')
otlp_lean=$(awk -v a="${MEDIAN[lognorm -r otlp ($spans spans)]}" -v n="$spans" \
    -v b="${MEDIAN[jq, a lean flattening ($jq_spans spans)]}" \
    -v m="$jq_spans" 'BEGIN { printf "%.0fx", (n / a) / (m / b) }')
echo "  lognorm/jq (same program): $otlp_jq (goal >= 100x); lognorm/jq (lean): $otlp_lean"
alternate 20 /dev/null \
    "lognorm -n -r otlp: 20 starts" "for i in \$(seq 20); do $BIN/lognorm -q -n -r otlp; done" \
    "lognorm -d rules: 20 starts" "for i in \$(seq 20); do $BIN/lognorm -q -d rules; done"
echo "  start-up: -r otlp $(per "lognorm -n -r otlp: 20 starts" 20) ms, -d rules $(per "lognorm -d rules: 20 starts" 20) ms"
row "OTLP/JSON traces, -r otlp" "$(rate "lognorm -r otlp ($spans spans)" "$spans") spans/s" \
    "jq, same program: $(rate "jq, the former otlp rule program ($jq_spans spans)" "$jq_spans"); lean jq: $(rate "jq, a lean flattening ($jq_spans spans)" "$jq_spans")" \
    "$otlp_jq; $otlp_lean; starts in $(per "lognorm -n -r otlp: 20 starts" 20) ms, -d rules $(per "lognorm -d rules: 20 starts" 20) ms" \
    ">= 500k spans/s; >= 100x"

"$BIN/loggen" -S 42 -f flat -n $((LINES / 11 + 1)) | head -n "$LINES" > "$tmp/flat"
flat=$(wc -l < "$tmp/flat")
alternate "$flat" "$tmp/flat" \
    "lognorm, flat span JSON ($flat spans)" "$BIN/lognorm -q"
row "flat span JSON (built-in rule)" "$(rate "lognorm, flat span JSON ($flat spans)" "$flat") spans/s" "-" "-" "-"
rm -f "$tmp/otlp" "$tmp/otlp.jq" "$tmp/flat"

# ---- loghub text with header rules ------------------------------------------
# Each system's 2,000 lines, 500 times over (white space at the ends of
# lines taken off, which liblognorm's "rest" would keep), through its
# header rule (tests/acceptance/loghub/) and through lognormalizer with
# the same fields (scripts/bench/loghub/); first checked to extract the
# same fields from every line.
if [ -d "$LOGHUB" ]; then
	echo
	echo "== lognorm: loghub text, a header rule per system, 2,000 lines x 500"
	fields='[.Date, .Time, .Pid, .Level, .Component, .Content, .Month, .PID, .Day] | map(. // "") | @tsv'
	for sys in HDFS Linux Apache OpenSSH; do
		sed 's/[[:space:]]*$//' "$LOGHUB/${sys}_2k.log" | awk 1 > "$tmp/$sys.2k"
		"$BIN/lognorm" -q -n -r "tests/acceptance/loghub/$sys.rules" -y 2005 \
		    "$tmp/$sys.2k" | jq -r ".attrs | .Content = .message | $fields" > "$tmp/$sys.a"
		lognormalizer -r "scripts/bench/loghub/$sys.rulebase" -e json \
		    < "$tmp/$sys.2k" | jq -r "$fields" > "$tmp/$sys.b"
		same=$(paste -d '\n' "$tmp/$sys.a" "$tmp/$sys.b" | awk 'NR % 2 { a = $0; next } $0 == a { n++ } END { print n + 0 }')
		for i in $(seq 500); do cat "$tmp/$sys.2k"; done > "$tmp/$sys.1m"
		n=$(wc -l < "$tmp/$sys.1m")
		alternate "$n" "$tmp/$sys.1m" \
		    "lognorm, $sys header rule" "$BIN/lognorm -q -n -r tests/acceptance/loghub/$sys.rules -y 2005" \
		    "lognormalizer, $sys.rulebase" "lognormalizer -r scripts/bench/loghub/$sys.rulebase -e json"
		r=$(ratio "lognorm, $sys header rule" "lognormalizer, $sys.rulebase")
		echo "  $sys: lognorm/lognormalizer $r (goal >= 3x); the same fields on $same of $(wc -l < "$tmp/$sys.2k") lines"
		row "loghub $sys, header rule, $n lines" "$(rate "lognorm, $sys header rule" "$n") lines/s" \
		    "lognormalizer $(rate "lognormalizer, $sys.rulebase" "$n")" "$r (fields equal on $same/2000)" ">= 3x"
		rm -f "$tmp/$sys.1m" "$tmp/$sys.a" "$tmp/$sys.b"
	done
	# A 64 KB line that nearly matches the HDFS header (no ':' after the
	# component): lognorm must say "no rule matched", in time linear in
	# the line.
	awk 'BEGIN { s = "081109 203615 148 INFO"; while (length(s) < 65536) s = s " dfs.DataNode$PacketResponder";
	    for (i = 0; i < 100; i++) print s }' > "$tmp/near"
	"$BIN/lognorm" -q -n -r tests/acceptance/loghub/HDFS.rules -x "$tmp/near.rej" "$tmp/near" > /dev/null || true
	reason=$(jq -r .reason "$tmp/near.rej" | sort | uniq -c | sed 's/^ *//')
	alternate 100 "$tmp/near" \
	    "lognorm, 100 near-miss lines of 64 KB" "$BIN/lognorm -q -n -r tests/acceptance/loghub/HDFS.rules -x /dev/null; [ \$? -eq 1 ]" \
	    "lognormalizer, 100 near-miss lines of 64 KB" "lognormalizer -r scripts/bench/loghub/HDFS.rulebase -e json"
	echo "  near-miss: lognorm $(per "lognorm, 100 near-miss lines of 64 KB" 100) ms/line, lognormalizer $(per "lognormalizer, 100 near-miss lines of 64 KB" 100) ms/line; rejected as: $reason"
	near=$(awk -v a="${MEDIAN[lognorm, 100 near-miss lines of 64 KB]}" \
	    -v b="${MEDIAN[lognormalizer, 100 near-miss lines of 64 KB]}" \
	    'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')
	echo "  near-miss: lognorm takes $near the time of lognormalizer (goal <= 2x)"
	row "a 64 KB line that nearly matches a header rule" "$(per "lognorm, 100 near-miss lines of 64 KB" 100) ms/line, $reason" \
	    "lognormalizer $(per "lognormalizer, 100 near-miss lines of 64 KB" 100) ms/line" \
	    "$near the time" "<= 2x the time, no rule matched"
	rm -f "$tmp/near" "$tmp"/*.2k
else
	echo
	echo "== lognorm: loghub text: $LOGHUB not found, skipped"
fi

# ---- one wide object --------------------------------------------------------
# A flat span record with 2,150 members, 500 times.
awk 'BEGIN { s = "{\"trace_id\":\"abc\",\"span_id\":\"def\",\"service\":\"svc\"";
    for (i = 0; i < 2147; i++) s = s sprintf(",\"key_%d\":\"value number %d\"", i, i);
    s = s "}"; for (i = 0; i < 500; i++) print s }' > "$tmp/wide"
mb=$(awk -v b="$(wc -c < "$tmp/wide")" 'BEGIN { printf "%.1f", b / 1048576 }')
alternate 500 "$tmp/wide" \
    "lognorm, 500 lines of 2,150 members" "$BIN/lognorm -q" \
    "ceiling, 500 lines of 2,150 members" "$CEILING rules/builtin.rules"
wide_l=$(awk -v m="$mb" -v t="${MEDIAN[lognorm, 500 lines of 2,150 members]}" 'BEGIN { printf "%.0f", m / t }')
wide_c=$(awk -v m="$mb" -v t="${MEDIAN[ceiling, 500 lines of 2,150 members]}" 'BEGIN { printf "%.0f", m / t }')
echo "  wide objects: lognorm $wide_l MB/s, ceiling $wide_c MB/s"
row "one line with 2,150 keys" "$wide_l MB/s" "ceiling $wide_c MB/s" \
    "lognorm takes $(ratio "ceiling, 500 lines of 2,150 members" "lognorm, 500 lines of 2,150 members") the ceiling's time" "linear"
rm -f "$tmp/wide"

# ---- hard cases ---------------------------------------------------------------
# The bounds and decoders that keep them cheap: logfmt read natively (a
# line of 40,000 pairs took 72 s with the former jq rule), a catastrophic
# pattern under the default match limit, and 100,000 templates (sorted
# once, matched through a word index).
HARD_LINES=${HARD_LINES:-100000}
awk -v n="$HARD_LINES" 'BEGIN { for (i = 0; i < n; i++)
	printf "time=2025-05-04T10:30:%02dZ level=%s service=svc%d msg=\"request %d done\" trace_id=%032x duration_ms=%d.5 path=/api/v1/items/%d\n",
	    i % 60, (i % 7 ? "info" : "error"), i % 13, i, i, i % 900, i }' > "$tmp/logfmt"
awk 'BEGIN { for (i = 0; i < 40000; i++) printf "k%d=v%d ", i, i; print "msg=x" }' > "$tmp/widefmt"
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
RUNS=1 alternate 1 "$tmp/widefmt" \
    "lognorm -r logfmt (1 line of 40,000 pairs)" "$BIN/lognorm -q -n -r logfmt"
alternate 1000 "$tmp/aaa" \
    "rule '(a+)+\$', 1000 lines of 2001 bytes" "$BIN/lognorm -q -n -r $tmp/bad.rules -x /dev/null; [ \$? -eq 1 ]"
alternate 1 "$tmp/empty" \
    "100,000 templates: load" "$BIN/lognorm -q -n -r $tmp/msg.rules -t $tmp/t100k.csv"
alternate "$HARD_LINES" "$tmp/msgs" \
    "100,000 templates: load + $HARD_LINES events" "$BIN/lognorm -q -n -r $tmp/msg.rules -t $tmp/t100k.csv"

echo
echo "== lognorm: issue 9's table, this run ($(date -u +%Y-%m-%d), $(nproc) cores, $RUNS rounds, medians)"
echo "| input | lognorm | reference | ratio | goal |"
echo "|---|---|---|---|---|"
printf '%s\n' "${SUMMARY[@]}"
