#!/usr/bin/env bats
# logreport: the page from a database and from records, checked as a user
# sees it: each report is loaded in a real browser (Debian's chromium,
# headless), its DOM after the page's script ran is read back with
# tests/tools/dom.py (Python's html.parser, independent of logreport),
# and compared with what sqlite3, jq and the records say.
#
# Fixtures: loggen's seed flows (-S 7, made here), the graph depgraph made
# of their traces (fixtures/logreport/seed.graph: depgraph's edge and
# service records of `loggen -S 7 -n 60 -p 0.5,0.4,0.3 | lognorm | logjoin
# | tracebuild`), and fixtures/logreport/evil.ndjson: records with markup
# in failure reasons, service names, checkpoints and raw reject lines,
# and a partial trace (an orphan, a missing parent, a span in progress).

load test_helper

DOM="$BATS_TEST_DIRNAME/tools/dom.py"

setup_file() {
	local d="$BATS_FILE_TMPDIR"
	PATH="$LOGPROC_BIN:$PATH"
	loggen -S 7 -n 60 -p 0.5,0.4,0.3 | lognorm | logjoin > "$d/seed.events"
	tracebuild "$d/seed.events" > "$d/seed.traces"
	cat "$d/seed.events" "$d/seed.traces" \
	    "$BATS_TEST_DIRNAME/fixtures/logreport/seed.graph" > "$d/seed.records"
	sqlload -q "$d/seed.db" "$d/seed.records" > /dev/null
}

# browse PAGE OUT [chromium options]: load PAGE in headless chromium, its
# DOM after the scripts ran into OUT, the browser's log (console messages
# among it) into OUT.log.
browse() {
	local page=$1 out=$2
	shift 2
	chromium --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$(mktemp -d "$BATS_TEST_TMPDIR/ud.XXXXXX")" \
	    --enable-logging=stderr --v=0 --virtual-time-budget=3000 \
	    "$@" --dump-dom "file://$page" > "$out" 2> "$out.log"
	[ -s "$out" ] || fail "chromium dumped no DOM: $(tail -5 "$out.log")"
}

# no_console_errors LOG: the page logged nothing to the console.
no_console_errors() {
	if grep -E ':CONSOLE' "$1"; then
		fail "the page wrote to the console"
	fi
}

@test "logreport: a database and the records loaded into it give the same page" {
	local d="$BATS_FILE_TMPDIR"
	logreport -n 5 -D none "$d/seed.db" | sed "s#$d/seed.db#SOURCE#" \
	    > "$BATS_TEST_TMPDIR/db.html"
	logreport -n 5 -D none - < "$d/seed.records" |
	    sed 's#standard input#SOURCE#' > "$BATS_TEST_TMPDIR/pipe.html"
	diff -u "$BATS_TEST_TMPDIR/db.html" "$BATS_TEST_TMPDIR/pipe.html"
	grep -q 'id="slowest-5"' "$BATS_TEST_TMPDIR/db.html"
}

@test "logreport: the page of the markup fixture, without a graph (golden)" {
	golden logreport-evil.html logreport -D none logreport/evil.ndjson
}

@test "logreport: in the browser, the failure table's rows are the database's failures" {
	local d="$BATS_FILE_TMPDIR" t="$BATS_TEST_TMPDIR"
	logreport "$d/seed.db" > "$t/r.html"
	browse "$t/r.html" "$t/r.dom"
	sqlite3 -separator $'\t' "$d/seed.db" "SELECT coalesce(system_id, ''),
	    coalesce(checkpoint_id, ''), coalesce(failure_reason, ''), count(*)
	    FROM failures GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3" > "$t/want"
	python3 "$DOM" table failure-table < "$t/r.dom" > "$t/got"
	diff -u "$t/want" "$t/got"
	[ "$(wc -l < "$t/got")" -gt 10 ]
	# and the overview's count of failures is their sum
	[ "$(python3 "$DOM" scripts < "$t/r.dom" | tail -n +2)" = \
	    "$(printf 'data-script=ok\nlang=en')" ]
	grep -q "id=\"count-failures\" data-v=\"$(sqlite3 "$d/seed.db" \
	    'SELECT count(*) FROM failures')\"" "$t/r.dom"
	no_console_errors "$t/r.dom.log"
}

@test "logreport: in the browser, one waterfall per listed trace, one bar per span, the seed flow as a tree" {
	local d="$BATS_FILE_TMPDIR" t="$BATS_TEST_TMPDIR"
	logreport -n 6 "$d/seed.db" > "$t/r.html"
	browse "$t/r.html" "$t/r.dom"
	sqlite3 -separator $'\t' "$d/seed.db" "SELECT trace_id, span_count FROM
	    structured_logs WHERE duration_ms IS NOT NULL
	    ORDER BY duration_ms DESC, trace_id LIMIT 6" > "$t/want.slow"
	sqlite3 -separator $'\t' "$d/seed.db" "SELECT trace_id, span_count FROM
	    structured_logs WHERE status = 'FAILURE'
	    ORDER BY start DESC, trace_id LIMIT 6" > "$t/want.failed"
	python3 "$DOM" traces slowest < "$t/r.dom" > "$t/slow"
	python3 "$DOM" traces failed < "$t/r.dom" > "$t/failed"
	diff -u "$t/want.slow" <(cut -f 1,2 "$t/slow")
	diff -u "$t/want.failed" <(cut -f 1,2 "$t/failed")
	[ "$(wc -l < "$t/failed")" -eq 6 ]
	# a flow through payments: inventory -> payments -> reporting || orders
	grep -P '\t4\t0,1,2,2\tinventory,payments,(reporting,orders|orders,reporting)$' \
	    "$t/slow" "$t/failed"
	# and every listed trace's rows are in the database's tree
	! cut -f 4 "$t/slow" "$t/failed" | grep -v '^inventory'
}

@test "logreport: in the browser, the graph's nodes and edges are the edge records" {
	local d="$BATS_FILE_TMPDIR" t="$BATS_TEST_TMPDIR"
	local graph="$BATS_TEST_DIRNAME/fixtures/logreport/seed.graph"
	logreport "$d/seed.db" > "$t/r.html"
	browse "$t/r.html" "$t/r.dom"
	{ jq -r 'select(.type == "edge") |
	    "edge \(.source) \(.target) \(.calls) \(.errors)"' "$graph"
	  jq -r 'select(.type == "edge") | .source, .target' "$graph" |
	    sort -u | sed 's/^/node /'; } | sort > "$t/want"
	python3 "$DOM" graph < "$t/r.dom" > "$t/got"
	diff -u "$t/want" "$t/got"
	[ "$(wc -l < "$t/got")" -eq 9 ]
	# the edge table has them all, from the pipe too
	jq -r 'select(.type == "edge") | [.source, .target, .calls, .errors] |
	    @tsv' "$graph" | sort > "$t/want.table"
	python3 "$DOM" table edge-table < "$t/r.dom" | cut -f 1-4 | sort \
	    > "$t/got.table"
	diff -u "$t/want.table" "$t/got.table"
	no_console_errors "$t/r.dom.log"
}

@test "logreport: in the browser, markup from the logs is inert and shown as text" {
	local t="$BATS_TEST_TMPDIR" s
	s="<script>document.documentElement.setAttribute('data-pwned','1')</script>"
	logreport "$FIXTURES/logreport/evil.ndjson" > "$t/e.html"
	browse "$t/e.html" "$t/e.dom"
	# the page's own script ran; none of the injected did
	run python3 "$DOM" scripts < "$t/e.dom"
	assert_output "$(printf '1\ndata-script=ok\nlang=en')"
	[ "$(python3 "$DOM" tags img < "$t/e.dom")" -eq 0 ]
	# and the markup reads as text: in a failure reason and a system name,
	# a service name in the graph and the waterfall, a raw reject line
	python3 "$DOM" table failure-table < "$t/e.dom" > "$t/fails"
	grep -qF "gateway	GET /	$s	1" "$t/fails"
	grep -qF "$s	POST <img src=x onerror=" "$t/fails"
	python3 "$DOM" graph < "$t/e.dom" | grep -qxF "node $s"
	python3 "$DOM" traces slowest < "$t/e.dom" | grep -qF "gateway,$s,db,cache"
	grep -qF "10:30 &lt;script&gt;document" "$t/e.dom"
	no_console_errors "$t/e.dom.log"
}

@test "logreport: in the browser without its script, the page is whole" {
	local d="$BATS_FILE_TMPDIR" t="$BATS_TEST_TMPDIR"
	logreport -n 4 "$d/seed.db" > "$t/r.html"
	browse "$t/r.html" "$t/on.dom"
	# chromium's --dump-dom needs scripts on: take the page's own out
	# (it is one line), as a browser with scripts off would not run it
	grep -c '^<script>' "$t/r.html" | grep -qx 1
	grep -v '^<script>' "$t/r.html" > "$t/off.html"
	browse "$t/off.html" "$t/off.dom"
	run python3 "$DOM" scripts < "$t/off.dom"
	assert_output "$(printf '0\nlang=en')"
	for q in "table failure-table" "table edge-table" "traces slowest" \
	    "traces failed" graph series; do
		diff -u <(python3 "$DOM" $q < "$t/on.dom") \
		    <(python3 "$DOM" $q < "$t/off.dom")
	done
	# every span's details are in the page, to open without a script
	[ "$(python3 "$DOM" tags details < "$t/off.dom")" -eq \
	    "$(python3 "$DOM" count bar < "$t/off.dom")" ]
}

@test "logreport: the chart's strips count each system's events" {
	local d="$BATS_FILE_TMPDIR" t="$BATS_TEST_TMPDIR"
	logreport -D none "$d/seed.db" > "$t/r.html"
	sqlite3 -separator $'\t' "$d/seed.db" "SELECT system_id, count(*) FROM
	    events WHERE timestamp IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1" \
	    > "$t/want"
	python3 "$DOM" series < "$t/r.html" > "$t/got"
	diff -u "$t/want" "$t/got"
	# traces alone: the spans are counted, per service
	logreport -D none "$d/seed.traces" > "$t/s.html"
	grep -q '<h3>Spans over time, per service</h3>' "$t/s.html"
	jq -r '.spans[].service' "$d/seed.traces" | sort | uniq -c |
	    awk '{ print $2 "\t" $1 }' | sort > "$t/want.spans"
	python3 "$DOM" series < "$t/s.html" | sort > "$t/got.spans"
	diff -u "$t/want.spans" "$t/got.spans"
}

@test "logreport: what it keeps is bounded by the options, and the page's size by them" {
	local t="$BATS_TEST_TMPDIR" small big
	logreport -n 2 -S 2 -D none "$BATS_FILE_TMPDIR/seed.db" > "$t/r.html"
	python3 "$DOM" traces slowest < "$t/r.html" > "$t/slow"
	[ "$(wc -l < "$t/slow")" -eq 2 ]
	! cut -f 2 "$t/slow" | grep -vx 2
	grep -q 'more spans not shown (at most 2 a trace' "$t/r.html"
	# ten times the flows, about the same page
	loggen -S 8 -n 100 | lognorm | logjoin | tee "$t/ev" | tracebuild > "$t/tr"
	small=$(cat "$t/ev" "$t/tr" | logreport -D none | wc -c)
	loggen -S 8 -n 1000 | lognorm | logjoin | tee "$t/ev" | tracebuild > "$t/tr"
	big=$(cat "$t/ev" "$t/tr" | logreport -D none | wc -c)
	echo "$small $big"
	[ "$big" -lt $((small * 3 / 2)) ]
}

@test "logreport: a late update of a trace replaces it in the lists, counted once" {
	local t="$BATS_TEST_TMPDIR" f="$FIXTURES/logreport/evil.ndjson"
	{ cat "$f"
	  jq -c 'select(.type == "trace") | .revision = 1 | .span_count = 5 |
	      .spans += [.spans[0] | .span_id = "e5" | .parent_span_id = "a1"]' "$f"
	} | logreport -D none > "$t/r.html"
	python3 "$DOM" traces slowest < "$t/r.html" > "$t/slow"
	[ "$(cut -f 1,2 "$t/slow")" = "$(printf 't1\t5')" ]
	grep -q 'id="count-traces" data-v="1"' "$t/r.html"
	grep -q '1 late updates' "$t/r.html"
}

@test "logreport: a partial trace says what is missing" {
	run --separate-stderr logreport -D none "$FIXTURES/logreport/evil.ndjson"
	assert_success
	assert_output --partial '<li>span d4: its parent never came (shown under the root)</li>'
	assert_output --partial '<li>parent span zz never came (children: 1)</li>'
	assert_output --partial '<li>span c3: its start was logged, not its end</li>'
	assert_output --partial '<b>partial</b>'
}

@test "logreport: rejected records, bad options, databases and a missing dot" {
	local t="$BATS_TEST_TMPDIR"
	# a record it does not read: rejected, counted on the page, exit 1
	run --separate-stderr logreport -D none - <<< '{"type":"other"}'
	[ "$status" -eq 1 ]
	assert_output --partial 'logreport itself rejected 1 records'
	[ "$stderr" = "logreport: (stdin):1: not a record logreport reads: a other record" ]
	run --separate-stderr logreport -n x "$FIXTURES/logreport/evil.ndjson"
	[ "$status" -eq 2 ]
	# an SQLite file that sqlload did not make
	sqlite3 "$t/other.db" 'CREATE TABLE t (x)'
	run --separate-stderr logreport "$t/other.db"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"not a logproc database"* ]]
	run --separate-stderr logreport "$BATS_FILE_TMPDIR/seed.db" "$FIXTURES/logreport/evil.ndjson"
	[ "$status" -eq 2 ]
	run --separate-stderr logreport -x "$t/rej" "$BATS_FILE_TMPDIR/seed.db"
	[ "$status" -eq 2 ]
	run --separate-stderr logreport "$t/nonexistent"
	[ "$status" -eq 3 ]
	# no dot: the page says so, the table is there, the status unchanged
	run --separate-stderr logreport -D "$t/no-dot" "$FIXTURES/logreport/evil.ndjson"
	assert_success
	assert_output --partial '<p class="note" id="graph-note">The graph is not drawn: cannot run'
	assert_output --partial '<table id="edge-table"'
	[[ "$stderr" == *"the graph is not drawn: cannot run"* ]]
}

@test "logreport: edges of all input win over windows', which are added up (from a pipe as from a database)" {
	local t="$BATS_TEST_TMPDIR" f="$FIXTURES/logreport/evil.ndjson"
	jq -c 'select(.type == "edge" and .target == "db") |
	    .window = {"start": "2025-05-04T10:30:00.000Z",
	        "end": "2025-05-04T10:31:00.000Z"} | .calls = 1000,
	    (.window.start = "2025-05-04T10:31:00.000Z" | .calls = 7 |
	     .latency.p95 = 99)' "$f" > "$t/windows"
	# whole and windowed records: the whole graph's
	cat "$f" "$t/windows" > "$t/both"
	sqlload -q "$t/both.db" "$t/both" > /dev/null
	for src in "$t/both" "$t/both.db"; do
		logreport -D none "$src" > "$t/r.html"
		python3 "$DOM" table edge-table < "$t/r.html" | cut -f 1-4 \
		    > "$t/got"
		printf 'gateway\tdb\t30\t0\n' > "$t/want"
		grep -v '^gateway	<script>' "$t/got" | diff -u "$t/want" -
	done
	# windows alone: added up, the percentiles the largest (marked)
	grep -v '"type":"edge"' "$f" | cat - "$t/windows" > "$t/win"
	sqlload -q "$t/win.db" "$t/win" > /dev/null
	for src in "$t/win" "$t/win.db"; do
		logreport -D none "$src" > "$t/r.html"
		python3 "$DOM" table edge-table < "$t/r.html" > "$t/got"
		[ "$(cut -f 1-4,8 "$t/got")" = "$(printf 'gateway\tdb\t1,007\t0\t\xe2\x89\xa4\xc2\xa099 ms')" ]
	done
}
