/*
 * build.c - one trace's events to spans and a tree; see tracebuild.h.
 *
 * A pure function of the set of events: they are sorted first (by time,
 * then by source), so that the order they arrived in changes nothing.
 *
 *   1. duplicates (the same event at the same time from another line) are
 *      set apart;
 *   2. span model: events with a span id are pieces of spans, grouped by
 *      id (the server half of a Zipkin shared span apart from its client
 *      half); a span is one from its earliest to its latest piece, its
 *      status from the pieces with a final status;
 *   3. checkpoint model: events without a span id make one span per
 *      system, from its first to its last checkpoint, whose parent is
 *      inferred from the order in time;
 *   4. the tree: parent links, with missing parents, cycles and several
 *      roots found and repaired (problems), then tree order and depth.
 */
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "jw.h"
#include "lp.h"
#include "tracebuild.h"

static const struct strview no_view = { NULL, 0, false };

/* The latest time RFC 3339 says with a four-digit year, in ms: a span's
 * end is no later (a duration of 1e300 ms is kept, its end is not). */
#define TIME_MAX	253402300799999LL

static const char *const kinds[] = { "SERVER", "CLIENT", "PRODUCER",
    "CONSUMER", "INTERNAL" };

static int64_t
ev_time(const struct event *ev)
{
	return ev->has_ts ? ev->ts_ms : INT64_MAX;
}

/*
 * Events by time, then by what they say (so that events at the same time
 * sort the same whatever lines they came from: a start piece before the
 * end of the same span), and last by source.
 */
static int
ev_cmp(const void *a, const void *b)
{
	const struct event *x = *(const struct event *const *)a;
	const struct event *y = *(const struct event *const *)b;
	int64_t		 tx = ev_time(x), ty = ev_time(y);
	static const int fields[] = { EF_SPAN_ID, EF_STATUS, EF_SYSTEM_ID,
	    EF_CHECKPOINT_ID, EF_PART, EF_FAILURE_REASON };
	size_t		 i;
	int		 c;

	if (tx != ty)
		return tx < ty ? -1 : 1;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if ((c = strview_cmp(&x->f[fields[i]], &y->f[fields[i]])) != 0)
			return c;
	return strview_cmp(&x->source, &y->source);
}

void
sort_ptrs(void *v, size_t n, int (*cmp)(const void *, const void *))
{
	const void	**p = v, *x;
	size_t		 i, j;

	if (n > 16) {
		qsort(v, n, sizeof(*p), cmp);
		return;
	}
	for (i = 1; i < n; i++) {
		x = p[i];
		for (j = i; j > 0 && cmp(&p[j - 1], &x) > 0; j--)
			p[j] = p[j - 1];
		p[j] = x;
	}
}

static void
problem(struct built *b, const char *kind, const struct strview *span,
    long count)
{
	struct problem	*p;

	xgrow(&b->prob, &b->capprob, b->nprob + 1, sizeof(*b->prob));
	p = &b->prob[b->nprob++];
	p->kind = kind;
	p->span_id = span != NULL ? *span : no_view;
	p->count = count;
}

/* Whether logjoin marked ev as a line seen twice (logproc(7) join). */
static bool
joined_duplicate(const struct event *ev)
{
	static const char mark[] = "\"join\":{\"status\":\"duplicate\"";

	return ev->extra.n > 0 && lp_memmem(ev->extra.p, ev->extra.n, mark,
	    sizeof(mark) - 1) != NULL;
}

static bool
view_eq(const struct strview *a, const struct strview *b)
{
	if (a->p == NULL || b->p == NULL)
		return a->p == b->p;
	return a->n == b->n && a->json == b->json &&
	    memcmp(a->p, b->p, a->n) == 0;
}

/* Whether x and y say the same thing (all but where they came from). */
static bool
same_event(const struct event *x, const struct event *y)
{
	int	 f;

	if (ev_time(x) != ev_time(y) || x->has_duration != y->has_duration ||
	    (x->has_duration && x->duration_ms != y->duration_ms))
		return false;
	for (f = 0; f < EF_NSTR; f++)
		if (!view_eq(&x->f[f], &y->f[f]))
			return false;
	return view_eq(&x->rule, &y->rule) && view_eq(&x->attrs, &y->attrs);
}

/* Whether the d of d": at j in s ends "kind" or "shared". */
static inline bool
hint_at(const char *s, size_t j)
{
	return (j >= 4 && memcmp(s + j - 4, "\"kin", 4) == 0) ||
	    (j >= 6 && memcmp(s + j - 6, "\"share", 6) == 0);
}

/*
 * Whether attrs (compact JSON) may have a member "kind" or "shared": the
 * text holds "kind": or "shared":, both ending in d":, which is looked
 * for sixteen places at a time (with SSE2, which every x86-64 has), an
 * event's attrs being read for it as it comes.
 */
static bool
names_a_hint(const struct strview *attrs)
{
	const char	*s = attrs->p;
	size_t		 n = attrs->n, j = 0;
#ifdef __SSE2__
	__m128i		 a, q, c;
	unsigned	 m;

	for (; j + 18 <= n; j += 16) {
		a = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(s + j)),
		    _mm_set1_epi8('d'));
		q = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(s + j +
		    1)), _mm_set1_epi8('"'));
		c = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(s + j +
		    2)), _mm_set1_epi8(':'));
		m = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_and_si128(a,
		    q), c));
		for (; m != 0; m &= m - 1)
			if (hint_at(s, j + (unsigned)__builtin_ctz(m)))
				return true;
	}
#endif
	for (; j + 3 <= n; j++)
		if (s[j] == 'd' && s[j + 1] == '"' && s[j + 2] == ':' &&
		    hint_at(s, j))
			return true;
	return false;
}

/*
 * The span kind and the Zipkin "shared" flag from an event's attrs (the
 * shipped OTLP, Zipkin and Jaeger rules put them there); events without
 * a span id need neither.
 */
void
build_hints(struct built *b, const struct event *ev, signed char *kind,
    bool *shared)
{
	const struct jdoc *d = &b->adoc;
	const char	*p;
	size_t		 n, i;
	int		 t;

	*kind = -1;
	*shared = false;
	if (ev->f[EF_SPAN_ID].p == NULL || !names_a_hint(&ev->attrs))
		return;
	buf_reset(&b->scratch);
	buf_addc(&b->scratch, '{');
	buf_add(&b->scratch, ev->attrs.p, ev->attrs.n);
	buf_addc(&b->scratch, '}');
	if (!jdoc_parse(&b->adoc, b->scratch.p, b->scratch.len))
		return;
	if ((t = jdoc_get(d, 0, "shared", 6)) >= 0)
		*shared = d->t[t].type == J_TRUE;
	if ((t = jdoc_get(d, 0, "kind", 4)) < 0 || d->t[t].type != J_STRING)
		return;
	p = d->src + d->t[t].start + 1;
	n = d->t[t].end - d->t[t].start - 2;
	if (n > 10 && strncasecmp(p, "SPAN_KIND_", 10) == 0)
		p += 10, n -= 10;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i]) == n && strncasecmp(p, kinds[i], n) == 0)
			*kind = (signed char)i;
}

/* The span kind that build_hints() found for ev, or a null view. */
static struct strview
kind_view(const struct event *ev)
{
	struct strview	 v = no_view;
	int		 i = KEPT(ev)->kind;

	if (i >= 0) {
		v.p = kinds[i];
		v.n = strlen(kinds[i]);
		v.json = true;
	}
	return v;
}

/* A fresh span at the end of b's array (its checkpoint storage kept). */
static struct span *
new_span(struct built *b)
{
	struct span	*s;
	size_t		 old = b->cap, capcps;
	const struct event **cps;

	xgrow(&b->span, &b->cap, b->n + 1, sizeof(*b->span));
	if (b->cap > old)
		memset(b->span + old, 0, (b->cap - old) * sizeof(*b->span));
	s = &b->span[b->n++];
	cps = s->cps;
	capcps = s->capcps;
	memset(s, 0, sizeof(*s));
	s->cps = cps;
	s->capcps = capcps;
	return s;
}

static void
add_cp(struct span *s, const struct event *ev)
{
	xgrow(&s->cps, &s->capcps, s->ncps + 1, sizeof(*s->cps));
	s->cps[s->ncps++] = ev;
}

/* Take the first value a piece gives for a field. */
static void
first(struct strview *v, const struct strview *from)
{
	if (v->p == NULL && from->p != NULL)
		*v = *from;
}

/*
 * Span model: fold piece ev into span s.  A piece with a final status
 * (SUCCESS, FAILURE) is an end or a whole span; one without is a start.
 */
static void
add_piece(struct span *s, const struct event *ev, long *finals,
    long *starts)
{
	int64_t		 end;

	s->events++;
	first(&s->service, &ev->f[EF_SYSTEM_ID]);
	first(&s->target, &ev->f[EF_TARGET_SYSTEM_ID]);
	first(&s->name, &ev->f[EF_CHECKPOINT_ID]);
	first(&s->parent, &ev->f[EF_PARENT_SPAN_ID]);
	s->attrs = ev->attrs;		/* the last piece's, in time order */
	if (ev->has_ts) {
		if (!s->has_start || ev->ts_ms < s->start)
			s->start = ev->ts_ms;
		s->has_start = true;
		end = ev->ts_ms;
		if (ev->has_duration && ev->duration_ms > 0)
			end = ev->duration_ms < (double)(TIME_MAX - end) ?
			    end + (int64_t)(ev->duration_ms + 0.5) : TIME_MAX;
		if (!s->has_end || end > s->end)
			s->end = end;
		s->has_end = true;
	}
	if (ev->has_duration && (!s->has_duration ||
	    ev->f[EF_STATUS].p != NULL)) {
		/* the duration of the piece with the final status */
		s->has_duration = true;
		s->duration = ev->duration_ms;
		s->durtext = ev->duration;
	}
	if (ev->f[EF_STATUS].p == NULL) {
		(*starts)++;
		return;
	}
	(*finals)++;
	if (s->status.p == NULL || event_failed(ev))
		s->status = ev->f[EF_STATUS];
	if (event_failed(ev))
		first(&s->reason, &ev->f[EF_FAILURE_REASON]);
}

/* Checkpoint model: a system's span from its checkpoint events. */
static void
finish_checkpoint_span(struct span *s)
{
	const struct event *ev;
	size_t		 i;

	s->events = (long)s->ncps;
	for (i = 0; i < s->ncps; i++) {
		ev = s->cps[i];
		if (ev->has_ts) {
			if (!s->has_start)
				s->start = ev->ts_ms;
			s->has_start = s->has_end = true;
			s->end = ev->ts_ms;
		}
		if (event_is_detail(ev))
			continue;
		first(&s->service, &ev->f[EF_SYSTEM_ID]);
		if (ev->f[EF_CHECKPOINT_ID].p != NULL)
			s->name = ev->f[EF_CHECKPOINT_ID];
		if (ev->f[EF_STATUS].p != NULL) {
			/* the system's latest status, as the seed's spans */
			s->status = ev->f[EF_STATUS];
			s->reason = event_failed(ev) ?
			    ev->f[EF_FAILURE_REASON] : no_view;
		}
		s->attrs = ev->attrs;
	}
	if (s->service.p == NULL && s->ncps > 0)
		s->service = s->cps[0]->f[EF_SYSTEM_ID];
	s->id = s->service;
}

/*
 * Checkpoint spans log no parents: a span's parent is the span that ended
 * last before it started; if none had ended, the one that started last
 * before it.  The seed flow inventory -> payments -> (reporting ||
 * orders) comes out as that tree: reporting and orders both start after
 * payments ended, and neither had ended when the other started.
 */
static void
infer_parents(struct built *b, size_t from)
{
	struct span	*s, *c, *best;
	size_t		 i, j;
	bool		 ended;

	for (i = from; i < b->n; i++) {
		s = &b->span[i];
		if (!s->has_start)
			continue;
		best = NULL;
		ended = false;
		for (j = from; j < b->n; j++) {
			c = &b->span[j];
			if (c == s || !c->has_start || c->start > s->start)
				continue;
			if (c->end < s->start) {
				if (!ended || c->end > best->end ||
				    (c->end == best->end &&
				    strview_cmp(&c->id, &best->id) < 0))
					best = c;
				ended = true;
			} else if (!ended && c->start < s->start &&
			    (best == NULL || c->start > best->start ||
			    (c->start == best->start &&
			    strview_cmp(&c->id, &best->id) < 0)))
				best = c;
		}
		if (best != NULL) {
			s->parent = best->id;
			s->inferred = true;
		}
	}
}

static int
span_cmp(const void *a, const void *b)
{
	const struct span *x = *(struct span *const *)a;
	const struct span *y = *(struct span *const *)b;
	int64_t		 sx = x->has_start ? x->start : INT64_MAX;
	int64_t		 sy = y->has_start ? y->start : INT64_MAX;
	int		 c;

	if (sx != sy)
		return sx < sy ? -1 : 1;
	if ((c = strview_cmp(&x->id, &y->id)) != 0)
		return c;
	return (int)x->shared - (int)y->shared;
}

/* Link parents, repair what is missing or circular, order the tree. */
static void
build_tree(struct built *b)
{
	struct span	*s, *p, *q, **sorted, **stack;
	struct map	 missing = MAP_INIT, *server = &b->server;
	unsigned char	*state;
	size_t		 i, j, k, nstack, nroots = 0;
	const char	*key;
	size_t		 klen;
	void		*val;

	/* Ids to spans; of a Zipkin shared id the server half is the
	 * parent of the id's children, and the client half its own. */
	map_clear(&b->byid);
	map_clear(server);
	if (b->n > b->capspans) {
		b->capspans = b->n;
		b->bystart = xreallocarray(b->bystart, b->n, sizeof(*sorted));
		b->stack = xreallocarray(b->stack, b->n, sizeof(*stack));
		b->state = xreallocarray(b->state, b->n, 1);
	}
	sorted = b->bystart;
	stack = b->stack;
	state = b->state;
	for (i = 0; i < b->n; i++)
		if (!b->span[i].shared && b->span[i].id.p != NULL)
			*map_put(&b->byid, b->span[i].id.p, b->span[i].id.n) =
			    &b->span[i];
	for (i = 0; i < b->n; i++)
		if (b->span[i].shared && b->span[i].id.p != NULL)
			*map_put(server, b->span[i].id.p, b->span[i].id.n) =
			    &b->span[i];
	for (i = 0; i < b->n; i++) {
		s = &b->span[i];
		if (s->shared && (s->up = map_get(&b->byid, s->id.p,
		    s->id.n)) != NULL) {
			/* the server half of a shared id: a child of its
			 * client half (without one, a span like any other) */
			s->parent = s->id;
			continue;
		}
		if (s->parent.p == NULL)
			continue;
		if ((s->up = map_get(server, s->parent.p,
		    s->parent.n)) == NULL)
			s->up = map_get(&b->byid, s->parent.p, s->parent.n);
		if (s->up == NULL) {
			s->orphan = true;
			val = map_get(&missing, s->parent.p, s->parent.n);
			*map_put(&missing, s->parent.p, s->parent.n) =
			    (void *)((uintptr_t)val + 1);
		} else if (s->up == s) {
			s->up = NULL;
			s->cut = true;
		}
	}
	/* Cycles: walk up from each span; a span met again on the walk
	 * closes a cycle, whose last link is cut. */
	for (i = 0; i < b->n; i++)
		state[i] = 0;
	for (i = 0; i < b->n; i++) {
		for (s = &b->span[i]; s != NULL && state[s - b->span] == 0;
		    s = s->up)
			state[s - b->span] = 1;
		if (s != NULL && state[s - b->span] == 1) {
			/* s is on this walk: find the link back to it */
			for (p = &b->span[i]; p->up != s; p = p->up)
				;
			p->up = NULL;
			p->cut = true;
		}
		for (s = &b->span[i]; s != NULL && state[s - b->span] == 1;
		    s = s->up)
			state[s - b->span] = 2;
	}
	/* Roots, and where orphans and cut spans go: under the root. */
	for (i = 0; i < b->n; i++)
		sorted[i] = &b->span[i];
	sort_ptrs(sorted, b->n, span_cmp);
	b->root = NULL;
	for (i = 0; i < b->n; i++) {
		s = sorted[i];
		if (s->up != NULL || s->orphan || s->cut)
			continue;
		nroots++;
		if (b->root == NULL)
			b->root = s;
	}
	for (i = 0; i < b->n; i++) {
		s = sorted[i];
		if (s->cut)
			problem(b, "cycle_broken", &s->id, -1);
		if (s->orphan)
			problem(b, "orphan", &s->id, -1);
		if ((s->orphan || s->cut) && s->up == NULL && b->root != NULL)
			s->up = b->root;
	}
	for (k = 0; map_next(&missing, &k, &key, &klen, &val);) {
		struct strview v = { key, klen, true };
		problem(b, "missing_parent", &v, (long)(uintptr_t)val);
	}
	map_release(&missing);
	if (nroots > 1)
		problem(b, "several_roots", NULL, (long)nroots);
	/* Children in start order, then the tree walked depth first. */
	for (i = 0; i < b->n; i++)
		sorted[i]->child = sorted[i]->next = NULL;
	for (i = b->n; i-- > 0;) {
		s = sorted[i];
		if ((p = s->up) != NULL) {
			s->next = p->child;
			p->child = s;
		}
	}
	xgrow(&b->order, &b->norder, b->n, sizeof(*b->order));
	b->norder = 0;
	for (i = 0; i < b->n; i++) {
		if (sorted[i]->up != NULL)
			continue;
		nstack = 0;
		stack[nstack++] = sorted[i];
		sorted[i]->depth = 0;
		while (nstack > 0) {
			s = stack[--nstack];
			b->order[b->norder++] = s;
			/* children pushed last first, so that the first comes
			 * out first */
			for (k = nstack, q = s->child; q != NULL; q = q->next)
				k++;
			for (j = k, q = s->child; q != NULL; q = q->next) {
				q->depth = s->depth + 1;
				stack[--j] = q;
			}
			nstack = k;
		}
	}
}

void
build_trace(struct built *b, const struct trace *tr, enum why_written why)
{
	struct map	*bysys = &b->bysys, *shared = &b->shared, *m;
	struct span	*s;
	const struct event *ev;
	struct strview	 kind;
	struct keep_iter it;
	size_t		 i, j, firstcp, *evspan;
	uintptr_t	 idx;
	long		*finals, *starts;
	bool		 isshared, waiting = false;

	b->tr = tr;
	b->n = b->nprob = b->nfailed = b->norder = 0;
	b->root = NULL;
	b->correlation_id = no_view;
	/* 1. sorted, duplicates set apart */
	xgrow(&b->kept, &b->capkept, tr->n, sizeof(*b->kept));
	xgrow(&b->sorted, &b->capsorted, tr->n, sizeof(*b->sorted));
	keep_prefetch(&tr->keep);
	memset(&it, 0, sizeof(it));
	for (i = 0; i < tr->n && keep_next(&tr->keep, &it, &b->kept[i]); i++)
		b->sorted[i] = &b->kept[i].ev;
	sort_ptrs(b->sorted, tr->n, ev_cmp);
	b->nsorted = 0;
	for (i = 0; i < tr->n; i++) {
		ev = b->sorted[i];
		for (j = b->nsorted; j > 0 && ev_time(b->sorted[j - 1]) ==
		    ev_time(ev); j--)
			if (same_event(b->sorted[j - 1], ev))
				break;
		if ((j > 0 && ev_time(b->sorted[j - 1]) == ev_time(ev)) ||
		    joined_duplicate(ev)) {
			problem(b, "duplicate_merged", ev->f[EF_SPAN_ID].p ?
			    &ev->f[EF_SPAN_ID] : &ev->f[EF_SYSTEM_ID], -1);
			continue;
		}
		b->sorted[b->nsorted++] = ev;
		first(&b->correlation_id, &ev->f[EF_CORRELATION_ID]);
	}
	/* 2. span model: spans by id (index + 1 in the maps) */
	map_clear(&b->byid);
	map_clear(shared);
	xgrow(&b->evspan, &b->captmp, b->nsorted, sizeof(*evspan));
	evspan = b->evspan;
	for (i = 0; i < b->nsorted; i++) {
		ev = b->sorted[i];
		evspan[i] = SIZE_MAX;
		if (ev->f[EF_SPAN_ID].p == NULL)
			continue;
		kind = kind_view(ev);
		isshared = KEPT(ev)->shared;
		m = isshared ? shared : &b->byid;
		idx = (uintptr_t)map_get(m, ev->f[EF_SPAN_ID].p,
		    ev->f[EF_SPAN_ID].n);
		if (idx == 0) {
			s = new_span(b);
			s->id = ev->f[EF_SPAN_ID];
			s->shared = isshared;
			idx = b->n;
			*map_put(m, s->id.p, s->id.n) = (void *)idx;
		}
		evspan[i] = idx - 1;
		if (b->span[idx - 1].kind.p == NULL)
			b->span[idx - 1].kind = kind;
	}
	/* as many spans as events at most: the room of evspan */
	if (b->capfs < b->captmp) {
		b->capfs = b->captmp;
		b->finals = xreallocarray(b->finals, b->capfs, sizeof(*finals));
		b->starts = xreallocarray(b->starts, b->capfs, sizeof(*starts));
	}
	finals = b->finals;
	starts = b->starts;
	for (i = 0; i < b->n; i++)
		finals[i] = starts[i] = 0;
	for (i = 0; i < b->nsorted; i++)
		if (evspan[i] != SIZE_MAX)
			add_piece(&b->span[evspan[i]], b->sorted[i],
			    &finals[evspan[i]], &starts[evspan[i]]);
	for (i = 0; i < b->n; i++) {
		s = &b->span[i];
		if (finals[i] > 1 || starts[i] > 1)
			problem(b, "duplicate_merged", &s->id, -1);
		if (finals[i] == 0) {
			s->in_progress = true;
			waiting = true;
			problem(b, "in_progress", &s->id, -1);
		}
	}

	/* 3. checkpoint model: a span per system */
	firstcp = b->n;
	for (i = 0; i < b->nsorted; i++) {
		ev = b->sorted[i];
		if (ev->f[EF_SPAN_ID].p != NULL)
			continue;
		idx = (uintptr_t)map_get(bysys, ev->f[EF_SYSTEM_ID].p ?
		    ev->f[EF_SYSTEM_ID].p : "", ev->f[EF_SYSTEM_ID].n);
		if (idx == 0) {
			new_span(b);
			idx = b->n;
			*map_put(bysys, ev->f[EF_SYSTEM_ID].p ?
			    ev->f[EF_SYSTEM_ID].p : "", ev->f[EF_SYSTEM_ID].n) =
			    (void *)idx;
		}
		add_cp(&b->span[idx - 1], ev);
	}
	map_clear(bysys);
	for (i = firstcp; i < b->n; i++)
		finish_checkpoint_span(&b->span[i]);
	infer_parents(b, firstcp);
	b->checkpoint_model = firstcp == 0 && b->n > 0;
	/* 4. the tree */
	build_tree(b);
	for (i = 0; i < b->nprob; i++)
		if (strcmp(b->prob[i].kind, "missing_parent") == 0)
			waiting = true;
	if (tr->late > 0 && tr->revision > 0)
		problem(b, "late", NULL, (long)tr->late);
	if (why == W_IDLE && waiting)
		problem(b, "idle_flushed", NULL, -1);
	if (why == W_EVICTED)
		problem(b, "evicted", NULL, -1);
	if (tr->dropped > 0)
		problem(b, "span_limit", NULL, (long)tr->dropped);
	/* failures, in time order: failed spans, or failed checkpoints */
	for (i = 0; i < b->nsorted; i++) {
		ev = b->sorted[i];
		if (!event_failed(ev))
			continue;
		xgrow(&b->failed, &b->capfailed, b->nfailed + 1,
		    sizeof(*b->failed));
		b->failed[b->nfailed++] = ev;
	}
}

void
build_release(struct built *b)
{
	size_t	 i;

	for (i = 0; i < b->cap; i++)
		free(b->span[i].cps);
	free(b->span);
	free(b->order);
	free(b->prob);
	free(b->failed);
	free(b->sorted);
	free(b->kept);
	free(b->evspan);
	free(b->finals);
	free(b->starts);
	free(b->bystart);
	free(b->stack);
	free(b->state);
	map_release(&b->byid);
	map_release(&b->server);
	map_release(&b->shared);
	map_release(&b->bysys);
	buf_release(&b->scratch);
	jdoc_release(&b->adoc);
	memset(b, 0, sizeof(*b));
}
