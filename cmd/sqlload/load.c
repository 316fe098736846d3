/*
 * load.c - sqlload's loaders, one per record type; see load.h.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jw.h"
#include "load.h"
#include "map.h"
#include "ts.h"

/* Bind view v (JSON string content or raw bytes) as text, or null. */
static void
bind_view(sqlite3_stmt *st, int i, const struct strview *v,
    struct buf *scratch)
{
	const char	*p;
	size_t		 n;

	if (!event_text(v, scratch, &p, &n) || n > INT_MAX)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, p, (int)n, p == v->p ? SQLITE_STATIC :
		    SQLITE_TRANSIENT);
}

static void
bind_time(sqlite3_stmt *st, int i, bool has, int64_t ms)
{
	char	 t[TS_LEN + 1];

	if (!has) {
		sqlite3_bind_null(st, i);
		return;
	}
	ts_format(ms, t);
	sqlite3_bind_text(st, i, t, TS_LEN, SQLITE_TRANSIENT);
}

/* Bind b's content (which must live until the step) as text. */
static void
bind_buf(sqlite3_stmt *st, int i, const struct buf *b)
{
	sqlite3_bind_text(st, i, b->len > 0 ? b->p : "", (int)b->len,
	    SQLITE_STATIC);
}

/* "{" members "}" into b. */
static void
object(struct buf *b, const struct strview *members)
{
	buf_reset(b);
	buf_addc(b, '{');
	buf_add(b, members->p, members->n);
	buf_addc(b, '}');
}

/* Append view v's raw bytes to b. */
static void
add_view(struct buf *b, const struct strview *v, struct buf *scratch)
{
	const char	*p;
	size_t		 n;

	if (event_text(v, scratch, &p, &n))
		buf_add(b, p, n);
}

static bool
is_stdin(const struct loader *l, const struct strview *file)
{
	return strview_eq(file, "(stdin)", 7);
}

/*
 * The identity of a record from source s (load.h), into l->id; text is
 * the record, hashed when the source says too little.
 */
static void
identity(struct loader *l, const struct source *s, const char *text,
    size_t len)
{
	struct buf	*id = &l->id;

	buf_reset(id);
	if (source_is_kafka(s)) {
		buf_addlit(id, "k:");
		add_view(id, &s->topic, &l->text);
		buf_addf(id, ":%lld:%lld", (long long)s->partition,
		    (long long)s->offset);
	} else if (s->file.p != NULL && s->line >= 0) {
		buf_addlit(id, "f:");
		add_view(id, &s->file, &l->text);
		buf_addf(id, ":%lld", (long long)s->line);
	} else {
		buf_addf(id, "h:%016llx",
		    (unsigned long long)map_hash(text, len));
		return;
	}
	if (s->index >= 0)
		buf_addf(id, "#%lld", (long long)s->index);
	if (s->file.p != NULL && is_stdin(l, &s->file))
		buf_addf(id, ":h%016llx",
		    (unsigned long long)map_hash(text, len));
}

/* Note the Kafka coordinates of s as consumed by the batch. */
static void
note_offset(struct loader *l, const struct source *s)
{
	const char	*p;
	size_t		 n;

	if (source_is_kafka(s) && event_text(&s->topic, &l->text, &p, &n))
		db_offset(l->db, p, n, s->partition, s->offset);
}

/*
 * The members later stages add (logproc(7)): a logjoin "join" member
 * names the detail part merged into this event, whose Kafka message is
 * consumed too.  (An event logjoin marks a duplicate is loaded all the
 * same: it has a source of its own, and is told apart by its join
 * member.)
 */
static void
join_member(struct loader *l)
{
	struct jdoc	*d = &l->xdoc;
	struct source	 ds;
	int		 t;

	if (jdoc_parse(d, l->extra.p, l->extra.len) &&
	    (t = jdoc_path(d, 0, "join.detail", 11)) >= 0 &&
	    d->t[t].type == J_OBJECT &&
	    source_parse(d->src + d->t[t].start + 1,
	    d->t[t].end - d->t[t].start - 2, &l->srcdoc, &l->srcscratch, &ds))
		note_offset(l, &ds);
}

static enum load_result
load_event(struct loader *l, const struct record *rec)
{
	struct event	*ev = &l->ev;
	struct source	*s = &l->src;
	sqlite3_stmt	*st;
	int		 i;

	if (!event_read(rec->doc, ev, &l->scratch, &l->why))
		return LOAD_REJECT;
	if (!source_parse(ev->source.p, ev->source.n, &l->srcdoc,
	    &l->srcscratch, s)) {
		buf_reset(&l->why);
		buf_addlit(&l->why, "bad field: 'source' is not a source "
		    "object");
		return LOAD_REJECT;
	}
	identity(l, s, rec->text, rec->len);
	buf_reset(&l->extra);
	if (ev->extra.n > 0)
		object(&l->extra, &ev->extra);
	if ((st = db_stmt(l->db, S_EVENT)) == NULL)
		return LOAD_FAIL;
	/* the string fields are in record order, but for timestamp */
	for (i = 0; i <= EF_TARGET_SYSTEM_ID; i++)
		bind_view(st, i < EF_STATUS ? i + 1 : i + 2, &ev->f[i],
		    &l->text);
	bind_time(st, 3, ev->has_ts, ev->ts_ms);
	if (ev->has_duration)
		sqlite3_bind_double(st, 11, ev->duration_ms);
	else
		sqlite3_bind_null(st, 11);
	if (ev->f[EF_PART].p != NULL)
		bind_view(st, 12, &ev->f[EF_PART], &l->text);
	else
		sqlite3_bind_text(st, 12, "main", 4, SQLITE_STATIC);
	bind_view(st, 13, &ev->rule, &l->text);
	object(&l->attrs, &ev->attrs);
	bind_buf(st, 14, &l->attrs);
	object(&l->source, &ev->source);
	bind_buf(st, 15, &l->source);
	bind_buf(st, 16, &l->id);
	bind_view(st, 17, &s->file, &l->text);
	if (s->line >= 0)
		sqlite3_bind_int64(st, 18, s->line);
	else
		sqlite3_bind_null(st, 18);
	bind_view(st, 19, &s->topic, &l->text);
	if (s->partition >= 0)
		sqlite3_bind_int64(st, 20, s->partition);
	else
		sqlite3_bind_null(st, 20);
	if (s->offset >= 0)
		sqlite3_bind_int64(st, 21, s->offset);
	else
		sqlite3_bind_null(st, 21);
	bind_view(st, 22, &s->key, &l->text);
	if (s->has_ts)
		sqlite3_bind_int64(st, 23, s->ts_ms);
	else
		sqlite3_bind_null(st, 23);
	if (s->index >= 0)
		sqlite3_bind_int64(st, 24, s->index);
	else
		sqlite3_bind_null(st, 24);
	if (l->extra.len > 0)
		bind_buf(st, 25, &l->extra);
	else
		sqlite3_bind_null(st, 25);
	if (!db_step(l->db, S_EVENT, T_EVENTS))
		return LOAD_FAIL;
	note_offset(l, s);
	if (l->extra.len > 0)
		join_member(l);		/* reuses srcdoc: s is done with */
	return LOAD_OK;
}

/*
 * The members of the object at token obj whose names are not in known
 * (NULL-terminated), as a JSON object into b; empty when there are none.
 */
static void
other_members(const struct jdoc *d, int obj, const char *const *known,
    struct buf *b)
{
	const char *const *k;
	uint32_t	 m, t;
	bool		 first = true;

	buf_reset(b);
	for (m = 0, t = (uint32_t)obj + 1; m < d->t[obj].count;
	    m++, t = d->t[t + 1].next) {
		for (k = known; *k != NULL; k++)
			if (jdoc_str_eq(d, (int)t, *k, strlen(*k)))
				break;
		if (*k != NULL)
			continue;
		buf_addc(b, first ? '{' : ',');
		first = false;
		jdoc_write(d, (int)t, b);
		buf_addc(b, ':');
		jdoc_write(d, (int)t + 1, b);
	}
	if (!first)
		buf_addc(b, '}');
}

/* Bind token tok of d (an array or object, or -1: null) as JSON text. */
static void
bind_json(sqlite3_stmt *st, int i, const struct jdoc *d, int tok,
    struct buf *b)
{
	buf_reset(b);
	if (tok < 0 || d->t[tok].type == J_NULL) {
		sqlite3_bind_null(st, i);
		return;
	}
	jdoc_write(d, tok, b);
	bind_buf(st, i, b);
}

static void
bind_num(sqlite3_stmt *st, int i, bool has, double v)
{
	if (has)
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

/* Bind a span of trace trace_id at revision rev and step. */
static bool
store_span(struct loader *l, const struct jdoc *d, const struct span_rec *s,
    const struct strview *trace_id, long rev)
{
	sqlite3_stmt	*st;

	if ((st = db_stmt(l->db, S_SPAN)) == NULL)
		return false;
	bind_view(st, 1, trace_id, &l->text);
	if (s->span_id.p != NULL)
		bind_view(st, 2, &s->span_id, &l->text);
	else
		sqlite3_bind_text(st, 2, "", 0, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, s->shared);
	bind_view(st, 4, &s->parent_span_id, &l->text);
	bind_view(st, 5, &s->service, &l->text);
	bind_view(st, 6, &s->target, &l->text);
	bind_view(st, 7, &s->name, &l->text);
	bind_view(st, 8, &s->kind, &l->text);
	bind_time(st, 9, s->has_start, s->start_ms);
	bind_time(st, 10, s->has_end, s->end_ms);
	bind_num(st, 11, s->has_duration, s->duration_ms);
	bind_view(st, 12, &s->status, &l->text);
	bind_view(st, 13, &s->failure_reason, &l->text);
	sqlite3_bind_int(st, 14, s->depth);
	sqlite3_bind_int(st, 15, s->parent_inferred);
	sqlite3_bind_int64(st, 16, s->events);
	bind_json(st, 17, d, s->checkpoints, &l->json[0]);
	object(&l->attrs, &s->attrs);
	bind_buf(st, 18, &l->attrs);
	sqlite3_bind_int64(st, 19, rev);
	return db_step(l->db, S_SPAN, T_TRACE_SPANS);
}

static const char *const trace_members[] = {
	"type", "trace_id", "correlation_id", "start", "end", "duration_ms",
	"root", "services", "last_system", "span_count", "error_count",
	"status", "complete", "revision", "model", "problems", "failures",
	"spans", NULL
};

/*
 * A trace: its row, replaced only by a higher revision; when it is
 * written, its spans replace those of older revisions.
 */
static enum load_result
load_trace(struct loader *l, const struct record *rec)
{
	struct trace_rec *t = &l->trace;
	const struct jdoc *d = rec->doc;
	sqlite3_stmt	*st;
	size_t		 i;

	if (!trace_read(d, t, &l->why))
		return LOAD_REJECT;
	if (t->trace_id.p == NULL) {
		buf_reset(&l->why);
		buf_addlit(&l->why, "bad trace: 'trace_id' is null");
		return LOAD_REJECT;
	}
	if ((st = db_stmt(l->db, S_TRACE)) == NULL)
		return LOAD_FAIL;
	bind_view(st, 1, &t->trace_id, &l->text);
	bind_view(st, 2, &t->correlation_id, &l->text);
	bind_time(st, 3, t->has_start, t->start_ms);
	bind_time(st, 4, t->has_end, t->end_ms);
	bind_num(st, 5, t->has_duration, t->duration_ms);
	bind_view(st, 6, &t->root, &l->text);
	bind_json(st, 7, d, t->services, &l->json[0]);
	bind_view(st, 8, &t->last_system, &l->text);
	sqlite3_bind_int64(st, 9, t->span_count);
	sqlite3_bind_int64(st, 10, t->error_count);
	bind_view(st, 11, &t->status, &l->text);
	sqlite3_bind_int(st, 12, t->complete);
	sqlite3_bind_int64(st, 13, t->revision);
	bind_view(st, 14, &t->model, &l->text);
	bind_json(st, 15, d, t->problems, &l->json[1]);
	bind_json(st, 16, d, t->failures, &l->json[2]);
	other_members(d, 0, trace_members, &l->json[3]);
	if (l->json[3].len > 0)
		bind_buf(st, 17, &l->json[3]);
	else
		sqlite3_bind_null(st, 17);
	if (!db_step(l->db, S_TRACE, T_STRUCTURED_LOGS))
		return LOAD_FAIL;
	if (db_changes(l->db) == 0)
		return LOAD_OK;		/* an older or the same revision */
	if ((st = db_stmt(l->db, S_SPANS_DEL)) == NULL)
		return LOAD_FAIL;
	bind_view(st, 1, &t->trace_id, &l->text);
	sqlite3_bind_int64(st, 2, t->revision);
	if (!db_step(l->db, S_SPANS_DEL, T_NTABLES))
		return LOAD_FAIL;
	for (i = 0; i < t->nspans; i++)
		if (!store_span(l, d, &t->spans[i], &t->trace_id, t->revision))
			return LOAD_FAIL;
	return LOAD_OK;
}

static enum load_result
load_span(struct loader *l, const struct record *rec)
{
	struct span_rec	*s = &l->span;

	if (!span_read(rec->doc, 0, s, &l->why))
		return LOAD_REJECT;
	if (s->trace_id.p == NULL) {
		buf_reset(&l->why);
		buf_addlit(&l->why, "bad span: 'trace_id' is null");
		return LOAD_REJECT;
	}
	return store_span(l, rec->doc, s, &s->trace_id, s->revision) ?
	    LOAD_OK : LOAD_FAIL;
}

/*
 * depgraph's records (edge, service, cycle) and reject records are read
 * by a table of their members: what each member must be and which
 * parameter it binds.  Members not in the table go to the attrs column,
 * so that a change of detail in those records costs a column at most.
 */
enum gkind {
	G_KEY,		/* a string, required */
	G_STR,		/* a string or null */
	G_WINDOW,	/* anything; '' when absent or null */
	G_INT,		/* an integer or null */
	G_NUM,		/* a number or null */
	G_SCALAR,	/* a string, a number or null (times) */
	G_JSON,		/* anything, as JSON text */
	G_ARRAY,	/* an array, required, as JSON text */
	G_LATENCY	/* {avg,p50,p95,p99,max}: five parameters */
};

struct gcol {
	const char	*name;
	const char	*alias;		/* another name for it, or NULL */
	int		 param;
	enum gkind	 kind;
};

struct gspec {
	const char	*what;		/* "edge", for messages */
	enum stmt	 stmt;
	enum table	 table;
	int		 nparams;
	int		 attrs;		/* the attrs parameter, or 0 */
	int		 hash;		/* the src_id parameter, or 0 */
	struct gcol	 col[16];
};

static const struct gspec edge_spec = {
	"edge", S_EDGE, T_DEPENDENCIES, 15, 15, 0, {
		{ "source", NULL, 1, G_KEY },
		{ "target", NULL, 2, G_KEY },
		{ "window", NULL, 3, G_WINDOW },
		{ "calls", NULL, 4, G_INT },
		{ "errors", NULL, 5, G_INT },
		{ "error_rate", NULL, 6, G_NUM },
		{ "latency", NULL, 7, G_LATENCY },
		{ "latency_avg", NULL, 7, G_NUM },
		{ "latency_p50", NULL, 8, G_NUM },
		{ "latency_p95", NULL, 9, G_NUM },
		{ "latency_p99", NULL, 10, G_NUM },
		{ "latency_max", NULL, 11, G_NUM },
		{ "first_seen", NULL, 12, G_SCALAR },
		{ "last_seen", NULL, 13, G_SCALAR },
		{ "sketch", NULL, 14, G_JSON },
		{ NULL, NULL, 0, G_KEY } }
};

static const struct gspec service_spec = {
	"service", S_SERVICE, T_SERVICES, 8, 8, 0, {
		{ "service", "name", 1, G_KEY },
		{ "window", NULL, 2, G_WINDOW },
		{ "calls_in", NULL, 3, G_INT },
		{ "calls_out", NULL, 4, G_INT },
		{ "errors", NULL, 5, G_INT },
		{ "first_seen", NULL, 6, G_SCALAR },
		{ "last_seen", NULL, 7, G_SCALAR },
		{ NULL, NULL, 0, G_KEY } }
};

static const struct gspec cycle_spec = {
	"cycle", S_CYCLE, T_CYCLES, 3, 3, 0, {
		{ "services", "members", 1, G_ARRAY },
		{ "window", NULL, 2, G_WINDOW },
		{ NULL, NULL, 0, G_KEY } }
};

static const struct gspec reject_spec = {
	"reject", S_REJECT, T_REJECTS, 6, 0, 1, {
		{ "tool", NULL, 2, G_STR },
		{ "input", NULL, 3, G_STR },
		{ "line", NULL, 4, G_INT },
		{ "reason", NULL, 5, G_STR },
		{ "raw", NULL, 6, G_STR },
		{ NULL, NULL, 0, G_KEY } }
};

enum gresult {
	GB_OK,		/* bound */
	GB_BAD,		/* of the wrong type: why says which */
	GB_KEEP		/* bound, and kept whole in attrs too */
};

static enum gresult
gbad(struct loader *l, const struct gspec *g, const struct gcol *c,
    const char *what)
{
	buf_reset(&l->why);
	buf_addf(&l->why, "bad %s: '%s' %s", g->what, c->name, what);
	return GB_BAD;
}

/* Bind token v of d as column c says. */
static enum gresult
gbind(struct loader *l, const struct gspec *g, const struct gcol *c,
    sqlite3_stmt *st, const struct jdoc *d, int v)
{
	const struct jtok *t = &d->t[v];
	const char	*p;
	size_t		 n;
	double		 x;
	int		 m, k, i;
	bool		 other = false;
	static const char *const lat[] = { "avg", "p50", "p95", "p99", "max" };

	switch (c->kind) {
	case G_KEY: case G_STR:
		if (t->type == J_NULL && c->kind == G_STR)
			return GB_OK;
		if (t->type != J_STRING)
			return gbad(l, g, c, "is not a string");
		break;
	case G_INT: case G_NUM:
		if (t->type == J_NULL)
			return GB_OK;
		if (t->type != J_NUMBER)
			return gbad(l, g, c, "is not a number");
		x = jdoc_num(d, v);
		if (c->kind == G_NUM) {
			sqlite3_bind_double(st, c->param, x);
			return GB_OK;
		}
		if (x != (double)(int64_t)x)
			return gbad(l, g, c, "is not an integer");
		sqlite3_bind_int64(st, c->param, (int64_t)x);
		return GB_OK;
	case G_SCALAR:
		if (t->type == J_NULL)
			return GB_OK;
		if (t->type == J_NUMBER) {
			sqlite3_bind_double(st, c->param, jdoc_num(d, v));
			return GB_OK;
		}
		if (t->type != J_STRING)
			return gbad(l, g, c, "is not a string or a number");
		break;
	case G_WINDOW:
		if (t->type == J_NULL)
			return GB_OK;	/* '' bound already */
		if (t->type == J_STRING)
			break;
		/* FALLTHROUGH */
	case G_JSON: case G_ARRAY:
		if (t->type == J_NULL && c->kind == G_JSON)
			return GB_OK;
		if (c->kind == G_ARRAY && t->type != J_ARRAY)
			return gbad(l, g, c, "is not an array");
		buf_reset(&l->json[0]);
		jdoc_write(d, v, &l->json[0]);
		sqlite3_bind_text(st, c->param, l->json[0].p,
		    (int)l->json[0].len, SQLITE_TRANSIENT);
		return GB_OK;
	case G_LATENCY:
		if (t->type == J_NULL)
			return GB_OK;
		if (t->type != J_OBJECT)
			return gbad(l, g, c, "is not an object");
		for (m = 0, k = v + 1; m < (int)t->count;
		    m++, k = (int)d->t[k + 1].next) {
			for (i = 0; i < 5; i++)
				if (jdoc_str_eq(d, k, lat[i], 3))
					break;
			if (i == 5) {
				other = true;
				continue;
			}
			if (d->t[k + 1].type == J_NULL)
				continue;
			if (d->t[k + 1].type != J_NUMBER)
				return gbad(l, g, c, "holds a value that is "
				    "not a number");
			sqlite3_bind_double(st, c->param + i,
			    jdoc_num(d, k + 1));
		}
		return other ? GB_KEEP : GB_OK;
	}
	jdoc_str(d, v, &l->text, &p, &n);
	sqlite3_bind_text(st, c->param, p, (int)n, SQLITE_TRANSIENT);
	return GB_OK;
}

static enum load_result
load_generic(struct loader *l, const struct record *rec,
    const struct gspec *g)
{
	const struct jdoc *d = rec->doc;
	const struct gcol *c;
	sqlite3_stmt	*st;
	uint32_t	 m, k;
	struct buf	*attrs = &l->attrs;
	enum gresult	 r;
	bool		 seen[16] = { false };
	int		 i;

	if ((st = db_stmt(l->db, g->stmt)) == NULL)
		return LOAD_FAIL;
	for (i = 1; i <= g->nparams; i++)
		sqlite3_bind_null(st, i);
	for (c = g->col; c->name != NULL; c++)
		if (c->kind == G_WINDOW)
			sqlite3_bind_text(st, c->param, "", 0, SQLITE_STATIC);
	buf_reset(attrs);
	for (m = 0, k = 1; m < d->t[0].count; m++, k = d->t[k + 1].next) {
		if (jdoc_str_eq(d, (int)k, "type", 4))
			continue;
		for (c = g->col; c->name != NULL; c++)
			if (jdoc_str_eq(d, (int)k, c->name, strlen(c->name)) ||
			    (c->alias != NULL && jdoc_str_eq(d, (int)k, c->alias,
			    strlen(c->alias))))
				break;
		if (c->name != NULL) {
			seen[c - g->col] = true;
			r = gbind(l, g, c, st, d, (int)k + 1);
			if (r == GB_BAD)
				return LOAD_REJECT;
			if (r == GB_OK)
				continue;
		}
		buf_addc(attrs, attrs->len == 0 ? '{' : ',');
		jdoc_write(d, (int)k, attrs);
		buf_addc(attrs, ':');
		jdoc_write(d, (int)k + 1, attrs);
	}
	for (c = g->col; c->name != NULL; c++)
		if ((c->kind == G_KEY || c->kind == G_ARRAY) &&
		    !seen[c - g->col]) {
			buf_reset(&l->why);
			buf_addf(&l->why, "bad %s: no '%s'", g->what, c->name);
			return LOAD_REJECT;
		}
	if (attrs->len > 0)
		buf_addc(attrs, '}');
	if (g->attrs > 0 && attrs->len > 0)
		bind_buf(st, g->attrs, attrs);
	if (g->hash > 0) {
		buf_reset(&l->id);
		buf_addf(&l->id, "h:%016llx",
		    (unsigned long long)map_hash(rec->text, rec->len));
		bind_buf(st, g->hash, &l->id);
	}
	return db_step(l->db, g->stmt, g->table) ? LOAD_OK : LOAD_FAIL;
}

enum load_result
load_record(struct loader *l, const struct record *rec)
{
	const char	*p;
	size_t		 n;

	buf_reset(&l->why);
	switch (rec->type) {
	case RT_EVENT:
		return load_event(l, rec);
	case RT_TRACE:
		return load_trace(l, rec);
	case RT_SPAN:
		return load_span(l, rec);
	case RT_EDGE:
		return load_generic(l, rec, &edge_spec);
	case RT_SERVICE:
		return load_generic(l, rec, &service_spec);
	case RT_CYCLE:
		return load_generic(l, rec, &cycle_spec);
	case RT_REJECT:
		return load_generic(l, rec, &reject_spec);
	default:
		jdoc_str(rec->doc, jdoc_get(rec->doc, 0, "type", 4), &l->text,
		    &p, &n);
		buf_addf(&l->why, "unknown type: '%.*s'", n > 64 ? 64 : (int)n,
		    p);
		return LOAD_REJECT;
	}
}

/* The member name of envelope d, if it is a string (raw bytes to *p). */
static bool
env_str(struct loader *l, const struct jdoc *d, const char *name,
    struct buf *scratch, const char **p, size_t *n)
{
	int	 t = jdoc_get(d, 0, name, strlen(name));

	if (t < 0 || d->t[t].type != J_STRING)
		return false;
	jdoc_str(d, t, scratch, p, n);
	return true;
}

static bool
env_int(const struct jdoc *d, const char *name, int64_t *v)
{
	int	 t = jdoc_get(d, 0, name, strlen(name));
	double	 x;

	if (t < 0 || d->t[t].type != J_NUMBER)
		return false;
	x = jdoc_num(d, t);
	if (x < 0 || x != (double)(int64_t)x)
		return false;
	*v = (int64_t)x;
	return true;
}

enum load_result
load_raw(struct loader *l, const struct record *rec)
{
	struct jdoc	*d = &l->xdoc;
	sqlite3_stmt	*st;
	const char	*topic, *p;
	size_t		 tl, n;
	int64_t		 part, off, ts;
	bool		 kafka;

	kafka = jdoc_parse(d, rec->text, rec->len) &&
	    d->t[0].type == J_OBJECT &&
	    env_str(l, d, "topic", &l->scratch, &topic, &tl) &&
	    env_int(d, "partition", &part) && env_int(d, "offset", &off);
	if ((st = db_stmt(l->db, S_RAW)) == NULL)
		return LOAD_FAIL;
	buf_reset(&l->id);
	if (kafka) {
		buf_addlit(&l->id, "k:");
		buf_add(&l->id, topic, tl);
		buf_addf(&l->id, ":%lld:%lld", (long long)part,
		    (long long)off);
		sqlite3_bind_text(st, 2, topic, (int)tl, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, part);
		sqlite3_bind_int64(st, 4, off);
		if (env_str(l, d, "key", &l->text, &p, &n))
			sqlite3_bind_text(st, 5, p, (int)n, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 5);
		sqlite3_bind_null(st, 6);
		sqlite3_bind_null(st, 7);
		if (env_str(l, d, "payload", &l->text, &p, &n))
			sqlite3_bind_text(st, 8, p, (int)n, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 8);
		if (env_int(d, "ts", &ts))
			sqlite3_bind_int64(st, 9, ts);
		else
			sqlite3_bind_null(st, 9);
	} else {
		buf_addf(&l->id, "f:%s:%ld", rec->input, rec->line);
		if (strcmp(rec->input, "(stdin)") == 0)
			buf_addf(&l->id, ":h%016llx", (unsigned long long)
			    map_hash(rec->text, rec->len));
		sqlite3_bind_null(st, 2);
		sqlite3_bind_null(st, 3);
		sqlite3_bind_null(st, 4);
		sqlite3_bind_null(st, 5);
		sqlite3_bind_text(st, 6, rec->input, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, rec->line);
		sqlite3_bind_text(st, 8, rec->text, (int)rec->len,
		    SQLITE_STATIC);
		sqlite3_bind_null(st, 9);
	}
	bind_buf(st, 1, &l->id);
	sqlite3_bind_text(st, 10, l->db->received, -1, SQLITE_STATIC);
	if (!db_step(l->db, S_RAW, T_RAW_LOGS))
		return LOAD_FAIL;
	if (kafka)
		db_offset(l->db, topic, tl, part, off);
	return LOAD_OK;
}

void
load_init(struct loader *l, struct db *db)
{
	memset(l, 0, sizeof(*l));
	l->db = db;
}

void
load_release(struct loader *l)
{
	int	 i;

	trace_rec_release(&l->trace);
	jdoc_release(&l->srcdoc);
	jdoc_release(&l->xdoc);
	buf_release(&l->scratch);
	buf_release(&l->srcscratch);
	buf_release(&l->why);
	buf_release(&l->id);
	buf_release(&l->attrs);
	buf_release(&l->source);
	buf_release(&l->extra);
	buf_release(&l->text);
	for (i = 0; i < 4; i++)
		buf_release(&l->json[i]);
}
