# scripts/bench/report.sh - logreport on a database of $LINES seed-mix
# events and their traces, against sqlite3 running the same queries (the
# floor: what the database costs); and from the records on a pipe, with
# its peak memory (sourced by scripts/bench.sh; needs $BIN, $tmp, $LINES
# and lib.sh).

echo
echo "== logreport: a database of $LINES seed-mix events and their traces"
"$BIN/loggen" -S 42 -n $((LINES / 20 + 100)) | head -n "$LINES" |
    "$BIN/lognorm" -q | "$BIN/logjoin" -q > "$tmp/rep.ev"
"$BIN/tracebuild" -q "$tmp/rep.ev" > "$tmp/rep.tr"
cat "$tmp/rep.ev" "$tmp/rep.tr" > "$tmp/rep.records"
if command -v depgraph > /dev/null || [ -x "$BIN/depgraph" ]; then
	"$(command -v "$BIN/depgraph" || command -v depgraph)" -q "$tmp/rep.tr" \
	    >> "$tmp/rep.records"
fi
"$BIN/sqlload" -q "$tmp/rep.db" "$tmp/rep.records" > /dev/null
echo "  $(sqlite3 "$tmp/rep.db" 'SELECT count(*) FROM events') events, $(sqlite3 "$tmp/rep.db" 'SELECT count(*) FROM structured_logs') traces, $(sqlite3 "$tmp/rep.db" 'SELECT count(*) FROM dependencies') edges; database $(du -h "$tmp/rep.db" | cut -f1)"

# The queries of cmd/logreport/db.c, with its default parameters (10
# traces a list), the chart's buckets of one minute (what the query costs
# does not depend on their width), the spans of the listed traces in one
# statement.
lo=$(sqlite3 "$tmp/rep.db" "SELECT CAST(round((julianday(min(timestamp)) - 2440587.5) * 86400000) AS INTEGER) FROM events")
cat > "$tmp/rep.sql" <<EOF
SELECT count(*) FROM events;
SELECT min(timestamp) FROM events;
SELECT max(timestamp) FROM events;
SELECT count(*), total(complete = 0), total(status = 'FAILURE'), min(start), max(end) FROM structured_logs;
SELECT count(*) FROM rejects;
SELECT system_id, checkpoint_id, failure_reason, count(*) AS n FROM failures GROUP BY 1, 2, 3;
SELECT coalesce(system_id, '(none)'), (CAST(round((julianday(timestamp) - 2440587.5) * 86400000) AS INTEGER) - $lo) / 60000, count(*), total(status = 'FAILURE' AND part IS NOT 'detail') FROM events WHERE timestamp IS NOT NULL GROUP BY 1, 2;
SELECT trace_id, correlation_id, start, end, duration_ms, root, span_count, error_count, status, complete, revision, model, problems FROM structured_logs WHERE duration_ms IS NOT NULL ORDER BY duration_ms DESC, trace_id LIMIT 10;
SELECT trace_id, correlation_id, start, end, duration_ms, root, span_count, error_count, status, complete, revision, model, problems FROM structured_logs WHERE status = 'FAILURE' ORDER BY start DESC, trace_id LIMIT 10;
SELECT span_id, shared, parent_span_id, service, name, kind, start, end, duration_ms, status, failure_reason, parent_inferred, checkpoints FROM trace_spans WHERE trace_id IN (SELECT trace_id FROM structured_logs WHERE duration_ms IS NOT NULL ORDER BY duration_ms DESC, trace_id LIMIT 10) OR trace_id IN (SELECT trace_id FROM structured_logs WHERE status = 'FAILURE' ORDER BY start DESC, trace_id LIMIT 10);
SELECT count(*) FROM dependencies WHERE window = '';
SELECT source, target, count(*), sum(calls), sum(errors), count(latency_p95), max(latency_p50), max(latency_p95), max(latency_p99), max(latency_max), sum(latency_avg * calls) / sum(CASE WHEN latency_avg IS NOT NULL THEN calls END), min(first_seen), max(last_seen) FROM dependencies GROUP BY source, target ORDER BY 4 DESC, 1, 2;
SELECT CASE WHEN instr(reason, ':') > 0 THEN substr(reason, 1, instr(reason, ':') - 1) ELSE coalesce(reason, '') END AS c, count(*) FROM rejects GROUP BY c ORDER BY 2 DESC, c;
EOF
alternate "$LINES" /dev/null \
    "logreport DB (page written)" "$BIN/logreport -q $tmp/rep.db" \
    "sqlite3 DB, the same queries (rows only)" "sqlite3 $tmp/rep.db < $tmp/rep.sql"
echo "  logreport takes $(ratio "sqlite3 DB, the same queries (rows only)" "logreport DB (page written)") the time of sqlite3 running its queries (1.0x: nothing of its own)"
"$BIN/logreport" -q "$tmp/rep.db" > "$tmp/rep.html"
echo "  the page: $(wc -c < "$tmp/rep.html") bytes"

echo
echo "== logreport from a pipe: the same $(wc -l < "$tmp/rep.records") records"
RUNS=$(( RUNS < 3 ? RUNS : 3 )) alternate "$LINES" "$tmp/rep.records" \
    "cat" "cat" \
    "logreport - (page written)" "$BIN/logreport -q -"
echo "  logreport - peak memory: $(peak_rss "$BIN/logreport" -q "$tmp/rep.records") KiB; on the events alone $(peak_rss "$BIN/logreport" -q "$tmp/rep.ev") KiB"
rm -f "$tmp/rep.ev" "$tmp/rep.tr" "$tmp/rep.records" "$tmp/rep.db"* "$tmp/rep.html"
