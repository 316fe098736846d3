/*
 * db.c - the report from the database sqlload writes (schema/README.md).
 *
 * The database is opened read-only and read in one transaction, so that
 * a report made while sqlload loads is of one moment.  Every statement is
 * prepared once, before any is run, and takes what it needs as bound
 * parameters: nothing read from the database or the command line is ever
 * part of SQL text.  The lists are top-N queries on indexes (the slowest
 * and the latest failed traces, the spans of each by trace_id); the
 * overview, the chart and the failure table are one aggregate each over
 * the events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "json.h"
#include "lp.h"
#include "map.h"
#include "report.h"
#include "ts.h"

#define SCHEMA_MIN	2	/* the failures view came with version 2 */

/* The trace columns of both lists, in this order. */
#define TRACE_COLS \
	"trace_id, correlation_id, start, end, duration_ms, root, " \
	"span_count, error_count, status, complete, revision, model, problems"

/* A reject's class: its reason up to the first ':' (logproc(7)). */
#define REJECT_CLASS \
	"CASE WHEN instr(reason, ':') > 0 " \
	"THEN substr(reason, 1, instr(reason, ':') - 1) " \
	"ELSE coalesce(reason, '') END"

/* A time column as ms since the epoch (integer). */
#define MS(col) \
	"CAST(round((julianday(" col ") - 2440587.5) * 86400000) AS INTEGER)"

enum q {
	Q_VERSION, Q_BEGIN, Q_END, Q_EVENTS, Q_FIRST, Q_LAST, Q_TRACES,
	Q_REJECTS, Q_FAIL_EVENTS, Q_FAIL_TRACES, Q_CHART_EVENTS, Q_SPAN_RANGE,
	Q_CHART_SPANS, Q_SLOWEST, Q_FAILED, Q_SPANS, Q_WHOLE, Q_EDGES,
	Q_SERVICES, Q_CYCLES, Q_REJECT_CLASSES, Q_REJECT_EXAMPLES, Q_N
};

static const char *const sql[Q_N] = {
	[Q_VERSION] = "PRAGMA user_version",
	[Q_BEGIN] = "BEGIN",
	[Q_END] = "COMMIT",
	[Q_EVENTS] = "SELECT count(*) FROM events",
	/* alone in their statements, min and max are read off the index */
	[Q_FIRST] = "SELECT min(timestamp) FROM events",
	[Q_LAST] = "SELECT max(timestamp) FROM events",
	[Q_TRACES] =
	    "SELECT count(*), total(complete = 0), total(status = 'FAILURE'), "
	    "min(start), max(end) FROM structured_logs",
	[Q_REJECTS] = "SELECT count(*) FROM rejects",
	[Q_FAIL_EVENTS] =
	    "SELECT system_id, checkpoint_id, failure_reason, count(*) AS n "
	    "FROM failures GROUP BY 1, 2, 3",
	[Q_FAIL_TRACES] =
	    "SELECT json_extract(f.value, '$.system'), "
	    "json_extract(f.value, '$.checkpoint'), "
	    "json_extract(f.value, '$.reason'), count(*) "
	    "FROM structured_logs s, json_each(s.failures) f "
	    "WHERE json_valid(s.failures) GROUP BY 1, 2, 3",
	[Q_CHART_EVENTS] =
	    "SELECT coalesce(system_id, '(none)'), (" MS("timestamp") " - ?1) "
	    "/ ?2, count(*), total(status = 'FAILURE' AND part IS NOT 'detail') "
	    "FROM events WHERE timestamp IS NOT NULL GROUP BY 1, 2",
	[Q_SPAN_RANGE] = "SELECT min(start), max(start) FROM trace_spans",
	[Q_CHART_SPANS] =
	    "SELECT coalesce(service, '(none)'), (" MS("start") " - ?1) / ?2, "
	    "count(*), total(status = 'FAILURE') "
	    "FROM trace_spans WHERE start IS NOT NULL GROUP BY 1, 2",
	[Q_SLOWEST] =
	    "SELECT " TRACE_COLS " FROM structured_logs "
	    "WHERE duration_ms IS NOT NULL "
	    "ORDER BY duration_ms DESC, trace_id LIMIT ?1",
	[Q_FAILED] =
	    "SELECT " TRACE_COLS " FROM structured_logs "
	    "WHERE status = 'FAILURE' ORDER BY start DESC, trace_id LIMIT ?1",
	[Q_SPANS] =
	    "SELECT span_id, shared, parent_span_id, service, name, kind, "
	    "start, end, duration_ms, status, failure_reason, parent_inferred, "
	    "checkpoints FROM trace_spans WHERE trace_id = ?1",
	[Q_WHOLE] = "SELECT count(*) FROM dependencies WHERE window = ''",
	[Q_EDGES] =
	    "SELECT source, target, count(*), sum(calls), sum(errors), "
	    "count(latency_p95), max(latency_p50), max(latency_p95), "
	    "max(latency_p99), max(latency_max), "
	    "sum(latency_avg * calls) / "
	    "sum(CASE WHEN latency_avg IS NOT NULL THEN calls END), "
	    "min(first_seen), max(last_seen) "
	    "FROM dependencies WHERE ?1 = 0 OR window = '' "
	    "GROUP BY source, target ORDER BY 4 DESC, 1, 2",
	[Q_SERVICES] =
	    "SELECT service, max(CASE WHEN json_valid(attrs) "
	    "THEN json_extract(attrs, '$.kind') END) "
	    "FROM services WHERE ?1 = 0 OR window = '' GROUP BY service "
	    "LIMIT 10000",
	[Q_CYCLES] =
	    "SELECT services FROM cycles WHERE ?1 = 0 OR window = '' "
	    "GROUP BY services ORDER BY services LIMIT ?2",
	[Q_REJECT_CLASSES] =
	    "SELECT " REJECT_CLASS " AS c, count(*) FROM rejects "
	    "GROUP BY c ORDER BY 2 DESC, c",
	[Q_REJECT_EXAMPLES] =
	    "SELECT tool, input, line, reason, substr(raw, 1, ?3), "
	    "length(CAST(raw AS BLOB)) FROM rejects WHERE " REJECT_CLASS
	    " = ?1 ORDER BY rowid LIMIT ?2",
};

static sqlite3		*h;
static sqlite3_stmt	*st[Q_N];
static const char	*dbpath;
static struct report	*R;

static void __attribute__((noreturn))
die(const char *what)
{
	int	 i;

	lp_warnx("%s: %s: %s", dbpath, what, sqlite3_errmsg(h));
	for (i = 0; i < Q_N; i++)
		sqlite3_finalize(st[i]);
	sqlite3_close(h);
	exit(LP_EXIT_FAIL);
}

/* Step q; true with a row, false when done; exits on an error. */
static bool
row(enum q q)
{
	int	 rc = sqlite3_step(st[q]);

	if (rc == SQLITE_ROW)
		return true;
	if (rc != SQLITE_DONE)
		die("cannot read it");
	sqlite3_reset(st[q]);
	return false;
}

/* Run q for its one row; call done(q) after reading the columns. */
static void
one(enum q q)
{
	if (!row(q))
		die("no row");
}

/* Run a statement that returns no row. */
static void
exec(enum q q)
{
	if (row(q))
		die("unexpected row");
}

static void
done(enum q q)
{
	sqlite3_reset(st[q]);
	sqlite3_clear_bindings(st[q]);
}

static const char *
col(enum q q, int c)
{
	const unsigned char *p = sqlite3_column_text(st[q], c);

	if (p == NULL)
		return NULL;
	return report_str(R, (const char *)p,
	    (size_t)sqlite3_column_bytes(st[q], c));
}

static bool
col_time(enum q q, int c, int64_t *ms)
{
	const unsigned char *p = sqlite3_column_text(st[q], c);
	size_t		 n = (size_t)sqlite3_column_bytes(st[q], c);
	struct ts_opts	 o = { 0, 0 };

	if (p == NULL)
		return false;
	return ts_parse_canonical((const char *)p, n, ms) ||
	    ts_parse((const char *)p, n, &o, ms);
}

static void
open_db(const char *path)
{
	int	 i, v;

	dbpath = path;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		die("cannot open it");
	sqlite3_busy_timeout(h, 5000);
	if (sqlite3_prepare_v2(h, sql[Q_VERSION], -1, &st[Q_VERSION], NULL) !=
	    SQLITE_OK)
		die("not an SQLite database");
	one(Q_VERSION);
	v = sqlite3_column_int(st[Q_VERSION], 0);
	done(Q_VERSION);
	if (v < SCHEMA_MIN) {
		lp_warnx("%s: not a logproc database (schema version %d; "
		    "sqlload makes them)", path, v);
		sqlite3_finalize(st[Q_VERSION]);
		sqlite3_close(h);
		exit(LP_EXIT_USAGE);
	}
	for (i = 1; i < Q_N; i++)
		if (sqlite3_prepare_v2(h, sql[i], -1, &st[i], NULL) != SQLITE_OK)
			die("cannot prepare a query");
}

/* ---- the overview ------------------------------------------------------ */

static void
overview(void)
{
	int64_t	 t;

	one(Q_EVENTS);
	R->events = (unsigned long)sqlite3_column_int64(st[Q_EVENTS], 0);
	done(Q_EVENTS);
	one(Q_FIRST);
	if (col_time(Q_FIRST, 0, &t))
		report_time(R, t);
	done(Q_FIRST);
	one(Q_LAST);
	if (col_time(Q_LAST, 0, &t))
		report_time(R, t);
	done(Q_LAST);
	one(Q_TRACES);
	R->traces = (unsigned long)sqlite3_column_int64(st[Q_TRACES], 0);
	R->partial = (unsigned long)sqlite3_column_double(st[Q_TRACES], 1);
	R->failed_traces = (unsigned long)sqlite3_column_double(st[Q_TRACES],
	    2);
	if (col_time(Q_TRACES, 3, &t))
		report_time(R, t);
	if (col_time(Q_TRACES, 4, &t))
		report_time(R, t);
	done(Q_TRACES);
	one(Q_REJECTS);
	R->rejects = (unsigned long)sqlite3_column_int64(st[Q_REJECTS], 0);
	done(Q_REJECTS);
}

static void
failures(void)
{
	enum q		 q = R->events > 0 ? Q_FAIL_EVENTS : Q_FAIL_TRACES;
	struct fail_row	*rows = NULL;
	size_t		 n = 0, cap = 0;

	while (row(q)) {
		/* the rows are few (distinct reasons); they live in the heap
		 * until sorted, then the first MAX_FAIL_ROWS in the pool */
		xgrow(&rows, &cap, n + 1, sizeof(*rows));
		rows[n].system = col(q, 0);
		rows[n].checkpoint = col(q, 1);
		rows[n].reason = col(q, 2);
		rows[n++].count = (unsigned long)sqlite3_column_int64(st[q], 3);
	}
	done(q);
	report_fail_rows(R, rows, n);
	R->fails = report_alloc(R, (R->nfails ? R->nfails : 1) *
	    sizeof(*R->fails));
	if (R->nfails > 0)
		memcpy(R->fails, rows, R->nfails * sizeof(*rows));
	free(rows);
	R->failures_from = R->events > 0 ? "events" : "traces";
}

/*
 * The chart: per system, counts in buckets of the width the page will
 * show, numbered from the first; one aggregate over the events (or, in a
 * database of traces alone, the spans).
 */
static void
chart(void)
{
	enum q		 q = R->events > 0 ? Q_CHART_EVENTS : Q_CHART_SPANS;
	struct map	 idx = MAP_INIT;
	char		**names = NULL;
	unsigned long	**n = NULL, **f = NULL;
	size_t		 nsys = 0, cap = 0, s, cap2 = 0, cap3 = 0, len, i;
	int64_t		 lo, hi, w, b;
	int		 nb;
	void		*v;

	if (R->events > 0) {
		if (!R->has_range)
			return;
		lo = R->first;
		hi = R->last;
	} else {
		one(Q_SPAN_RANGE);
		if (!col_time(Q_SPAN_RANGE, 0, &lo) ||
		    !col_time(Q_SPAN_RANGE, 1, &hi)) {
			done(Q_SPAN_RANGE);
			return;
		}
		done(Q_SPAN_RANGE);
	}
	w = chart_width(lo, hi, MAX_BUCKETS);
	lo = floor_div(lo, w);
	nb = (int)(floor_div(hi, w) - lo + 1);
	sqlite3_bind_int64(st[q], 1, lo * w);
	sqlite3_bind_int64(st[q], 2, w);
	while (row(q)) {
		const char *name = (const char *)sqlite3_column_text(st[q], 0);

		len = (size_t)sqlite3_column_bytes(st[q], 0);
		b = sqlite3_column_int64(st[q], 1);
		if (name == NULL || b < 0 || b >= nb)
			continue;
		if ((v = map_get(&idx, name, len)) != NULL)
			s = (size_t)v - 1;
		else {
			s = nsys++;
			xgrow(&names, &cap, nsys, sizeof(*names));
			xgrow(&n, &cap2, nsys, sizeof(*n));
			xgrow(&f, &cap3, nsys, sizeof(*f));
			names[s] = xmemdup(name, len);
			n[s] = xcalloc((size_t)nb, sizeof(**n));
			f[s] = xcalloc((size_t)nb, sizeof(**f));
			*map_put(&idx, names[s], len) = (void *)(s + 1);
		}
		n[s][b] += (unsigned long)sqlite3_column_int64(st[q], 2);
		f[s][b] += (unsigned long)sqlite3_column_double(st[q], 3);
	}
	done(q);
	report_chart(R, R->events > 0 ? "events" : "spans", nsys,
	    (const char *const *)names, n, f, lo, nb, w);
	for (i = 0; i < nsys; i++) {
		free(names[i]);
		free(n[i]);
		free(f[i]);
	}
	free(names);
	free(n);
	free(f);
	map_release(&idx);
}

/* ---- the traces ------------------------------------------------------- */

static void
spans(struct wtrace *t)
{
	struct wspan	*s = NULL;
	bool		*shared = NULL;
	size_t		 n = 0, cap = 0, cap2 = 0;
	double		 d;

	sqlite3_bind_text(st[Q_SPANS], 1, t->trace_id, -1, SQLITE_STATIC);
	while (row(Q_SPANS)) {
		xgrow(&s, &cap, n + 1, sizeof(*s));
		xgrow(&shared, &cap2, n + 1, sizeof(*shared));
		memset(&s[n], 0, sizeof(*s));
		s[n].span_id = col(Q_SPANS, 0);
		shared[n] = sqlite3_column_int(st[Q_SPANS], 1) != 0;
		s[n].parent = col(Q_SPANS, 2);
		s[n].service = col(Q_SPANS, 3);
		s[n].name = col(Q_SPANS, 4);
		s[n].kind = col(Q_SPANS, 5);
		s[n].has_start = col_time(Q_SPANS, 6, &s[n].start);
		s[n].has_end = col_time(Q_SPANS, 7, &s[n].end);
		if (!s[n].has_end && s[n].has_start &&
		    sqlite3_column_type(st[Q_SPANS], 8) != SQLITE_NULL) {
			d = sqlite3_column_double(st[Q_SPANS], 8);
			s[n].has_end = true;
			s[n].end = s[n].start + (int64_t)d;
		}
		{
			const char *x = col(Q_SPANS, 9);

			s[n].status = x ? status_of(x, strlen(x)) : ST_NONE;
		}
		s[n].reason = col(Q_SPANS, 10);
		s[n].inferred = sqlite3_column_int(st[Q_SPANS], 11) != 0;
		report_checkpoints(R, &s[n], (const char *)
		    sqlite3_column_text(st[Q_SPANS], 12),
		    (size_t)sqlite3_column_bytes(st[Q_SPANS], 12));
		n++;
	}
	done(Q_SPANS);
	t->spans = s;
	t->nspans = n;
	report_tree_order(t, shared);
	if (n > (size_t)R->opts.max_spans)
		n = (size_t)R->opts.max_spans;
	t->spans = report_alloc(R, (n ? n : 1) * sizeof(*s));
	if (n > 0)
		memcpy(t->spans, s, n * sizeof(*s));
	t->nspans = n;
	free(s);
	free(shared);
}

static void
traces(enum q q, struct wtrace **out, size_t *nout)
{
	struct wtrace	*t;
	const char	*x, **problems;
	size_t		 n = 0, i, max = (size_t)(R->opts.ntraces > 0 ?
			    R->opts.ntraces : 1);

	*out = report_alloc(R, max * sizeof(**out));
	problems = report_alloc(R, max * sizeof(*problems));
	sqlite3_bind_int(st[q], 1, R->opts.ntraces);
	while (row(q)) {
		t = &(*out)[n];
		t->trace_id = col(q, 0);
		t->correlation_id = col(q, 1);
		t->has_start = col_time(q, 2, &t->start);
		t->has_end = col_time(q, 3, &t->end);
		t->has_duration = sqlite3_column_type(st[q], 4) != SQLITE_NULL;
		t->duration = sqlite3_column_double(st[q], 4);
		t->root = col(q, 5);
		t->span_count = (long)sqlite3_column_int64(st[q], 6);
		t->error_count = (long)sqlite3_column_int64(st[q], 7);
		x = col(q, 8);
		t->status = x ? status_of(x, strlen(x)) : ST_NONE;
		t->complete = sqlite3_column_int(st[q], 9) != 0;
		t->revision = (long)sqlite3_column_int64(st[q], 10);
		t->model = col(q, 11);
		problems[n++] = col(q, 12);
	}
	done(q);
	*nout = n;
	/* the problems after the spans: they mark the orphans */
	for (i = 0; i < n; i++) {
		t = &(*out)[i];
		if (t->trace_id != NULL)
			spans(t);
		report_problems(R, t, problems[i], problems[i] ?
		    strlen(problems[i]) : 0);
	}
}

/* ---- the graph ----------------------------------------------------------- */

static void
graph(void)
{
	struct edge_row	*e;
	struct jdoc	 d = JDOC_INIT;
	struct buf	 say = BUF_INIT, tmp = BUF_INIT;
	const char	*p, *x;
	size_t		 n, cap = 0;
	int		 whole, k;

	one(Q_WHOLE);
	whole = sqlite3_column_int64(st[Q_WHOLE], 0) > 0;
	done(Q_WHOLE);
	sqlite3_bind_int(st[Q_EDGES], 1, whole);
	while (row(Q_EDGES)) {
		if (R->nedges >= MAX_EDGES) {
			R->edges_hidden++;
			continue;
		}
		xgrow(&R->edges, &cap, R->nedges + 1, sizeof(*R->edges));
		e = &R->edges[R->nedges++];
		memset(e, 0, sizeof(*e));
		e->source = col(Q_EDGES, 0);
		e->target = col(Q_EDGES, 1);
		e->windows = (long)sqlite3_column_int64(st[Q_EDGES], 2);
		e->calls = (unsigned long long)sqlite3_column_int64(st[Q_EDGES],
		    3);
		e->errors = (unsigned long long)sqlite3_column_int64(st[Q_EDGES],
		    4);
		e->has_lat = sqlite3_column_int64(st[Q_EDGES], 5) > 0;
		e->p50 = sqlite3_column_double(st[Q_EDGES], 6);
		e->p95 = sqlite3_column_double(st[Q_EDGES], 7);
		e->p99 = sqlite3_column_double(st[Q_EDGES], 8);
		e->max = sqlite3_column_double(st[Q_EDGES], 9);
		e->avg = sqlite3_column_double(st[Q_EDGES], 10);
		e->first = col(Q_EDGES, 11);
		e->last = col(Q_EDGES, 12);
	}
	done(Q_EDGES);
	/* the edges live in the heap while they grow; keep them in the pool */
	if (R->nedges > 0) {
		e = report_alloc(R, R->nedges * sizeof(*e));
		memcpy(e, R->edges, R->nedges * sizeof(*e));
		free(R->edges);
		R->edges = e;
	}

	sqlite3_bind_int(st[Q_SERVICES], 1, whole);
	cap = 0;
	while (row(Q_SERVICES)) {
		struct node *nd;

		xgrow(&R->nodes, &cap, R->nnodes + 1, sizeof(*R->nodes));
		nd = &R->nodes[R->nnodes++];
		nd->name = col(Q_SERVICES, 0);
		nd->kind = col(Q_SERVICES, 1);
	}
	done(Q_SERVICES);
	if (R->nnodes > 0) {
		struct node *nd = report_alloc(R, R->nnodes * sizeof(*nd));

		memcpy(nd, R->nodes, R->nnodes * sizeof(*nd));
		free(R->nodes);
		R->nodes = nd;
	}

	sqlite3_bind_int(st[Q_CYCLES], 1, whole);
	sqlite3_bind_int(st[Q_CYCLES], 2, MAX_CYCLES);
	R->cycles = report_alloc(R, MAX_CYCLES * sizeof(*R->cycles));
	while (row(Q_CYCLES)) {
		x = (const char *)sqlite3_column_text(st[Q_CYCLES], 0);
		n = (size_t)sqlite3_column_bytes(st[Q_CYCLES], 0);
		if (x == NULL || !jdoc_parse(&d, x, n) ||
		    d.t[0].type != J_ARRAY)
			continue;
		buf_reset(&say);
		for (k = 1; k < (int)d.n; k = (int)d.t[k].next) {
			if (d.t[k].type != J_STRING)
				continue;
			if (say.len > 0)
				buf_addlit(&say, " \xe2\x86\x92 ");
			jdoc_str(&d, k, &tmp, &p, &n);
			buf_add(&say, p, n);
		}
		R->cycles[R->ncycles++] = report_str(R, say.p ? say.p : "",
		    say.len);
	}
	done(Q_CYCLES);
	jdoc_release(&d);
	buf_release(&say);
	buf_release(&tmp);
}

/* ---- the rejects ----------------------------------------------------------- */

static void
rejects(void)
{
	struct reject_class *c;
	struct reject_ex *x;
	size_t		 cap = MAX_REJECT_CLASSES;

	R->rcl = report_alloc(R, cap * sizeof(*R->rcl));
	while (row(Q_REJECT_CLASSES)) {
		if (R->nrcl >= MAX_REJECT_CLASSES) {
			R->rcl_hidden += (unsigned long)sqlite3_column_int64(
			    st[Q_REJECT_CLASSES], 1);
			continue;
		}
		c = &R->rcl[R->nrcl++];
		c->name = col(Q_REJECT_CLASSES, 0);
		c->count = (unsigned long)sqlite3_column_int64(
		    st[Q_REJECT_CLASSES], 1);
	}
	done(Q_REJECT_CLASSES);
	for (c = R->rcl; c < R->rcl + R->nrcl; c++) {
		sqlite3_bind_text(st[Q_REJECT_EXAMPLES], 1, c->name, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(st[Q_REJECT_EXAMPLES], 2, MAX_REJECT_EXAMPLES);
		sqlite3_bind_int(st[Q_REJECT_EXAMPLES], 3, MAX_RAW);
		while (row(Q_REJECT_EXAMPLES) && c->nex < MAX_REJECT_EXAMPLES) {
			x = &c->ex[c->nex++];
			x->tool = col(Q_REJECT_EXAMPLES, 0);
			x->input = col(Q_REJECT_EXAMPLES, 1);
			x->line = (long)sqlite3_column_int64(
			    st[Q_REJECT_EXAMPLES], 2);
			x->reason = col(Q_REJECT_EXAMPLES, 3);
			x->raw = col(Q_REJECT_EXAMPLES, 4);
			x->cut = x->raw != NULL && sqlite3_column_int64(
			    st[Q_REJECT_EXAMPLES], 5) > (sqlite3_int64)
			    strlen(x->raw);
		}
		done(Q_REJECT_EXAMPLES);
	}
}

int
db_report(struct report *r, const char *path)
{
	int	 i;

	R = r;
	open_db(path);
	exec(Q_BEGIN);
	overview();
	failures();
	chart();
	traces(Q_SLOWEST, &r->slow, &r->nslow);
	traces(Q_FAILED, &r->failed, &r->nfailed);
	graph();
	rejects();
	exec(Q_END);
	for (i = 0; i < Q_N; i++)
		sqlite3_finalize(st[i]);
	if (sqlite3_close(h) != SQLITE_OK)
		die("cannot close it");
	return LP_EXIT_OK;
}
