/*
 * write.c - trace and span records (logproc(7)) and the tree view; see
 * tracebuild.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "map.h"
#include "tracebuild.h"
#include "ts.h"

/* ---- JSON ---------------------------------------------------------------- */

static bool
failed(const struct strview *status)
{
	return strview_eq(status, "FAILURE", 7);
}

static void
put_view(struct buf *out, const struct strview *v)
{
	if (v->p == NULL)
		jw_null(out);
	else if (v->json) {
		buf_addc(out, '"');
		buf_add(out, v->p, v->n);
		buf_addc(out, '"');
	} else
		jw_str(out, v->p, v->n);
}

static void
put_time(struct buf *out, bool has, int64_t ms)
{
	char	 ts[TS_LEN + 1];

	if (!has) {
		jw_null(out);
		return;
	}
	ts_format(ms, ts);
	buf_addc(out, '"');
	buf_add(out, ts, TS_LEN);
	buf_addc(out, '"');
}

static void
put_bool(struct buf *out, bool v)
{
	if (v)
		buf_addlit(out, "true");
	else
		buf_addlit(out, "false");
}

/*
 * A span's duration: as the log gave it, else end minus start; unknown
 * (null) for a span logged in pieces of which one came (its start or its
 * end line alone), which says when, but not how long.
 */
static void
put_duration(struct buf *out, const struct span *s)
{
	if (s->has_duration && s->durtext.p != NULL)
		buf_add(out, s->durtext.p, s->durtext.n);
	else if (s->has_duration)
		jw_num(out, s->duration);
	else if (s->has_start && s->has_end && (s->ncps > 0 || s->events > 1))
		jw_int(out, s->end - s->start);
	else
		jw_null(out);
}

static void
put_checkpoints(struct buf *out, const struct span *s)
{
	const struct event *ev;
	size_t		 i;
	bool		 any = false;

	buf_addc(out, '[');
	for (i = 0; i < s->ncps; i++) {
		ev = s->cps[i];
		if (event_is_detail(ev))
			continue;
		if (any)
			buf_addc(out, ',');
		any = true;
		buf_addlit(out, "{\"checkpoint\":");
		put_view(out, &ev->f[EF_CHECKPOINT_ID]);
		buf_addlit(out, ",\"status\":");
		put_view(out, &ev->f[EF_STATUS]);
		buf_addlit(out, ",\"time\":");
		put_time(out, ev->has_ts, ev->ts_ms);
		buf_addlit(out, ",\"reason\":");
		put_view(out, &ev->f[EF_FAILURE_REASON]);
		buf_addc(out, '}');
	}
	buf_addc(out, ']');
}

/*
 * Writing a span: room for all of it but its checkpoints and attrs is
 * made once, then the pieces are appended without a check each (a span
 * record is a few dozen small appends, and traces have many spans).
 */
#define SPAN_FIXED	400	/* names, punctuation, times, numbers */

static inline void
raw_time(struct buf *out, bool has, int64_t ms)
{
	if (!has) {
		buf_putlit(out, "null");
		return;
	}
	out->p[out->len++] = '"';
	ts_format(ms, out->p + out->len);	/* TS_LEN and a NUL */
	out->len += TS_LEN;
	out->p[out->len++] = '"';
}

static inline void
raw_bool(struct buf *out, bool v)
{
	if (v)
		buf_putlit(out, "true");
	else
		buf_putlit(out, "false");
}

/* A count of a few digits, the usual depth and number of events. */
static inline void
raw_small(struct buf *out, long v)
{
	if (v >= 0 && v < 10)
		out->p[out->len++] = (char)('0' + v);
	else
		jw_int(out, v);
}

/* The members of span s (no braces). */
static void
put_span(struct buf *out, const struct span *s)
{
	size_t	 need = SPAN_FIXED + s->durtext.n + strview_max(&s->id) +
		    strview_max(&s->parent) + strview_max(&s->service) +
		    strview_max(&s->target) + strview_max(&s->name) +
		    strview_max(&s->kind) + strview_max(&s->status) +
		    strview_max(&s->reason);

	if (out->cap - out->len <= need)
		buf_grow(out, need);
	buf_putlit(out, "\"span_id\":");
	strview_put(out, &s->id);
	buf_putlit(out, ",\"parent_span_id\":");
	strview_put(out, &s->parent);
	buf_putlit(out, ",\"service\":");
	strview_put(out, &s->service);
	buf_putlit(out, ",\"target\":");
	strview_put(out, &s->target);
	buf_putlit(out, ",\"name\":");
	strview_put(out, &s->name);
	buf_putlit(out, ",\"kind\":");
	strview_put(out, &s->kind);
	buf_putlit(out, ",\"start\":");
	raw_time(out, s->has_start, s->start);
	buf_putlit(out, ",\"end\":");
	raw_time(out, s->has_end, s->end);
	buf_putlit(out, ",\"duration_ms\":");
	out->p[out->len] = '\0';	/* put_duration appends the usual way */
	put_duration(out, s);
	buf_putlit(out, ",\"status\":");
	strview_put(out, &s->status);
	buf_putlit(out, ",\"failure_reason\":");
	strview_put(out, &s->reason);
	buf_putlit(out, ",\"depth\":");
	raw_small(out, s->depth);
	buf_putlit(out, ",\"parent_inferred\":");
	raw_bool(out, s->inferred);
	buf_putlit(out, ",\"orphan\":");
	raw_bool(out, s->orphan);
	buf_putlit(out, ",\"shared\":");
	raw_bool(out, s->shared);
	buf_putlit(out, ",\"events\":");
	raw_small(out, s->events);
	buf_putlit(out, ",\"checkpoints\":");
	out->p[out->len] = '\0';
	put_checkpoints(out, s);
	buf_addlit(out, ",\"attrs\":{");
	buf_add(out, s->attrs.p, s->attrs.n);
	buf_addc(out, '}');
}

static int
by_start(const void *a, const void *b)
{
	const struct span *x = *(struct span *const *)a;
	const struct span *y = *(struct span *const *)b;
	int64_t		 sx = x->has_start ? x->start : INT64_MAX;
	int64_t		 sy = y->has_start ? y->start : INT64_MAX;

	size_t		 n;
	int		 c;

	if (sx != sy)
		return sx < sy ? -1 : 1;
	/* the span id breaks ties, so that the order is the same whatever
	 * order the events came in */
	n = x->id.n < y->id.n ? x->id.n : y->id.n;
	if (x->id.p != NULL && y->id.p != NULL &&
	    (c = memcmp(x->id.p, y->id.p, n)) != 0)
		return c;
	if (x->id.n != y->id.n)
		return x->id.n < y->id.n ? -1 : 1;
	return (int)x->shared - (int)y->shared;
}

/* Trace-wide figures, from the spans. */
struct summary {
	bool		 has_start, has_end;
	int64_t		 start, end;
	const struct span *last;	/* ended last */
	long		 errors;
	bool		 any_status;
};

static void
summarize(const struct built *b, struct summary *sm)
{
	const struct span *s;
	size_t		 i;

	memset(sm, 0, sizeof(*sm));
	for (i = 0; i < b->norder; i++) {
		s = b->order[i];
		if (s->has_start && (!sm->has_start || s->start < sm->start))
			sm->start = s->start, sm->has_start = true;
		if (s->has_end && (!sm->has_end || s->end >= sm->end)) {
			sm->end = s->end;
			sm->has_end = true;
			sm->last = s;
		}
		if (s->status.p != NULL)
			sm->any_status = true;
		if (failed(&s->status))
			sm->errors++;
	}
}

/* The services in the order their spans start, each once. */
static void
put_services(struct buf *out, const struct built *b)
{
	/* reused from trace to trace (and left to the exit) */
	static struct span **v;
	static size_t	 cap;
	static struct map seen;
	size_t		 i;
	bool		 any = false;

	xgrow(&v, &cap, b->norder, sizeof(*v));
	if (b->norder > 0)
		memcpy(v, b->order, b->norder * sizeof(*v));
	sort_ptrs(v, b->norder, by_start);
	buf_addc(out, '[');
	for (i = 0; i < b->norder; i++) {
		const struct strview *sv = &v[i]->service;
		void **slot;
		if (sv->p == NULL)
			continue;
		slot = map_put(&seen, sv->p, sv->n);
		if (*slot != NULL)
			continue;
		*slot = (void *)1;
		if (any)
			buf_addc(out, ',');
		any = true;
		put_view(out, sv);
	}
	buf_addc(out, ']');
	map_clear(&seen);
}

static void
put_problems(struct buf *out, const struct built *b)
{
	size_t	 i;

	buf_addc(out, '[');
	for (i = 0; i < b->nprob; i++) {
		if (i > 0)
			buf_addc(out, ',');
		buf_addlit(out, "{\"kind\":");
		jw_cstr(out, b->prob[i].kind);
		if (b->prob[i].span_id.p != NULL) {
			buf_addlit(out, ",\"span_id\":");
			put_view(out, &b->prob[i].span_id);
		}
		if (b->prob[i].count >= 0) {
			buf_addlit(out, ",\"count\":");
			jw_int(out, b->prob[i].count);
		}
		buf_addc(out, '}');
	}
	buf_addc(out, ']');
}

static void
put_failures(struct buf *out, const struct built *b)
{
	const struct event *ev;
	size_t		 i;

	buf_addc(out, '[');
	for (i = 0; i < b->nfailed; i++) {
		ev = b->failed[i];
		if (i > 0)
			buf_addc(out, ',');
		buf_addlit(out, "{\"system\":");
		put_view(out, &ev->f[EF_SYSTEM_ID]);
		buf_addlit(out, ",\"checkpoint\":");
		put_view(out, &ev->f[EF_CHECKPOINT_ID]);
		buf_addlit(out, ",\"reason\":");
		put_view(out, &ev->f[EF_FAILURE_REASON]);
		buf_addlit(out, ",\"time\":");
		put_time(out, ev->has_ts, ev->ts_ms);
		buf_addlit(out, ",\"span_id\":");
		put_view(out, ev->f[EF_SPAN_ID].p != NULL ? &ev->f[EF_SPAN_ID] :
		    &ev->f[EF_SYSTEM_ID]);
		buf_addc(out, '}');
	}
	buf_addc(out, ']');
}

static void
write_json(struct buf *out, const struct built *b, const struct write_opts *o)
{
	const struct trace *tr = b->tr;
	struct summary	 sm;
	size_t		 i;

	summarize(b, &sm);
	buf_addlit(out, "{\"type\":\"trace\",\"trace_id\":\"");
	buf_add(out, tr->key, tr->klen);
	buf_addlit(out, "\",\"correlation_id\":");
	put_view(out, &b->correlation_id);
	buf_addlit(out, ",\"start\":");
	put_time(out, sm.has_start, sm.start);
	buf_addlit(out, ",\"end\":");
	put_time(out, sm.has_end, sm.end);
	buf_addlit(out, ",\"duration_ms\":");
	if (sm.has_start && sm.has_end)
		jw_int(out, sm.end - sm.start);
	else
		jw_null(out);
	buf_addlit(out, ",\"root\":");
	if (b->root != NULL)
		put_view(out, &b->root->service);
	else
		jw_null(out);
	buf_addlit(out, ",\"services\":");
	put_services(out, b);
	buf_addlit(out, ",\"last_system\":");
	if (sm.last != NULL)
		put_view(out, &sm.last->service);
	else
		jw_null(out);
	buf_addlit(out, ",\"span_count\":");
	jw_int(out, (int64_t)b->norder);
	buf_addlit(out, ",\"error_count\":");
	jw_int(out, sm.errors);
	buf_addlit(out, ",\"status\":");
	if (sm.errors > 0)
		buf_addlit(out, "\"FAILURE\"");
	else if (sm.any_status)
		buf_addlit(out, "\"SUCCESS\"");
	else
		jw_null(out);
	buf_addlit(out, ",\"complete\":");
	put_bool(out, b->nprob == 0);
	buf_addlit(out, ",\"revision\":");
	jw_int(out, tr->revision);
	buf_addlit(out, ",\"model\":");
	if (b->checkpoint_model)
		buf_addlit(out, "\"checkpoint\"");
	else
		buf_addlit(out, "\"span\"");
	buf_addlit(out, ",\"problems\":");
	put_problems(out, b);
	buf_addlit(out, ",\"failures\":");
	put_failures(out, b);
	buf_addlit(out, ",\"spans\":[");
	for (i = 0; i < b->norder; i++) {
		if (i > 0)
			buf_addc(out, ',');
		buf_addc(out, '{');
		put_span(out, b->order[i]);
		buf_addc(out, '}');
	}
	buf_addlit(out, "]}\n");
	if (!o->spans)
		return;
	for (i = 0; i < b->norder; i++) {
		buf_addlit(out, "{\"type\":\"span\",\"trace_id\":\"");
		buf_add(out, tr->key, tr->klen);
		buf_addlit(out, "\",\"revision\":");
		jw_int(out, tr->revision);
		buf_addc(out, ',');
		put_span(out, b->order[i]);
		buf_addlit(out, "}\n");
	}
}

/* ---- the tree view ------------------------------------------------------- */

#define BAR	32	/* columns of the duration bar */

#define C_RESET	"\033[0m"
#define C_BOLD	"\033[1m"
#define C_DIM	"\033[2m"
#define C_RED	"\033[31m"
#define C_GREEN	"\033[32m"
#define C_YEL	"\033[33m"

/* Text of a view for a terminal: unescaped, control bytes shown as '?'. */
static void
put_text(struct buf *out, const struct strview *v, const char *none)
{
	struct buf	 tmp = BUF_INIT;
	const char	*p;
	size_t		 n, i;

	if (!event_text(v, &tmp, &p, &n)) {
		buf_adds(out, none);
		return;
	}
	for (i = 0; i < n; i++)
		buf_addc(out, (unsigned char)p[i] < 0x20 || p[i] == 0x7f ?
		    '?' : p[i]);
	buf_release(&tmp);
}

static const char *
status_color(const struct strview *st)
{
	if (st->p == NULL)
		return C_YEL;
	return failed(st) ? C_RED : C_GREEN;
}

static void
put_ms(struct buf *out, int64_t ms)
{
	if (ms < 1000)
		buf_addf(out, "%" PRId64 "ms", ms);
	else if (ms < 600000)
		buf_addf(out, "%.1fs", (double)ms / 1000);
	else
		buf_addf(out, "%.1fm", (double)ms / 60000);
}

static void
write_tree(struct buf *out, const struct built *b, const struct write_opts *o)
{
	const struct span *s;
	struct summary	 sm;
	int64_t		 span_ms, off, len;
	size_t		 i, k, from, to, mark;
	char		 ts[TS_LEN + 1];

	summarize(b, &sm);
	span_ms = sm.has_start && sm.has_end ? sm.end - sm.start : 0;
	if (o->color)
		buf_adds(out, C_BOLD);
	buf_addlit(out, "trace ");
	buf_add(out, b->tr->key, b->tr->klen);
	if (o->color)
		buf_adds(out, C_RESET);
	buf_addlit(out, "  ");
	if (o->color)
		buf_adds(out, sm.errors > 0 ? C_RED : C_GREEN);
	buf_adds(out, sm.errors > 0 ? "FAILURE" : sm.any_status ? "SUCCESS" :
	    "-");
	if (o->color)
		buf_adds(out, C_RESET);
	buf_addf(out, "  %zu span%s  ", b->norder, b->norder == 1 ? "" : "s");
	put_ms(out, span_ms);
	if (sm.has_start) {
		ts_format(sm.start, ts);
		buf_addlit(out, "  ");
		buf_add(out, ts, TS_LEN);
	}
	if (b->tr->revision > 0)
		buf_addf(out, "  (revision %ld)", b->tr->revision);
	if (b->nprob > 0) {
		buf_addlit(out, "  incomplete:");
		for (i = 0; i < b->nprob; i++) {
			for (k = 0; k < i; k++)
				if (strcmp(b->prob[k].kind, b->prob[i].kind) == 0)
					break;
			if (k == i)
				buf_addf(out, " %s", b->prob[i].kind);
		}
	}
	buf_addc(out, '\n');
	for (i = 0; i < b->norder; i++) {
		s = b->order[i];
		off = s->has_start && sm.has_start ? s->start - sm.start : 0;
		len = s->has_start && s->has_end ? s->end - s->start : 0;
		buf_addlit(out, "  ");
		if (o->color)
			buf_adds(out, C_DIM);
		buf_addc(out, '+');
		mark = out->len;
		put_ms(out, off);
		while (out->len - mark < 8)
			buf_addc(out, ' ');
		if (o->color)
			buf_adds(out, C_RESET);
		/* the bar: where the span lies on the trace's time axis */
		from = span_ms > 0 ? (size_t)(off * BAR / span_ms) : 0;
		to = span_ms > 0 ? (size_t)((off + len) * BAR / span_ms) : BAR;
		if (to <= from)
			to = from + 1;
		if (to > BAR)
			to = BAR;
		if (from >= BAR)
			from = BAR - 1;
		buf_addc(out, '|');
		for (k = 0; k < from; k++)
			buf_addc(out, ' ');
		if (o->color)
			buf_adds(out, status_color(&s->status));
		for (; k < to; k++)
			buf_addc(out, '#');
		if (o->color)
			buf_adds(out, C_RESET);
		for (; k < BAR; k++)
			buf_addc(out, ' ');
		buf_addlit(out, "| ");
		mark = out->len;
		put_ms(out, s->has_duration ? (int64_t)(s->duration + 0.5) :
		    len);
		while (out->len - mark < 7)
			buf_addc(out, ' ');
		buf_addc(out, ' ');
		for (k = 0; k < (size_t)s->depth; k++)
			buf_addlit(out, "  ");
		put_text(out, &s->service, "?");
		if (s->target.p != NULL) {
			buf_addlit(out, " -> ");
			put_text(out, &s->target, "");
		}
		buf_addlit(out, "  ");
		put_text(out, &s->name, "-");
		buf_addlit(out, "  ");
		if (o->color)
			buf_adds(out, status_color(&s->status));
		put_text(out, &s->status, "in progress");
		if (o->color)
			buf_adds(out, C_RESET);
		if (s->reason.p != NULL) {
			buf_addlit(out, "  ");
			put_text(out, &s->reason, "");
		}
		if (s->orphan)
			buf_addlit(out, "  (orphan)");
		buf_addc(out, '\n');
	}
	buf_addc(out, '\n');
}

void
write_trace(struct buf *out, const struct built *b,
    const struct write_opts *o)
{
	if (o->format == FMT_TREE)
		write_tree(out, b, o);
	else
		write_json(out, b, o);
}
