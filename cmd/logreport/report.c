/*
 * report.c - logreport's model: the pool its strings live in, and what
 * both sources share (the chart's buckets, spans in tree order, the
 * failure table's order, a trace's problems); see report.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "map.h"
#include "report.h"
#include "ts.h"

/*
 * The pool: chunks that only grow, freed all at once.  The report's
 * strings are many and small, and all live as long as the report.
 */
#define CHUNK	(64 * 1024)

struct pool {
	struct pool	*next;
	size_t		 used, cap;
	char		 mem[];
};

void
report_init(struct report *r, const struct report_opts *o)
{
	memset(r, 0, sizeof(*r));
	r->opts = *o;
}

void
report_release(struct report *r)
{
	struct pool	*p, *next;
	int		 i;

	for (p = r->pool; p != NULL; p = next) {
		next = p->next;
		free(p);
	}
	for (i = 0; i < r->nseries; i++) {
		free(r->series[i].n);
		free(r->series[i].f);
	}
	free(r->graph_svg);
	r->pool = NULL;
}

void *
report_alloc(struct report *r, size_t n)
{
	struct pool	*p = r->pool;
	size_t		 cap;
	void		*m;

	n = (n + 15) & ~(size_t)15;
	if (p == NULL || p->cap - p->used < n) {
		cap = n > CHUNK ? n : CHUNK;
		p = xmalloc(sizeof(*p) + cap);
		p->used = 0;
		p->cap = cap;
		p->next = r->pool;
		r->pool = p;
	}
	m = p->mem + p->used;
	p->used += n;
	memset(m, 0, n);
	return m;
}

const char *
report_str(struct report *r, const char *s, size_t n)
{
	char	*m;

	if (s == NULL)
		return NULL;
	m = report_alloc(r, n + 1);
	memcpy(m, s, n);
	m[n] = '\0';
	return m;
}

void
report_time(struct report *r, int64_t t)
{
	if (!r->has_range || t < r->first)
		r->first = t;
	if (!r->has_range || t > r->last)
		r->last = t;
	r->has_range = true;
}

enum status
status_of(const char *s, size_t n)
{
	if (s == NULL)
		return ST_NONE;
	if (n == 7 && memcmp(s, "FAILURE", 7) == 0)
		return ST_FAIL;
	if (n == 7 && memcmp(s, "SUCCESS", 7) == 0)
		return ST_OK;
	return ST_NONE;
}

/* ---- the chart's buckets -------------------------------------------- */

/* Each width divides the next. */
static const int64_t chain[] = {
	1, 2, 10, 20, 100, 200, 1000, 2000, 10000, 20000, 60000, 120000,
	600000, 1200000, 3600000, 7200000, 21600000, 43200000, 86400000,
	172800000, 864000000
};
#define NCHAIN	(sizeof(chain) / sizeof(chain[0]))

int64_t
chart_wider(int64_t w)
{
	size_t	 i;

	for (i = 0; i + 1 < NCHAIN; i++)
		if (chain[i] == w)
			return chain[i + 1];
	/* past ten days: times 2, then 5, by turns (20, 100, 200 days...) */
	i = (size_t)(w / chain[NCHAIN - 1]);
	while (i % 10 == 0)
		i /= 10;
	return i == 1 ? w * 2 : w * 5;
}

int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t	 q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t
chart_width(int64_t lo, int64_t hi, int max)
{
	int64_t	 w = 1;

	while (floor_div(hi, w) - floor_div(lo, w) + 1 > max &&
	    w < INT64_MAX / 10)
		w = chart_wider(w);
	return w;
}

struct sysrank {
	size_t		 i;
	const char	*name;
	unsigned long	 total;
};

static int
rank_cmp(const void *a, const void *b)
{
	const struct sysrank *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->name, y->name);
}

void
report_chart(struct report *r, const char *what, size_t nsys,
    const char *const *names, unsigned long *const *n,
    unsigned long *const *f, int64_t lo, int nb, int64_t w)
{
	struct sysrank	*rk;
	struct series	*s;
	int64_t		 first = INT64_MAX, last = INT64_MIN, W, LO, k;
	size_t		 i, nshow;
	int		 b;

	rk = xcalloc(nsys ? nsys : 1, sizeof(*rk));
	for (i = 0; i < nsys; i++) {
		rk[i].i = i;
		rk[i].name = names[i];
		for (b = 0; b < nb; b++) {
			rk[i].total += n[i][b];
			if (n[i][b] > 0) {
				if (lo + b < first)
					first = lo + b;
				if (lo + b > last)
					last = lo + b;
			}
		}
	}
	if (first > last) {
		free(rk);
		return;
	}
	qsort(rk, nsys, sizeof(*rk), rank_cmp);
	nshow = nsys <= MAX_SERIES + 1 ? nsys : MAX_SERIES;
	W = chart_width(first * w, (last + 1) * w - 1, MAX_BUCKETS);
	if (W < w)
		W = w;
	LO = floor_div(first * w, W);
	r->chart_what = what;
	r->bucket_ms = W;
	r->bucket_lo = LO;
	r->nbuckets = (int)(floor_div(last * w, W) - LO + 1);
	r->nseries = (int)nshow + (nshow < nsys);
	for (i = 0; i < (size_t)r->nseries; i++) {
		s = &r->series[i];
		s->name = i < nshow ? report_str(r, rk[i].name,
		    strlen(rk[i].name)) : NULL;
		s->n = xcalloc((size_t)r->nbuckets, sizeof(*s->n));
		s->f = xcalloc((size_t)r->nbuckets, sizeof(*s->f));
	}
	for (i = 0; i < nsys; i++) {
		s = &r->series[i < nshow ? i : nshow];
		for (b = 0; b < nb; b++) {
			if (n[rk[i].i][b] == 0 && f[rk[i].i][b] == 0)
				continue;
			k = floor_div((lo + b) * w, W) - LO;
			s->n[k] += n[rk[i].i][b];
			s->f[k] += f[rk[i].i][b];
			s->total += n[rk[i].i][b];
			s->failed += f[rk[i].i][b];
		}
	}
	free(rk);
}

/* ---- spans in tree order --------------------------------------------- */

struct tree {
	struct wspan	*s;
	const bool	*shared;
	size_t		*kids;		/* children, by parent, in runs */
	size_t		*first, *nkids;	/* each span's run of kids */
};

static int
span_before(const struct wspan *a, const struct wspan *b)
{
	if (a->has_start != b->has_start)
		return a->has_start ? -1 : 1;
	if (a->has_start && a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return strcmp(a->span_id ? a->span_id : "",
	    b->span_id ? b->span_id : "");
}

/* Sort idx[0..n) by span_before (insertion sort: siblings are few, and
 * qsort has no context argument). */
static void
sort_spans(const struct wspan *s, size_t *idx, size_t n)
{
	size_t	 i, j, x;

	for (i = 1; i < n; i++) {
		x = idx[i];
		for (j = i; j > 0 && span_before(&s[x], &s[idx[j - 1]]) < 0; j--)
			idx[j] = idx[j - 1];
		idx[j] = x;
	}
}

static void *
span_find(const struct map *m, const char *id, bool shared)
{
	struct buf	 k = BUF_INIT;
	void		*v;

	buf_adds(&k, id);
	buf_addc(&k, shared ? '1' : '0');
	v = map_get(m, k.p, k.len);
	buf_release(&k);
	return v;
}

void
report_tree_order(struct wtrace *t, const bool *shared)
{
	struct map	 ids = MAP_INIT;
	struct wspan	*out;
	size_t		 n = t->nspans, i, j, root = SIZE_MAX, top = 0, nout = 0;
	size_t		*parent, *kids, *first, *nk, *stack, *idx, *roots;
	size_t		 nroots = 0;
	char		**keys;
	bool		*seen;
	void		*v;

	if (n == 0)
		return;
	keys = xcalloc(n, sizeof(*keys));
	for (i = 0; i < n; i++) {
		size_t	 len = strlen(t->spans[i].span_id ?
		    t->spans[i].span_id : "");

		keys[i] = xmalloc(len + 2);
		memcpy(keys[i], t->spans[i].span_id ? t->spans[i].span_id : "",
		    len);
		keys[i][len] = shared[i] ? '1' : '0';
		keys[i][len + 1] = '\0';
		*map_put(&ids, keys[i], len + 1) = (void *)(i + 1);
	}
	/* the roots, and the first of them by start, which takes orphans */
	parent = xcalloc(n, sizeof(*parent));
	roots = xcalloc(n, sizeof(*roots));
	for (i = 0; i < n; i++)
		if (t->spans[i].parent == NULL)
			roots[nroots++] = i;
	sort_spans(t->spans, roots, nroots);
	if (nroots > 0)
		root = roots[0];
	for (i = 0; i < n; i++) {
		const char *p = t->spans[i].parent;

		parent[i] = SIZE_MAX;
		if (p == NULL)
			continue;
		v = shared[i] ? span_find(&ids, p, false) : NULL;
		if (v == NULL && !shared[i] && (v = span_find(&ids, p, true)) ==
		    NULL)
			v = span_find(&ids, p, false);
		if (v != NULL && (size_t)v - 1 != i)
			parent[i] = (size_t)v - 1;
		else if (root != SIZE_MAX && root != i) {
			parent[i] = root;
			t->spans[i].orphan = true;
		} else
			roots[nroots++] = i;
	}
	/* children in runs, each run sorted */
	nk = xcalloc(n, sizeof(*nk));
	first = xcalloc(n + 1, sizeof(*first));
	kids = xcalloc(n, sizeof(*kids));
	for (i = 0; i < n; i++)
		if (parent[i] != SIZE_MAX)
			nk[parent[i]]++;
	for (i = 0; i < n; i++)
		first[i + 1] = first[i] + nk[i];
	memset(nk, 0, n * sizeof(*nk));
	for (i = 0; i < n; i++)
		if (parent[i] != SIZE_MAX)
			kids[first[parent[i]] + nk[parent[i]]++] = i;
	for (i = 0; i < n; i++)
		sort_spans(t->spans, kids + first[i], nk[i]);
	sort_spans(t->spans, roots, nroots);

	/* depth first from each root; what a cycle keeps out comes last */
	out = xcalloc(n, sizeof(*out));
	seen = xcalloc(n, sizeof(*seen));
	stack = xcalloc(n, sizeof(*stack));
	idx = xcalloc(n, sizeof(*idx));
	for (j = 0; j < nroots + n; j++) {
		size_t	 start = j < nroots ? roots[j] : j - nroots;

		if (seen[start])
			continue;
		idx[start] = 0;
		stack[top++] = start;
		while (top > 0) {
			i = stack[--top];
			seen[i] = true;
			out[nout] = t->spans[i];
			out[nout++].depth = (int)idx[i];
			/* the kids in reverse, so that the first comes out first */
			for (size_t k = nk[i]; k > 0; k--) {
				size_t c = kids[first[i] + k - 1];

				if (!seen[c]) {
					idx[c] = idx[i] + 1;
					seen[c] = true;
					stack[top++] = c;
				}
			}
		}
	}
	memcpy(t->spans, out, n * sizeof(*out));
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	free(parent);
	free(roots);
	free(nk);
	free(first);
	free(kids);
	free(out);
	free(seen);
	free(stack);
	free(idx);
	map_release(&ids);
}

/* ---- the failure table ------------------------------------------------ */

static int
nullcmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
fail_cmp(const void *a, const void *b)
{
	const struct fail_row *x = a, *y = b;
	int	 c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if ((c = nullcmp(x->system, y->system)) != 0)
		return c;
	if ((c = nullcmp(x->checkpoint, y->checkpoint)) != 0)
		return c;
	return nullcmp(x->reason, y->reason);
}

void
report_fail_rows(struct report *r, struct fail_row *rows, size_t n)
{
	size_t	 i;

	if (n > 0)
		qsort(rows, n, sizeof(*rows), fail_cmp);
	r->failures = 0;
	for (i = 0; i < n; i++)
		r->failures += rows[i].count;
	r->fails = rows;
	r->nfails = n < MAX_FAIL_ROWS ? n : MAX_FAIL_ROWS;
	r->fails_hidden = n - r->nfails;
	for (i = r->nfails; i < n; i++)
		r->fails_hidden_count += rows[i].count;
}

/* ---- problems and checkpoints (JSON members) ---------------------------- */

static const char *
member(struct report *r, const struct jdoc *d, int obj, const char *key,
    struct buf *tmp)
{
	const char	*p;
	size_t		 n;
	int		 v = jdoc_get(d, obj, key, strlen(key));

	if (v < 0 || d->t[v].type == J_NULL)
		return NULL;
	if (d->t[v].type != J_STRING) {
		buf_reset(tmp);
		jdoc_write(d, v, tmp);
		return report_str(r, tmp->p, tmp->len);
	}
	jdoc_str(d, v, tmp, &p, &n);
	return report_str(r, p, n);
}

static const struct {
	const char	*kind;
	const char	*say;		/* %s: the span, %ld: the count */
	int		 args;		/* 1 span, 2 count, 3 both */
} problem_text[] = {
	{ "orphan", "span %s: its parent never came (shown under the root)",
	  1 },
	{ "missing_parent", "parent span %s never came (children: %ld)", 3 },
	{ "cycle_broken", "span %s: its parent link made a cycle, cut", 1 },
	{ "several_roots", "%ld spans have no parent", 2 },
	{ "duplicate_merged", "span %s was given more than once, merged", 1 },
	{ "in_progress", "span %s: its start was logged, not its end", 1 },
	{ "late", "%ld spans came after the trace was first written", 2 },
	{ "idle_flushed", "written when idle, still waiting for a parent or "
	  "the end of a span", 0 },
	{ "evicted", "written early, to stay within the cap on open traces",
	  0 },
	{ "span_limit", "%ld spans left out past the cap on spans per trace",
	  2 },
};

void
report_problems(struct report *r, struct wtrace *t, const char *json,
    size_t n)
{
	struct jdoc	 d = JDOC_INIT;
	struct buf	 tmp = BUF_INIT, say = BUF_INIT;
	const char	*kind, *span;
	long		 count;
	size_t		 i, k;
	int		 e, v;

	if (json == NULL || !jdoc_parse(&d, json, n) ||
	    d.t[0].type != J_ARRAY || d.t[0].count == 0) {
		jdoc_release(&d);
		return;
	}
	t->problems = report_alloc(r, d.t[0].count * sizeof(*t->problems));
	for (e = 1; e < (int)d.n; e = (int)d.t[e].next) {
		if (d.t[e].type != J_OBJECT)
			continue;
		kind = member(r, &d, e, "kind", &tmp);
		span = member(r, &d, e, "span_id", &tmp);
		v = jdoc_get(&d, e, "count", 5);
		count = v >= 0 && d.t[v].type == J_NUMBER ?
		    (long)jdoc_num(&d, v) : 0;
		buf_reset(&say);
		for (k = 0; k < sizeof(problem_text) / sizeof(problem_text[0]);
		    k++)
			if (kind != NULL && strcmp(kind, problem_text[k].kind) == 0)
				break;
		if (k == sizeof(problem_text) / sizeof(problem_text[0]))
			buf_addf(&say, "%s%s%s", kind ? kind : "problem",
			    span ? ": span " : "", span ? span : "");
		else if (problem_text[k].args == 1)
			buf_addf(&say, problem_text[k].say, span ? span : "?");
		else if (problem_text[k].args == 2)
			buf_addf(&say, problem_text[k].say, count);
		else if (problem_text[k].args == 3)
			buf_addf(&say, problem_text[k].say, span ? span : "?",
			    count);
		else
			buf_adds(&say, problem_text[k].say);
		t->problems[t->nproblems++] = report_str(r, say.p, say.len);
		if (kind != NULL && span != NULL && strcmp(kind, "orphan") == 0)
			for (i = 0; i < t->nspans; i++)
				if (t->spans[i].span_id != NULL &&
				    strcmp(t->spans[i].span_id, span) == 0)
					t->spans[i].orphan = true;
	}
	buf_release(&tmp);
	buf_release(&say);
	jdoc_release(&d);
}

void
report_checkpoints(struct report *r, struct wspan *s, const char *json,
    size_t n)
{
	struct jdoc	 d = JDOC_INIT;
	struct buf	 tmp = BUF_INIT;
	const char	*st, *tm;
	struct wcp	*c;
	int		 e;

	if (json == NULL || !jdoc_parse(&d, json, n) ||
	    d.t[0].type != J_ARRAY || d.t[0].count == 0) {
		jdoc_release(&d);
		return;
	}
	s->cps_total = d.t[0].count;
	s->cps = report_alloc(r, (s->cps_total < MAX_CHECKPOINTS ?
	    s->cps_total : MAX_CHECKPOINTS) * sizeof(*s->cps));
	for (e = 1; e < (int)d.n && s->ncps < MAX_CHECKPOINTS;
	    e = (int)d.t[e].next) {
		if (d.t[e].type != J_OBJECT)
			continue;
		c = &s->cps[s->ncps++];
		c->checkpoint = member(r, &d, e, "checkpoint", &tmp);
		c->reason = member(r, &d, e, "reason", &tmp);
		st = member(r, &d, e, "status", &tmp);
		c->status = st ? status_of(st, strlen(st)) : ST_NONE;
		tm = member(r, &d, e, "time", &tmp);
		c->has_time = tm != NULL &&
		    ts_parse_canonical(tm, strlen(tm), &c->time);
	}
	buf_release(&tmp);
	jdoc_release(&d);
}

/* ---- times and durations ------------------------------------------------ */

void
fmt_ms(struct buf *b, double ms)
{
	int64_t	 s;

	if (ms < 0)
		ms = 0;
	if (ms < 10 && ms != (double)(int64_t)ms)
		buf_addf(b, "%.2f ms", ms);
	else if (ms < 1000)
		buf_addf(b, "%.0f ms", ms);
	else if (ms < 60000)
		buf_addf(b, "%.3g s", ms / 1000);
	else if (ms < 3600000) {
		s = (int64_t)(ms / 1000 + 0.5);
		if (s % 60 == 0)
			buf_addf(b, "%" PRId64 " min", s / 60);
		else
			buf_addf(b, "%" PRId64 " min %02" PRId64 " s", s / 60,
			    s % 60);
	} else {
		s = (int64_t)(ms / 60000 + 0.5);
		if (s % 60 == 0)
			buf_addf(b, "%" PRId64 " h", s / 60);
		else
			buf_addf(b, "%" PRId64 " h %02" PRId64 " min", s / 60,
			    s % 60);
	}
}

void
fmt_time(struct buf *b, int64_t ms)
{
	char	 ts[TS_LEN + 1];

	ts_format(ms, ts);
	ts[10] = ' ';
	buf_add(b, ts, TS_LEN - 1);	/* without the Z: the page says UTC */
}
