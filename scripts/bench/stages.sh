# scripts/bench/stages.sh - the record layer, logjoin and tracebuild
# against cat and their peers (sourced by scripts/bench.sh; needs $BIN,
# $tmp, $LINES and lib.sh).

echo
echo "== the record layer: read -> write of events (lognorm's output of the seed mix)"
"$BIN/loggen" -S 42 -n $((LINES / 20 + 100)) | head -n "$LINES" |
    "$BIN/lognorm" -q > "$tmp/seed.ev"
alternate "$LINES" "$tmp/seed.ev" \
    "cat" "cat" \
    "event_read -> event_write (build/tests/evpass)" "$BIN/../tests/evpass" \
    "jq -c . (parse and write back)" "jq -c ."
echo "  read->write is $(ratio "event_read -> event_write (build/tests/evpass)" "jq -c . (parse and write back)") faster than jq -c ., $(ratio cat "event_read -> event_write (build/tests/evpass)") slower than cat"

echo
echo "== logjoin and tracebuild: $LINES events of the seed mix"
"$BIN/logjoin" -q "$tmp/seed.ev" > "$tmp/seed.joined"
# Joining folds detail parts into their main events: rates are per
# event of the joined file, which all the commands below read.
joined=$(wc -l < "$tmp/seed.joined")
echo "  ($joined events after logjoin)"
jq_lines=$((joined / 10))
head -n "$jq_lines" "$tmp/seed.joined" > "$tmp/seed.jq"
sqlite3 "$tmp/ev.db" "CREATE TABLE ev(j TEXT);" \
    ".mode tabs" ".import $tmp/seed.joined ev"
alternate "$joined" "$tmp/seed.joined" \
    "cat" "cat" \
    "logjoin" "$BIN/logjoin -q" \
    "tracebuild" "$BIN/tracebuild -q" \
    "sqlite3 GROUP BY correlation_id (loaded)" \
    "sqlite3 $tmp/ev.db \"SELECT json_extract(j, '\$.correlation_id') k, count(*), min(json_extract(j, '\$.timestamp')), max(json_extract(j, '\$.timestamp')), group_concat(DISTINCT json_extract(j, '\$.system_id')) FROM ev GROUP BY k\""
RUNS=1 alternate "$jq_lines" "$tmp/seed.jq" \
    "jq -s 'group_by(.correlation_id)' ($jq_lines events)" \
    "jq -s -c 'group_by(.correlation_id)[] | {id: .[0].correlation_id, n: length, systems: (map(.system_id) | unique)}'"
echo "  tracebuild is $(ratio tracebuild "sqlite3 GROUP BY correlation_id (loaded)") the rate of sqlite3's GROUP BY, $(rate_ratio tracebuild "$joined" "jq -s 'group_by(.correlation_id)' ($jq_lines events)" "$jq_lines") jq's (per event)"
echo "  logjoin is $(ratio logjoin "sqlite3 GROUP BY correlation_id (loaded)") the rate of sqlite3's GROUP BY, $(rate_ratio logjoin "$joined" "jq -s 'group_by(.correlation_id)' ($jq_lines events)" "$jq_lines") jq's (per event)"

echo
echo "== logjoin and tracebuild: $LINES span-log events"
"$BIN/loggen" -f spanlog -S 42 -n $((LINES / 10 + 10)) | head -n "$LINES" |
    "$BIN/lognorm" -q > "$tmp/span.ev"
alternate "$LINES" "$tmp/span.ev" \
    "cat" "cat" \
    "logjoin" "$BIN/logjoin -q" \
    "tracebuild" "$BIN/tracebuild -q"

echo
echo "== the pipeline from raw lines: $LINES lines of the seed mix"
"$BIN/loggen" -S 42 -n $((LINES / 20 + 100)) | head -n "$LINES" > "$tmp/seed.raw"
alternate "$LINES" "$tmp/seed.raw" \
    "cat" "cat" \
    "lognorm | logjoin | tracebuild" "$BIN/lognorm -q | $BIN/logjoin -q | $BIN/tracebuild -q"

echo
echo "== tracebuild's peak memory, span traces through a pipe (open traces bounded)"
for n in 1 10; do
	rss=$(bash -c "$BIN/loggen -f spanlog -S 7 -n $((n * LINES / 10)) | $BIN/lognorm -q | /usr/bin/time -f %M -o $tmp/rss $BIN/tracebuild -q > /dev/null"; cat "$tmp/rss")
	printf '  %-46s %10s KiB\n' "$((n * LINES)) events" "$rss"
done
