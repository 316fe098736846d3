/*
 * pipe.c - the report from records (logproc(7)) read through the reader:
 * trace, edge, service, cycle, event and reject records, in any order and
 * mix.
 *
 * Nothing is kept per record but counts, except what the page shows, each
 * part bounded: the slowest and the failed traces (two heaps of -n
 * entries, each a copy of its record's line, parsed again at the end),
 * the chart's buckets (at most HIST_MAX per system, for HIST_SYS systems),
 * the failure table (FAIL_KEYS distinct rows), the edges (EDGE_KEYS), the
 * reject classes and a few examples of each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "heap.h"
#include "lp.h"
#include "map.h"
#include "out.h"
#include "reader.h"
#include "reject.h"
#include "report.h"
#include "trace.h"
#include "ts.h"

#define HIST_MAX	512	/* buckets kept per system */
#define HIST_SYS	64	/* systems counted apart; the rest together */
#define FAIL_KEYS	10000
#define EDGE_KEYS	10000

/*
 * A histogram of times per system.  Buckets are numbered by whole widths
 * since the epoch (report.h's chain of widths); [lo, lo + nb) is in use.
 * When a time falls further than HIST_MAX buckets from the others, the
 * width grows to the next of the chain and the counts are added up into
 * the wider buckets, exactly, since each width divides the next.
 */
struct hist {
	int64_t		 w, lo;
	int		 nb;
	size_t		 nsys;
	char		*name[HIST_SYS + 1];
	unsigned long	*n[HIST_SYS + 1], *f[HIST_SYS + 1];
	struct map	 idx;		/* name -> index + 1 */
};

/* A trace kept for a list: its record's line, parsed again at the end. */
struct kept {
	char		*line;
	size_t		 len;
	char		*id;		/* the map's key */
	size_t		 idlen;
	long		 revision;
	bool		 has_dur, has_start;
	double		 dur;
	int64_t		 start;
	size_t		 at[2];		/* index in each heap */
	bool		 in[2];
};

struct fkey {
	struct fail_row	 row;
	char		*key;
	size_t		 klen;
};

struct ekey {
	struct edge_row	 e;
	double		 latsum;	/* avg times calls, for the mean */
	unsigned long long latcalls;
	char		*key;
	size_t		 klen;
};

static struct report	*R;
static struct reader	 rd;
static struct reject	 rej;
static struct hist	 hev, hsp;		/* events, spans */
static struct map	 fev, ftr;		/* failure rows */
static unsigned long	 fev_over, ftr_over;
static struct heap	 lists[2];		/* slowest, failed */
static struct map	 kept;			/* trace id -> struct kept */
static struct map	 edges[2], services, classes;	/* edges: whole
					   input [0], per window [1] */
static struct buf	 scratch, why, key, tmp;
static struct trace_rec	 tr = TRACE_REC_INIT;
static unsigned long	 cycles_total;

/* ---- the histogram ---------------------------------------------------- */

static void
hist_coarsen(struct hist *h)
{
	int64_t		 W = chart_wider(h->w), lo = floor_div(h->lo * h->w, W);
	unsigned long	*n, *f;
	size_t		 s;
	int		 b, nb = 0;

	for (s = 0; s <= HIST_SYS; s++) {
		if (h->n[s] == NULL)
			continue;
		n = xcalloc(HIST_MAX, sizeof(*n));
		f = xcalloc(HIST_MAX, sizeof(*f));
		for (b = 0; b < h->nb; b++) {
			int64_t k = floor_div((h->lo + b) * h->w, W) - lo;

			n[k] += h->n[s][b];
			f[k] += h->f[s][b];
		}
		free(h->n[s]);
		free(h->f[s]);
		h->n[s] = n;
		h->f[s] = f;
	}
	if (h->nb > 0)
		nb = (int)(floor_div((h->lo + h->nb - 1) * h->w, W) - lo + 1);
	h->w = W;
	h->lo = lo;
	h->nb = nb;
}

static void
hist_add(struct hist *h, const char *name, size_t len, int64_t t, bool fail)
{
	size_t		 s;
	int64_t		 i, lo, hi, shift;
	void		*v;

	if (h->w == 0)
		h->w = 1;
	if ((v = map_get(&h->idx, name, len)) != NULL)
		s = (size_t)v - 1;
	else if (h->nsys < HIST_SYS) {
		s = h->nsys++;
		h->name[s] = xmemdup(name, len);
		*map_put(&h->idx, h->name[s], len) = (void *)(s + 1);
	} else {
		s = HIST_SYS;
		if (h->name[s] == NULL)
			h->name[s] = xstrdup("(more systems)");
	}
	if (h->n[s] == NULL) {
		h->n[s] = xcalloc(HIST_MAX, sizeof(*h->n[s]));
		h->f[s] = xcalloc(HIST_MAX, sizeof(*h->f[s]));
	}
	for (;;) {
		i = floor_div(t, h->w);
		if (h->nb == 0) {
			h->lo = i;
			h->nb = 1;
		}
		lo = i < h->lo ? i : h->lo;
		hi = i > h->lo + h->nb - 1 ? i : h->lo + h->nb - 1;
		if (hi - lo + 1 <= HIST_MAX)
			break;
		hist_coarsen(h);
	}
	if (i < h->lo) {
		shift = h->lo - i;
		for (size_t k = 0; k <= HIST_SYS; k++) {
			if (h->n[k] == NULL)
				continue;
			memmove(h->n[k] + shift, h->n[k], (size_t)h->nb *
			    sizeof(*h->n[k]));
			memset(h->n[k], 0, (size_t)shift * sizeof(*h->n[k]));
			memmove(h->f[k] + shift, h->f[k], (size_t)h->nb *
			    sizeof(*h->f[k]));
			memset(h->f[k], 0, (size_t)shift * sizeof(*h->f[k]));
		}
		h->lo = i;
		h->nb += (int)shift;
	} else if (i >= h->lo + h->nb)
		h->nb = (int)(i - h->lo + 1);
	h->n[s][i - h->lo]++;
	if (fail)
		h->f[s][i - h->lo]++;
}

static void
hist_chart(struct hist *h, const char *what)
{
	const char	*names[HIST_SYS + 1];
	unsigned long	*n[HIST_SYS + 1], *f[HIST_SYS + 1];
	size_t		 k, m = 0;

	for (k = 0; k <= HIST_SYS; k++)
		if (h->n[k] != NULL) {
			names[m] = h->name[k];
			n[m] = h->n[k];
			f[m++] = h->f[k];
		}
	if (m > 0 && h->nb > 0)
		report_chart(R, what, m, names, n, f, h->lo, h->nb, h->w);
}

static void
hist_release(struct hist *h)
{
	size_t	 k;

	for (k = 0; k <= HIST_SYS; k++) {
		free(h->name[k]);
		free(h->n[k]);
		free(h->f[k]);
	}
	map_release(&h->idx);
}

/* ---- the failure table ------------------------------------------------- */

/* key: each part as a byte saying null (0) or not (1), then its bytes. */
static void
key_part(struct buf *k, const char *p, size_t n)
{
	buf_addc(k, p != NULL);
	if (p != NULL)
		buf_add(k, p, n);
	buf_addc(k, '\0');
}

static void
fail_add(struct map *m, unsigned long *over, const char *sys, size_t sn,
    const char *cp, size_t cn, const char *why_, size_t wn)
{
	struct fkey	*fk;

	buf_reset(&key);
	key_part(&key, sys, sn);
	key_part(&key, cp, cn);
	key_part(&key, why_, wn);
	if ((fk = map_get(m, key.p, key.len)) == NULL) {
		if (m->n >= FAIL_KEYS) {
			(*over)++;
			return;
		}
		fk = xcalloc(1, sizeof(*fk));
		fk->key = xmemdup(key.p, key.len);
		fk->klen = key.len;
		fk->row.system = report_str(R, sys, sn);
		fk->row.checkpoint = report_str(R, cp, cn);
		fk->row.reason = report_str(R, why_, wn);
		*map_put(m, fk->key, fk->klen) = fk;
	}
	fk->row.count++;
}

static void
fail_rows(struct map *m, unsigned long over, const char *from)
{
	struct fail_row	*rows;
	struct fkey	*fk;
	const char	*k;
	size_t		 pos = 0, kl, n = 0;

	rows = report_alloc(R, (m->n + 1) * sizeof(*rows));
	while (map_next(m, &pos, &k, &kl, (void **)&fk))
		rows[n++] = fk->row;
	if (over > 0) {
		rows[n].reason = report_str(R, "(other failures, past the "
		    "distinct rows logreport keeps)", 52);
		rows[n++].count = over;
	}
	report_fail_rows(R, rows, n);
	R->failures_from = from;
}

static void
fail_release(struct map *m)
{
	struct fkey	*fk;
	const char	*k;
	size_t		 pos = 0, kl;

	while (map_next(m, &pos, &k, &kl, (void **)&fk)) {
		free(fk->key);
		free(fk);
	}
	map_release(m);
}

/* ---- events ------------------------------------------------------------ */

/* The text of a view, as raw bytes in the pool's scratch; NULL for null. */
static const char *
text(const struct strview *v, struct buf *sc, size_t *n)
{
	const char	*p;

	if (!event_text(v, sc, &p, n))
		return NULL;
	return p;
}

static void
event(const struct record *rec)
{
	struct event	 ev;
	struct buf	 s1 = BUF_INIT, s2 = BUF_INIT, s3 = BUF_INIT;
	const char	*sys, *cp, *why_;
	size_t		 sn = 0, cn = 0, wn = 0;
	bool		 fail;

	if (!event_read(rec->doc, &ev, &scratch, &why)) {
		reader_reject(&rd, rec, "%s", why.p);
		return;
	}
	R->events++;
	sys = text(&ev.f[EF_SYSTEM_ID], &s1, &sn);
	fail = event_failed(&ev) && !event_is_detail(&ev);
	if (ev.has_ts) {
		report_time(R, ev.ts_ms);
		if (sys != NULL)
			hist_add(&hev, sys, sn, ev.ts_ms, fail);
		else
			hist_add(&hev, "(none)", 6, ev.ts_ms, fail);
	}
	if (fail) {
		cp = text(&ev.f[EF_CHECKPOINT_ID], &s2, &cn);
		why_ = text(&ev.f[EF_FAILURE_REASON], &s3, &wn);
		fail_add(&fev, &fev_over, sys, sn, cp, cn, why_, wn);
	}
	buf_release(&s1);
	buf_release(&s2);
	buf_release(&s3);
}

/* ---- traces ------------------------------------------------------------ */

/* Which comes out of a list first: the least slow, the oldest failed;
 * of equal ones the greater id, as the database's ORDER BY keeps the
 * lesser. */
static bool
slow_before(const void *a, const void *b)
{
	const struct kept *x = *(struct kept *const *)a;
	const struct kept *y = *(struct kept *const *)b;

	if (x->dur != y->dur)
		return x->dur < y->dur;
	return strcmp(x->id, y->id) > 0;
}

static bool
failed_before(const void *a, const void *b)
{
	const struct kept *x = *(struct kept *const *)a;
	const struct kept *y = *(struct kept *const *)b;

	if (x->has_start != y->has_start)
		return !x->has_start;
	if (x->has_start && x->start != y->start)
		return x->start < y->start;
	return strcmp(x->id, y->id) > 0;
}

static void
slow_moved(void *e, size_t i)
{
	(*(struct kept **)e)->at[0] = i;
}

static void
failed_moved(void *e, size_t i)
{
	(*(struct kept **)e)->at[1] = i;
}

static void
kept_drop(struct kept *k, int list)
{
	k->in[list] = false;
	if (k->in[0] || k->in[1])
		return;
	map_del(&kept, k->id, k->idlen);
	free(k->line);
	free(k->id);
	free(k);
}

/* Offer k to list l of at most -n traces; whether it was taken. */
static bool
offer(struct kept *k, int l)
{
	struct heap	*h = &lists[l];
	struct kept	*top;

	if (R->opts.ntraces <= 0)
		return false;
	if (h->n >= (size_t)R->opts.ntraces) {
		top = *(struct kept **)heap_top(h);
		if (!h->before(&top, &k))
			return false;
		heap_pop(h, NULL);
		kept_drop(top, l);
	}
	k->in[l] = true;
	heap_push(h, &k);
	return true;
}

static void
trace_lists(const struct record *rec)
{
	struct kept	*k, *old;
	const char	*id;
	size_t		 n;
	int		 l;

	if ((id = text(&tr.trace_id, &tmp, &n)) == NULL)
		return;
	if ((old = map_get(&kept, id, n)) != NULL) {
		if (tr.revision <= old->revision)
			return;
		/* a late update replaces the trace in the lists */
		for (l = 0; l < 2; l++)
			if (old->in[l]) {
				heap_remove(&lists[l], old->at[l], NULL);
				kept_drop(old, l);
			}
	}
	k = xcalloc(1, sizeof(*k));
	k->id = xmemdup(id, n);
	k->idlen = n;
	k->revision = tr.revision;
	k->has_dur = tr.has_duration;
	k->dur = tr.duration_ms;
	k->has_start = tr.has_start;
	k->start = tr.start_ms;
	if (k->has_dur)
		(void)offer(k, 0);
	if (status_failed(&tr.status))
		(void)offer(k, 1);
	if (!k->in[0] && !k->in[1]) {
		free(k->id);
		free(k);
		return;
	}
	k->line = xmemdup(rec->text, rec->len);
	k->len = rec->len;
	*map_put(&kept, k->id, k->idlen) = k;
}

static void
trace(const struct record *rec)
{
	const struct jdoc *d = rec->doc;
	struct buf	 s1 = BUF_INIT, s2 = BUF_INIT, s3 = BUF_INIT;
	const char	*a, *b, *c;
	size_t		 an, bn, cn, i;
	int		 e, v;

	if (!trace_read(d, &tr, &why)) {
		reader_reject(&rd, rec, "%s", why.p);
		return;
	}
	trace_lists(rec);
	if (tr.revision > 0) {
		/* counted once, as first written (see CAVEATS) */
		R->updates++;
		return;
	}
	R->traces++;
	if (!tr.complete)
		R->partial++;
	if (status_failed(&tr.status))
		R->failed_traces++;
	if (tr.has_start)
		report_time(R, tr.start_ms);
	if (tr.has_end)
		report_time(R, tr.end_ms);
	for (i = 0; i < tr.nspans; i++) {
		const struct span_rec *s = &tr.spans[i];

		if (!s->has_start)
			continue;
		a = text(&s->service, &s1, &an);
		hist_add(&hsp, a ? a : "(none)", a ? an : 6, s->start_ms,
		    status_failed(&s->status));
	}
	if (tr.failures < 0)
		goto done;
	for (e = tr.failures + 1; e < (int)d->t[tr.failures].next;
	    e = (int)d->t[e].next) {
		a = b = c = NULL;
		an = bn = cn = 0;
		if (d->t[e].type != J_OBJECT)
			continue;
		if ((v = jdoc_get(d, e, "system", 6)) >= 0 &&
		    d->t[v].type == J_STRING)
			jdoc_str(d, v, &s1, &a, &an);
		if ((v = jdoc_get(d, e, "checkpoint", 10)) >= 0 &&
		    d->t[v].type == J_STRING)
			jdoc_str(d, v, &s2, &b, &bn);
		if ((v = jdoc_get(d, e, "reason", 6)) >= 0 &&
		    d->t[v].type == J_STRING)
			jdoc_str(d, v, &s3, &c, &cn);
		fail_add(&ftr, &ftr_over, a, an, b, bn, c, cn);
	}
done:
	buf_release(&s1);
	buf_release(&s2);
	buf_release(&s3);
}

/* A view's text in the pool (NULL for null). */
static const char *
pstr(const struct strview *v)
{
	const char	*p;
	size_t		 n;

	p = text(v, &tmp, &n);
	return report_str(R, p, n);
}

/* The record of a kept trace, parsed again, as a waterfall. */
static void
kept_trace(struct wtrace *w, const struct kept *k)
{
	struct jdoc	 d = JDOC_INIT;
	struct buf	 json = BUF_INIT;
	size_t		 i, n;

	if (!jdoc_parse(&d, k->line, k->len) || !trace_read(&d, &tr, &why)) {
		jdoc_release(&d);
		return;
	}
	w->trace_id = pstr(&tr.trace_id);
	w->correlation_id = pstr(&tr.correlation_id);
	w->root = pstr(&tr.root);
	w->model = pstr(&tr.model);
	w->status = status_failed(&tr.status) ? ST_FAIL :
	    tr.status.p != NULL ? ST_OK : ST_NONE;
	w->complete = tr.complete;
	w->revision = tr.revision;
	w->span_count = tr.span_count;
	w->error_count = tr.error_count;
	w->has_start = tr.has_start;
	w->start = tr.start_ms;
	w->has_end = tr.has_end;
	w->end = tr.end_ms;
	w->has_duration = tr.has_duration;
	w->duration = tr.duration_ms;
	n = tr.nspans < (size_t)R->opts.max_spans ? tr.nspans :
	    (size_t)R->opts.max_spans;
	w->spans = report_alloc(R, (n ? n : 1) * sizeof(*w->spans));
	for (i = 0; i < n; i++) {
		const struct span_rec *s = &tr.spans[i];
		struct wspan *o = &w->spans[i];

		o->span_id = pstr(&s->span_id);
		o->parent = pstr(&s->parent_span_id);
		o->service = pstr(&s->service);
		o->name = pstr(&s->name);
		o->kind = pstr(&s->kind);
		o->reason = pstr(&s->failure_reason);
		o->status = status_of(s->status.p, s->status.n);
		o->has_start = s->has_start;
		o->start = s->start_ms;
		o->has_end = s->has_end;
		o->end = s->end_ms;
		if (!s->has_end && s->has_start && s->has_duration) {
			o->has_end = true;
			o->end = s->start_ms + (int64_t)s->duration_ms;
		}
		o->depth = s->depth;
		o->inferred = s->parent_inferred;
		o->orphan = s->orphan;
		if (s->checkpoints >= 0) {
			buf_reset(&json);
			jdoc_write(&d, s->checkpoints, &json);
			report_checkpoints(R, o, json.p, json.len);
		}
	}
	w->nspans = n;
	if (tr.problems >= 0) {
		buf_reset(&json);
		jdoc_write(&d, tr.problems, &json);
		report_problems(R, w, json.p, json.len);
	}
	buf_release(&json);
	jdoc_release(&d);
}

static int
kept_cmp_slow(const void *a, const void *b)
{
	return slow_before(b, a) ? -1 : slow_before(a, b) ? 1 : 0;
}

static int
kept_cmp_failed(const void *a, const void *b)
{
	return failed_before(b, a) ? -1 : failed_before(a, b) ? 1 : 0;
}

/* The kept traces of list l, in the page's order, as waterfalls. */
static void
list_out(int l, struct wtrace **out, size_t *nout)
{
	struct kept	**v;
	size_t		 n = lists[l].n, i;

	v = xcalloc(n ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = *(struct kept **)heap_at(&lists[l], i);
	qsort(v, n, sizeof(*v), l == 0 ? kept_cmp_slow : kept_cmp_failed);
	*out = report_alloc(R, (n ? n : 1) * sizeof(**out));
	for (i = 0; i < n; i++)
		kept_trace(&(*out)[i], v[i]);
	*nout = n;
	free(v);
}

/* ---- edges, services, cycles --------------------------------------------- */

static bool
str_member(const struct jdoc *d, const char *k, struct buf *sc,
    const char **p, size_t *n)
{
	int	 v = jdoc_get(d, 0, k, strlen(k));

	if (v < 0 || d->t[v].type != J_STRING)
		return false;
	jdoc_str(d, v, sc, p, n);
	return true;
}

static double
num_member(const struct jdoc *d, int obj, const char *k, bool *has)
{
	int	 v = jdoc_get(d, obj, k, strlen(k));

	*has = v >= 0 && d->t[v].type == J_NUMBER;
	return *has ? jdoc_num(d, v) : 0;
}

static void
edge(const struct record *rec)
{
	const struct jdoc *d = rec->doc;
	struct buf	 s1 = BUF_INIT, s2 = BUF_INIT;
	const char	*src, *dst, *p;
	size_t		 sn, dn, n;
	struct ekey	*ek;
	double		 calls, errors, x;
	struct map	*m;
	bool		 has, hc;
	int		 lat, w;

	if (!str_member(d, "source", &s1, &src, &sn) ||
	    !str_member(d, "target", &s2, &dst, &dn)) {
		reader_reject(&rd, rec, "bad edge: 'source' or 'target' is not "
		    "a string");
		goto out;
	}
	/* as from a database: the graph of all input when there is one, else
	 * the windows' added up */
	w = jdoc_get(d, 0, "window", 6);
	m = &edges[w >= 0 && d->t[w].type != J_NULL];
	calls = num_member(d, 0, "calls", &hc);
	errors = num_member(d, 0, "errors", &has);
	buf_reset(&key);
	buf_add(&key, src, sn);
	buf_addc(&key, '\0');
	buf_add(&key, dst, dn);
	if ((ek = map_get(m, key.p, key.len)) == NULL) {
		if (m->n >= EDGE_KEYS) {
			R->edges_hidden++;
			goto out;
		}
		ek = xcalloc(1, sizeof(*ek));
		ek->key = xmemdup(key.p, key.len);
		ek->klen = key.len;
		ek->e.source = report_str(R, src, sn);
		ek->e.target = report_str(R, dst, dn);
		*map_put(m, ek->key, ek->klen) = ek;
	}
	ek->e.windows++;
	ek->e.calls += calls > 0 ? (unsigned long long)calls : 0;
	ek->e.errors += errors > 0 ? (unsigned long long)errors : 0;
	if ((lat = jdoc_get(d, 0, "latency", 7)) >= 0 &&
	    d->t[lat].type == J_OBJECT) {
		x = num_member(d, lat, "p95", &has);
		if (has) {
#define WIDEN(f) do { x = num_member(d, lat, #f, &has); \
	if (has && (!ek->e.has_lat || x > ek->e.f)) ek->e.f = x; } while (0)
			WIDEN(p50);
			WIDEN(p95);
			WIDEN(p99);
			WIDEN(max);
#undef WIDEN
			x = num_member(d, lat, "avg", &has);
			if (has && hc && calls > 0) {
				ek->latsum += x * calls;
				ek->latcalls += (unsigned long long)calls;
			}
			ek->e.has_lat = true;
		}
	}
	if (str_member(d, "first_seen", &tmp, &p, &n) &&
	    (ek->e.first == NULL || strncmp(p, ek->e.first, n) < 0))
		ek->e.first = report_str(R, p, n);
	if (str_member(d, "last_seen", &tmp, &p, &n) &&
	    (ek->e.last == NULL || strncmp(p, ek->e.last, n) > 0))
		ek->e.last = report_str(R, p, n);
out:
	buf_release(&s1);
	buf_release(&s2);
}

static void
service(const struct record *rec)
{
	const char	*name, *kind;
	size_t		 n, kn;
	struct node	*nd;

	if (!str_member(rec->doc, "name", &scratch, &name, &n) &&
	    !str_member(rec->doc, "service", &scratch, &name, &n)) {
		reader_reject(&rd, rec, "bad service: 'name' is not a string");
		return;
	}
	if (map_get(&services, name, n) != NULL || services.n >= EDGE_KEYS)
		return;
	nd = report_alloc(R, sizeof(*nd));
	nd->name = report_str(R, name, n);
	if (str_member(rec->doc, "kind", &tmp, &kind, &kn))
		nd->kind = report_str(R, kind, kn);
	*map_put(&services, nd->name, n) = nd;
}

static void
cycle(const struct record *rec)
{
	const struct jdoc *d = rec->doc;
	struct buf	 say = BUF_INIT;
	const char	*p;
	size_t		 n;
	int		 a, e;

	cycles_total++;
	if ((a = jdoc_get(d, 0, "services", 8)) < 0 ||
	    d->t[a].type != J_ARRAY || R->ncycles >= MAX_CYCLES)
		return;
	for (e = a + 1; e < (int)d->t[a].next; e = (int)d->t[e].next) {
		if (d->t[e].type != J_STRING)
			continue;
		if (say.len > 0)
			buf_addlit(&say, " \xe2\x86\x92 ");
		jdoc_str(d, e, &tmp, &p, &n);
		buf_add(&say, p, n);
	}
	if (R->cycles == NULL)
		R->cycles = report_alloc(R, MAX_CYCLES * sizeof(*R->cycles));
	R->cycles[R->ncycles++] = report_str(R, say.p ? say.p : "", say.len);
	buf_release(&say);
}

static void
graph_out(void)
{
	struct map	*m = &edges[edges[0].n == 0];
	struct ekey	*ek;
	struct node	*nd;
	const char	*k;
	size_t		 pos = 0, kl, i = 0, l;

	R->edges = report_alloc(R, (m->n + 1) * sizeof(*R->edges));
	for (l = 0; l < 2; l++) {
		pos = 0;
		while (map_next(&edges[l], &pos, &k, &kl, (void **)&ek)) {
			if (ek->latcalls > 0)
				ek->e.avg = ek->latsum / (double)ek->latcalls;
			if (&edges[l] == m)
				R->edges[i++] = ek->e;
			free(ek->key);
			free(ek);
		}
		map_release(&edges[l]);
	}
	R->nedges = i;
	R->nodes = report_alloc(R, (services.n + 1) * sizeof(*R->nodes));
	pos = i = 0;
	while (map_next(&services, &pos, &k, &kl, (void **)&nd))
		R->nodes[i++] = *nd;
	R->nnodes = i;
	map_release(&services);
}

/* ---- rejects -------------------------------------------------------------- */

static void
reject(const struct record *rec)
{
	const struct jdoc *d = rec->doc;
	struct reject_class *c;
	struct reject_ex *x;
	const char	*reason = "", *p;
	size_t		 rn = 0, cn, n;
	bool		 has;
	double		 line;

	R->rejects++;
	(void)str_member(d, "reason", &scratch, &reason, &rn);
	cn = rn;
	if ((p = memchr(reason, ':', rn)) != NULL)
		cn = (size_t)(p - reason);
	if ((c = map_get(&classes, reason, cn)) == NULL) {
		if (classes.n >= MAX_REJECT_CLASSES) {
			R->rcl_hidden++;
			return;
		}
		c = report_alloc(R, sizeof(*c));
		c->name = report_str(R, reason, cn);
		*map_put(&classes, c->name, cn) = c;
	}
	c->count++;
	if (c->nex >= MAX_REJECT_EXAMPLES)
		return;
	x = &c->ex[c->nex++];
	x->reason = report_str(R, reason, rn);
	if (str_member(d, "tool", &tmp, &p, &n))
		x->tool = report_str(R, p, n);
	if (str_member(d, "input", &tmp, &p, &n))
		x->input = report_str(R, p, n);
	line = num_member(d, 0, "line", &has);
	x->line = has ? (long)line : 0;
	if (str_member(d, "raw", &tmp, &p, &n)) {
		x->cut = n > MAX_RAW;
		x->raw = report_str(R, p, x->cut ? MAX_RAW : n);
	}
}

static int
class_cmp(const void *a, const void *b)
{
	const struct reject_class *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void
rejects_out(void)
{
	struct reject_class *c;
	const char	*k;
	size_t		 pos = 0, kl, i = 0;

	R->rcl = report_alloc(R, (classes.n + 1) * sizeof(*R->rcl));
	while (map_next(&classes, &pos, &k, &kl, (void **)&c))
		R->rcl[i++] = *c;
	R->nrcl = i;
	qsort(R->rcl, i, sizeof(*R->rcl), class_cmp);
	map_release(&classes);
}

/* ---- the loop ------------------------------------------------------------- */

int
pipe_report(struct report *r, char *const *files, const char *rejpath,
    bool quiet, bool stats)
{
	struct record	 rec;
	unsigned long	 skipped = 0;
	int		 rval;

	R = r;
	reject_open_option(&rej, "logreport", rejpath, files);
	heap_init(&lists[0], sizeof(struct kept *), slow_before, slow_moved);
	heap_init(&lists[1], sizeof(struct kept *), failed_before,
	    failed_moved);
	reader_init(&rd, "logreport", files, &rej, quiet ? READER_QUIET : 0);
	while (reader_next(&rd, &rec)) {
		switch (rec.type) {
		case RT_EVENT:
			event(&rec);
			break;
		case RT_TRACE:
			trace(&rec);
			break;
		case RT_EDGE:
			edge(&rec);
			break;
		case RT_SERVICE:
			service(&rec);
			break;
		case RT_CYCLE:
			cycle(&rec);
			break;
		case RT_REJECT:
			reject(&rec);
			break;
		case RT_SPAN:
		case RT_COMMIT:
			/* the spans are in their traces; commits say nothing
			 * the page shows */
			skipped++;
			break;
		default:
			reader_reject(&rd, &rec, "not a record logreport reads: "
			    "a %s record", rtype_name[rec.type]);
			break;
		}
	}
	rval = rd.status;
	reader_release(&rd);

	if (R->events > 0) {
		hist_chart(&hev, "events");
		fail_rows(&fev, fev_over, "events");
	} else {
		hist_chart(&hsp, "spans");
		fail_rows(&ftr, ftr_over, "traces");
	}
	list_out(0, &R->slow, &R->nslow);
	list_out(1, &R->failed, &R->nfailed);
	graph_out();
	rejects_out();
	R->own_rejects = rej.count;
	if (stats) {
		fprintf(stderr, "logreport: %lu lines, %lu blank, %lu records, "
		    "%lu events, %lu traces (%lu late updates), %zu edges, "
		    "%zu services, %lu cycles, %lu rejects, %lu skipped, "
		    "%lu rejected\n", rd.lines, rd.blank, rd.records, R->events,
		    R->traces, R->updates, R->nedges, R->nnodes, cycles_total,
		    R->rejects, skipped, rej.count);
		reject_summary(&rej, stderr);
	}
	if (rej.count > 0 && rval == LP_EXIT_OK)
		rval = LP_EXIT_REJECT;
	if (!reject_close(&rej))
		rval = LP_EXIT_FAIL;

	/* free what only the reading needed */
	while (lists[0].n > 0 || lists[1].n > 0) {
		struct kept *k;
		int l = lists[0].n > 0 ? 0 : 1;

		heap_pop(&lists[l], &k);
		kept_drop(k, l);
	}
	heap_release(&lists[0]);
	heap_release(&lists[1]);
	map_release(&kept);
	hist_release(&hev);
	hist_release(&hsp);
	fail_release(&fev);
	fail_release(&ftr);
	trace_rec_release(&tr);
	buf_release(&scratch);
	buf_release(&why);
	buf_release(&key);
	buf_release(&tmp);
	return rval;
}
