/*
 * graph.c - depgraph's aggregates: nodes and edges per graph, graphs per
 * window, what recent traces contributed (for their revisions), the
 * merge of edge and service records, and the cycles.
 *
 * Windows.  Without -w there is one graph for all input (and one per
 * window an input edge record names).  With -w each trace goes, whole,
 * into the tumbling window its start falls in.  The event time (the
 * watermark) is the latest trace start read; a window is due, and is
 * written and freed, once the watermark has passed its end by the grace
 * (-g).  Traces and records for a window already written are late:
 * rejected, not counted into a later window.  Edge and service records do
 * not move the watermark (shards' windows come in any order): the windows
 * only they fill are written at the end of the input.
 *
 *	   trace starts at t
 *	        |
 *	[ window k ........ )[ window k+1 ...
 *	                    end      end + grace <= watermark: write k
 *
 * Revisions.  tracebuild writes a trace again, whole, with the next
 * revision when spans come late.  Each trace's contributions (its calls,
 * its spans per service) are remembered in a ring of the last nring
 * traces, by trace id: a later revision takes the earlier one's out again
 * (counts, errors, the latency sketch's buckets) and counts itself; an
 * earlier or equal revision is a duplicate and counts nothing.  A
 * window's entries leave the ring when it is written.  Not taken out
 * again: first/last seen, and the latency max.
 */
#include <stdlib.h>
#include <string.h>

#include "depgraph.h"
#include "event.h"
#include "ts.h"

const char *const nkind_name[NK_COUNT] = {
	[NK_UNKNOWN] = "service",
	[NK_USER] = "user",
	[NK_VIRTUAL] = "virtual",
	[NK_BROKER] = "broker",
	[NK_DATABASE] = "database",
	[NK_SERVICE] = "service",
};

/* What one trace counted, to take it out again. */
struct ccall {
	struct edge	*e;
	double		 latency;
	int		 method;	/* index in e->methods, or -1 */
	bool		 timed, error;
};

struct cnode {
	struct node	*n;
	uint32_t	 spans, errors;
};

struct contrib {
	char		*id;		/* the trace id: the held map's key */
	size_t		 idlen;
	long		 revision;
	struct graph	*g;		/* where it counted */
	struct contrib	*gprev, *gnext;	/* g's list of held traces */
	struct ccall	*calls;
	size_t		 ncalls, ccap;
	struct cnode	*nodes;
	size_t		 nnodes, ncap;
};

static struct graph *
graph_new(bool windowed, int64_t start, int64_t end)
{
	struct graph	*g = xcalloc(1, sizeof(*g));

	g->windowed = windowed;
	g->start = start;
	g->end = end;
	return g;
}

struct node *
graph_node(struct graph *g, const char *name, size_t len, enum nkind kind)
{
	struct node	*n;

	if ((n = map_get(&g->nodes, name, len)) == NULL) {
		n = xcalloc(1, sizeof(*n));
		n->name = xmemdup(name, len);
		n->len = len;
		n->index = -1;
		*map_put(&g->nodes, n->name, len) = n;
	}
	if (kind > n->kind)
		n->kind = kind;
	return n;
}

static struct edge *
graph_edge(struct graph *g, struct node *src, struct node *dst)
{
	struct node	*key[2] = { src, dst };
	struct edge	*e;

	if ((e = map_get(&g->edges, key, sizeof(key))) == NULL) {
		e = xcalloc(1, sizeof(*e));
		e->key[0] = src;
		e->key[1] = dst;
		*map_put(&g->edges, e->key, sizeof(e->key)) = e;
	}
	return e;
}

/* The method of an edge named name/type (raw), made if new; -1 past the
 * cap. */
static int
edge_method(struct edge *e, const char *name, size_t nl, const char *type,
    size_t tl)
{
	struct method	*m;
	size_t		 i;

	for (i = 0; i < e->nmethods; i++) {
		m = &e->methods[i];
		if (strlen(m->name) == nl && memcmp(m->name, name, nl) == 0 &&
		    (m->type == NULL ? type == NULL : type != NULL &&
		    strlen(m->type) == tl && memcmp(m->type, type, tl) == 0))
			return (int)i;
	}
	if (e->nmethods == EDGE_MAX_METHODS)
		return -1;
	xgrow(&e->methods, &e->mcap, e->nmethods + 1, sizeof(*e->methods));
	m = &e->methods[e->nmethods];
	m->name = xmemdup(name, nl);
	m->type = type != NULL ? xmemdup(type, tl) : NULL;
	m->calls = 0;
	return (int)e->nmethods++;
}

static void
seen(int64_t *first, int64_t *last, bool *was, int64_t t)
{
	if (!*was || t < *first)
		*first = t;
	if (!*was || t > *last)
		*last = t;
	*was = true;
}

void
graph_free(struct graph *g)
{
	size_t		 pos = 0, klen, i;
	const char	*key;
	void		*v;

	if (g == NULL)
		return;
	while (map_next(&g->edges, &pos, &key, &klen, &v)) {
		struct edge *e = v;
		for (i = 0; i < e->nmethods; i++) {
			free(e->methods[i].name);
			free(e->methods[i].type);
		}
		free(e->methods);
		sketch_release(&e->latency);
		free(e);
	}
	pos = 0;
	while (map_next(&g->nodes, &pos, &key, &klen, &v)) {
		free(((struct node *)v)->name);
		free(v);
	}
	map_release(&g->edges);
	map_release(&g->nodes);
	free(g->nv);
	free(g->ev);
	free(g->cycles);
	free(g->cyc_nodes);
	free(g);
}

void
gset_init(struct gset *s, int64_t window, int64_t grace, size_t nring,
    bool flat)
{
	memset(s, 0, sizeof(*s));
	s->window = window;
	s->grace = grace;
	s->flat = flat;
	s->nring = nring;
	s->ring = xcalloc(nring, sizeof(*s->ring));
}

/* Put held trace c on the list of graph g (NULL: on none). */
static void
hold_in(struct contrib *c, struct graph *g)
{
	if (c->g != NULL) {
		if (c->gprev != NULL)
			c->gprev->gnext = c->gnext;
		else
			c->g->held = c->gnext;
		if (c->gnext != NULL)
			c->gnext->gprev = c->gprev;
	}
	c->g = g;
	c->gprev = NULL;
	c->gnext = NULL;
	if (g != NULL) {
		c->gnext = g->held;
		if (g->held != NULL)
			g->held->gprev = c;
		g->held = c;
	}
}

/* Forget a held trace (its entry stays for reuse). */
static void
unhold(struct gset *s, struct contrib *c)
{
	if (c->id == NULL)
		return;
	map_del(&s->held, c->id, c->idlen);
	free(c->id);
	c->id = NULL;
	hold_in(c, NULL);
}

void
gset_release(struct gset *s)
{
	struct graph	*g;
	size_t		 i;

	while ((g = s->graphs) != NULL) {
		s->graphs = g->next;
		graph_free(g);
	}
	for (i = 0; i < s->nring; i++) {
		free(s->ring[i].id);
		free(s->ring[i].calls);
		free(s->ring[i].nodes);
	}
	free(s->ring);
	map_release(&s->held);
	sketch_release(&s->rsk);
	memset(s, 0, sizeof(*s));
}

/* The graph of a window, or the unwindowed one, made if new. */
static struct graph *
find_graph(struct gset *s, bool windowed, int64_t start, int64_t end)
{
	struct graph	**pp, *g;

	for (pp = &s->graphs; (g = *pp) != NULL; pp = &g->next) {
		if (g->windowed == windowed && (!windowed ||
		    (g->start == start && g->end == end)))
			return g;
		if (windowed && g->windowed && (g->start > start ||
		    (g->start == start && g->end > end)))
			break;
	}
	g = graph_new(windowed, start, end);
	g->next = *pp;
	*pp = g;
	return g;
}

/* The start of the window t falls in. */
static int64_t
window_of(const struct gset *s, int64_t t)
{
	int64_t	 k = t / s->window;

	if (t % s->window < 0)
		k--;
	return k * s->window;
}

struct graph *
gset_graph(struct gset *s, bool has, int64_t start)
{
	int64_t	 w;

	if (s->flat || s->window == 0)
		return find_graph(s, false, 0, 0);
	if (!has)
		return NULL;
	w = window_of(s, start);
	return find_graph(s, true, w, w + s->window);
}

bool
gset_is_late(const struct gset *s, bool has, int64_t start)
{
	return s->window > 0 && !s->flat && has && s->has_closed &&
	    window_of(s, start) < s->closed_until;
}

/* Take out what a held trace counted. */
static void
retract(struct contrib *c)
{
	struct ccall	*k;
	size_t		 i;

	for (i = 0; i < c->ncalls; i++) {
		k = &c->calls[i];
		k->e->calls--;
		k->e->errors -= k->error;
		if (k->timed)
			sketch_remove(&k->e->latency, k->latency);
		if (k->method >= 0)
			k->e->methods[k->method].calls--;
	}
	for (i = 0; i < c->nnodes; i++) {
		c->nodes[i].n->spans -= c->nodes[i].spans;
		c->nodes[i].n->errors -= c->nodes[i].errors;
	}
	c->ncalls = c->nnodes = 0;
}

bool
gset_is_held(const struct gset *s, const char *id, size_t idlen,
    long revision)
{
	const struct contrib *c = map_get(&s->held, id, idlen);

	return c != NULL && c->revision >= revision;
}

int
gset_add_trace(struct gset *s, struct graph *g, const char *id, size_t idlen,
    long revision, const struct linked *lk)
{
	struct contrib	*c = NULL;
	const struct call *k;
	struct ccall	*cc;
	struct edge	*e;
	size_t		 i;
	int		 m;

	if (id != NULL && s->nring > 0 &&
	    (c = map_get(&s->held, id, idlen)) != NULL) {
		if (revision <= c->revision) {
			s->duplicates++;
			return 1;
		}
		retract(c);
		s->revised++;
		s->traces--;	/* counted once, under its latest revision */
		c->revision = revision;
		hold_in(c, g);
	} else if (id != NULL && s->nring > 0) {
		c = &s->ring[s->ringpos];
		s->ringpos = (s->ringpos + 1) % s->nring;
		unhold(s, c);
		c->id = xmemdup(id, idlen);
		c->idlen = idlen;
		c->revision = revision;
		hold_in(c, g);
		c->ncalls = c->nnodes = 0;
		*map_put(&s->held, c->id, idlen) = c;
	}
	s->traces++;
	for (i = 0; i < lk->ncalls; i++) {
		k = &lk->calls[i];
		e = graph_edge(g, k->src, k->dst);
		e->calls++;
		e->errors += k->error;
		if (k->timed)
			sketch_add(&e->latency, k->latency);
		if (k->has_time) {
			seen(&e->first, &e->last, &e->seen, k->time);
			seen(&k->src->first, &k->src->last, &k->src->seen,
			    k->time);
			seen(&k->dst->first, &k->dst->last, &k->dst->seen,
			    k->time);
		}
		m = -1;
		if (k->method != SIZE_MAX && (m = edge_method(e,
		    lk->strings.p + k->method, k->mlen, k->mtype != SIZE_MAX ?
		    lk->strings.p + k->mtype : NULL, k->tlen)) >= 0)
			e->methods[m].calls++;
		if (c == NULL)
			continue;
		xgrow(&c->calls, &c->ccap, c->ncalls + 1, sizeof(*c->calls));
		cc = &c->calls[c->ncalls++];
		cc->e = e;
		cc->latency = k->latency;
		cc->timed = k->timed;
		cc->error = k->error;
		cc->method = m;
	}
	for (i = 0; i < lk->nnstats; i++) {
		const struct nstat *ns = &lk->nstats[i];
		ns->node->spans += ns->spans;
		ns->node->errors += ns->errors;
		if (ns->seen) {
			seen(&ns->node->first, &ns->node->last,
			    &ns->node->seen, ns->first);
			seen(&ns->node->first, &ns->node->last,
			    &ns->node->seen, ns->last);
		}
		if (c == NULL)
			continue;
		xgrow(&c->nodes, &c->ncap, c->nnodes + 1, sizeof(*c->nodes));
		c->nodes[c->nnodes].n = ns->node;
		c->nodes[c->nnodes].spans = ns->spans;
		c->nodes[c->nnodes++].errors = ns->errors;
	}
	return 0;
}

void
gset_advance(struct gset *s, int64_t t)
{
	if (!s->has_watermark || t > s->watermark)
		s->watermark = t;
	s->has_watermark = true;
}

/* Unlink the first graph and forget the traces held for it. */
static struct graph *
unlink_first(struct gset *s)
{
	struct graph	*g = s->graphs;

	if (g == NULL)
		return NULL;
	s->graphs = g->next;
	g->next = NULL;
	while (g->held != NULL)
		unhold(s, g->held);
	if (g->windowed && (!s->has_closed || g->end > s->closed_until)) {
		s->closed_until = g->end;
		s->has_closed = true;
	}
	s->windows++;
	return g;
}

struct graph *
gset_due(struct gset *s)
{
	struct graph	*g = s->graphs;

	if (s->window == 0 || s->flat || g == NULL || !g->windowed ||
	    !s->has_watermark || g->end > s->watermark - s->grace)
		return NULL;
	return unlink_first(s);
}

struct graph *
gset_pop(struct gset *s)
{
	return unlink_first(s);
}

/* Records: the members depgraph writes, read back for a merge. */

static bool
rbad(struct buf *why, const char *fmt, const char *name)
{
	buf_reset(why);
	buf_addf(why, fmt, name);
	return false;
}

/* Member name of object 0 as a count (an integer >= 0) into *v. */
static bool
get_count(const struct jdoc *d, const char *name, uint64_t *v,
    struct buf *why)
{
	int	 t = jdoc_get(d, 0, name, strlen(name));
	double	 x;

	if (t < 0)
		return rbad(why, "bad record: no '%s'", name);
	if (d->t[t].type != J_NUMBER || (x = jdoc_num(d, t)) < 0 ||
	    x > 9007199254740992.0 || x != (double)(uint64_t)x)
		return rbad(why, "bad record: '%s' is not a count", name);
	*v = (uint64_t)x;
	return true;
}

/* Member name as a time, or null (*has false). */
static bool
get_time(const struct jdoc *d, int obj, const char *name, bool *has,
    int64_t *ms, struct buf *why)
{
	struct ts_opts	 utc = { 1970, 0 };
	const char	*p;
	size_t		 n;
	int		 t = jdoc_get(d, obj, name, strlen(name));

	*has = false;
	if (t < 0 || d->t[t].type == J_NULL)
		return true;
	p = d->src + d->t[t].start + 1;
	n = d->t[t].end - d->t[t].start - 2;
	if (d->t[t].type != J_STRING || (!ts_parse_canonical(p, n, ms) &&
	    !ts_parse(p, n, &utc, ms)))
		return rbad(why, "bad record: '%s' is not a time", name);
	*has = true;
	return true;
}

/* Member name as a string that is not empty, raw (into scratch when
 * escaped). */
static bool
get_name(const struct jdoc *d, const char *name, struct buf *scratch,
    const char **p, size_t *n, struct buf *why)
{
	int	 t = jdoc_get(d, 0, name, strlen(name));

	if (t < 0 || d->t[t].type != J_STRING)
		return rbad(why, "bad record: '%s' is not a string", name);
	jdoc_str(d, t, scratch, p, n);
	if (*n == 0)
		return rbad(why, "bad record: '%s' is empty", name);
	return true;
}

/* The graph of a record's window member; NULL with the reason in why. */
static struct graph *
record_graph(struct gset *s, const struct jdoc *d, struct buf *why)
{
	int	 w = jdoc_get(d, 0, "window", 6);
	bool	 hs, he;
	int64_t	 start, end;

	if (s->flat)
		return find_graph(s, false, 0, 0);
	if (w < 0 || d->t[w].type == J_NULL) {
		if (s->window > 0) {
			rbad(why, "window: %s, but -w asks for windows",
			    "the record has none");
			return NULL;
		}
		return find_graph(s, false, 0, 0);
	}
	if (d->t[w].type != J_OBJECT) {
		rbad(why, "bad record: '%s' is not an object", "window");
		return NULL;
	}
	if (!get_time(d, w, "start", &hs, &start, why) ||
	    !get_time(d, w, "end", &he, &end, why))
		return NULL;
	if (!hs || !he || end <= start) {
		rbad(why, "bad record: '%s' has no start and end", "window");
		return NULL;
	}
	if (s->window > 0 && (end - start != s->window ||
	    window_of(s, start) != start)) {
		rbad(why, "window: %s", "not one of -w's windows");
		return NULL;
	}
	if (s->window > 0 && gset_is_late(s, true, start)) {
		rbad(why, "late: %s", "its window was written already");
		return NULL;
	}
	return find_graph(s, true, start, end);
}

/* Whether the record says "change":"vanished". */
static bool
vanished(const struct jdoc *d)
{
	int	 t = jdoc_get(d, 0, "change", 6);

	return t >= 0 && d->t[t].type == J_STRING &&
	    jdoc_str_eq(d, t, "vanished", 8);
}

static bool
merge_methods(struct edge *e, const struct jdoc *d, struct buf *scratch,
    struct buf *why)
{
	int		 a = jdoc_get(d, 0, "methods", 7), nt, tt, ct, m;
	uint32_t	 i, k;
	const char	*name, *type;
	size_t		 nl, tl;
	struct buf	 tmp = BUF_INIT;
	double		 x;
	bool		 good = true;

	if (a < 0 || d->t[a].type == J_NULL)
		return true;
	if (d->t[a].type != J_ARRAY)
		return rbad(why, "bad record: '%s' is not an array", "methods");
	for (i = 0, k = (uint32_t)a + 1; i < d->t[a].count && good;
	    i++, k = d->t[k].next) {
		nt = d->t[k].type == J_OBJECT ? jdoc_get(d, (int)k, "name", 4) :
		    -1;
		tt = nt >= 0 ? jdoc_get(d, (int)k, "type", 4) : -1;
		ct = nt >= 0 ? jdoc_get(d, (int)k, "calls", 5) : -1;
		if (nt < 0 || d->t[nt].type != J_STRING || ct < 0 ||
		    d->t[ct].type != J_NUMBER || (x = jdoc_num(d, ct)) < 0 ||
		    x != (double)(uint64_t)x || (tt >= 0 &&
		    d->t[tt].type != J_STRING && d->t[tt].type != J_NULL)) {
			good = rbad(why, "bad record: '%s' holds a bad method",
			    "methods");
			break;
		}
		jdoc_str(d, nt, scratch, &name, &nl);
		type = NULL;
		tl = 0;
		if (tt >= 0 && d->t[tt].type == J_STRING)
			jdoc_str(d, tt, &tmp, &type, &tl);
		if ((m = edge_method(e, name, nl, type, tl)) >= 0)
			e->methods[m].calls += (uint64_t)x;
	}
	buf_release(&tmp);
	return good;
}

bool
gset_merge_record(struct gset *s, const struct jdoc *d, bool edge,
    struct buf *scratch, struct buf *why)
{
	struct sketch	*sk = &s->rsk;
	struct graph	*g;
	struct node	*a, *b;
	struct edge	*e;
	const char	*p;
	size_t		 n;
	uint64_t	 calls, errors;
	int64_t		 t1, t2;
	bool		 h1, h2;
	int		 t;

	if (vanished(d)) {
		s->vanished_skipped++;
		return true;
	}
	if (edge) {
		/* everything is checked before anything is counted */
		if ((t = jdoc_get(d, 0, "sketch", 6)) < 0)
			return rbad(why, "bad record: no '%s'", "sketch");
		if (!sketch_read(sk, d, t, why) ||
		    !get_count(d, "calls", &calls, why) ||
		    !get_count(d, "errors", &errors, why) ||
		    !get_time(d, 0, "first_seen", &h1, &t1, why) ||
		    !get_time(d, 0, "last_seen", &h2, &t2, why))
			return false;
		if (errors > calls || sk->count > calls)
			return rbad(why, "bad record: %s", "'errors' or the "
			    "sketch's count is more than 'calls'");
		if (!get_name(d, "source", scratch, &p, &n, why) ||
		    !get_name(d, "target", scratch, &p, &n, why) ||
		    (g = record_graph(s, d, why)) == NULL)
			return false;
		b = graph_node(g, p, n, NK_UNKNOWN);
		get_name(d, "source", scratch, &p, &n, why);
		a = graph_node(g, p, n, NK_UNKNOWN);
		e = graph_edge(g, a, b);
		if (!merge_methods(e, d, scratch, why))
			return false;
		e->calls += calls;
		e->errors += errors;
		sketch_merge(&e->latency, sk);
		if (h1)
			seen(&e->first, &e->last, &e->seen, t1);
		if (h2)
			seen(&e->first, &e->last, &e->seen, t2);
		s->edge_records++;
		return true;
	}
	{
		uint64_t	 spans;
		int		 k, kt = jdoc_get(d, 0, "kind", 4);
		enum nkind	 kind = NK_COUNT;

		if (kt >= 0 && d->t[kt].type == J_STRING)
			for (k = NK_USER; k < NK_COUNT; k++)
				if (jdoc_str_eq(d, kt, nkind_name[k],
				    strlen(nkind_name[k])))
					kind = (enum nkind)k;
		if (kind == NK_COUNT)
			return rbad(why, "bad record: '%s' is not a node kind",
			    "kind");
		if (!get_count(d, "spans", &spans, why) ||
		    !get_count(d, "errors", &errors, why) ||
		    !get_time(d, 0, "first_seen", &h1, &t1, why) ||
		    !get_time(d, 0, "last_seen", &h2, &t2, why))
			return false;
		if (errors > spans)
			return rbad(why, "bad record: %s", "'errors' is more "
			    "than 'spans'");
		if (!get_name(d, "name", scratch, &p, &n, why) ||
		    (g = record_graph(s, d, why)) == NULL)
			return false;
		a = graph_node(g, p, n, kind);
		a->spans += spans;
		a->errors += errors;
		a->listed = true;
		if (h1)
			seen(&a->first, &a->last, &a->seen, t1);
		if (h2)
			seen(&a->first, &a->last, &a->seen, t2);
		s->service_records++;
		return true;
	}
}

static int
node_cmp(const void *a, const void *b)
{
	const struct node *x = *(struct node *const *)a;
	const struct node *y = *(struct node *const *)b;
	int		 c = memcmp(x->name, y->name, x->len < y->len ? x->len :
			    y->len);

	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

static int
edge_cmp(const void *a, const void *b)
{
	const struct edge *x = *(struct edge *const *)a;
	const struct edge *y = *(struct edge *const *)b;

	if (x->key[0]->index != y->key[0]->index)
		return x->key[0]->index < y->key[0]->index ? -1 : 1;
	return (x->key[1]->index > y->key[1]->index) -
	    (x->key[1]->index < y->key[1]->index);
}

/*
 * The strongly connected components, by Tarjan's algorithm with an
 * explicit stack (10^4 services in a chain must not overflow the C
 * stack).  A component of two or more services, or one that calls
 * itself, is a cycle; cycles are numbered in the order of their first
 * service's name, and list their services in name order.
 */
static void
find_cycles(struct graph *g)
{
	size_t		 n = g->nn, i, *estart, *cs_e, csp = 0, sp = 0, j;
	int		*num, *low, *stk, *comp, *cs_v, *outid, *fill, counter = 0;
	int		 ncomp = 0, v, w, c;
	bool		*on, *cyc;

	estart = xcalloc(n + 1, sizeof(*estart));
	cs_e = xcalloc(n + 1, sizeof(*cs_e));
	num = xcalloc(n + 1, sizeof(*num));
	low = xcalloc(n + 1, sizeof(*low));
	stk = xcalloc(n + 1, sizeof(*stk));
	comp = xcalloc(n + 1, sizeof(*comp));
	cs_v = xcalloc(n + 1, sizeof(*cs_v));
	outid = xcalloc(n + 1, sizeof(*outid));
	fill = xcalloc(n + 1, sizeof(*fill));
	on = xcalloc(n + 1, sizeof(*on));
	cyc = xcalloc(n + 1, sizeof(*cyc));
	for (j = 0; j < g->ne; j++)
		estart[g->ev[j]->key[0]->index + 1]++;
	for (i = 0; i < n; i++)
		estart[i + 1] += estart[i];
	for (i = 0; i < n; i++) {
		if (num[i] != 0)
			continue;
		num[i] = low[i] = ++counter;
		stk[sp++] = (int)i;
		on[i] = true;
		cs_v[csp] = (int)i;
		cs_e[csp++] = estart[i];
		while (csp > 0) {
			v = cs_v[csp - 1];
			if (cs_e[csp - 1] < estart[v + 1]) {
				w = g->ev[cs_e[csp - 1]++]->key[1]->index;
				if (num[w] == 0) {
					num[w] = low[w] = ++counter;
					stk[sp++] = w;
					on[w] = true;
					cs_v[csp] = w;
					cs_e[csp++] = estart[w];
				} else if (on[w] && num[w] < low[v])
					low[v] = num[w];
				continue;
			}
			csp--;
			if (csp > 0 && low[v] < low[cs_v[csp - 1]])
				low[cs_v[csp - 1]] = low[v];
			if (low[v] != num[v])
				continue;
			/* v roots a component: pop it */
			j = 0;
			do {
				w = stk[--sp];
				on[w] = false;
				comp[w] = ncomp;
				j++;
			} while (w != v);
			cyc[ncomp++] = j > 1;
		}
	}
	for (j = 0; j < g->ne; j++)
		if (g->ev[j]->key[0] == g->ev[j]->key[1])
			cyc[comp[g->ev[j]->key[0]->index]] = true;
	/* number the cycles by their first service, fill in name order */
	for (c = 0; c < ncomp; c++)
		outid[c] = -1;
	g->ncycles = 0;
	for (i = 0; i < n; i++) {
		c = comp[i];
		g->nv[i]->cycle = -1;
		if (!cyc[c])
			continue;
		if (outid[c] < 0)
			outid[c] = (int)g->ncycles++;
		g->nv[i]->cycle = outid[c];
	}
	g->cycles = xcalloc(g->ncycles + 1, sizeof(*g->cycles));
	g->cyc_nodes = xcalloc(n + 1, sizeof(*g->cyc_nodes));
	for (i = 0; i < n; i++)
		if (g->nv[i]->cycle >= 0)
			g->cycles[g->nv[i]->cycle].n++;
	for (i = 1; i < g->ncycles; i++)
		g->cycles[i].first = g->cycles[i - 1].first +
		    g->cycles[i - 1].n;
	for (i = 0; i < n; i++)
		if ((c = g->nv[i]->cycle) >= 0)
			g->cyc_nodes[g->cycles[c].first + fill[c]++] = (int)i;
	for (j = 0; j < g->ne; j++) {
		struct edge *e = g->ev[j];
		e->in_cycle = e->key[0]->cycle >= 0 &&
		    e->key[0]->cycle == e->key[1]->cycle;
		if (e->in_cycle) {
			g->cycles[e->key[0]->cycle].edges++;
			g->cycles[e->key[0]->cycle].calls += e->calls;
		}
	}
	free(estart);
	free(cs_e);
	free(num);
	free(low);
	free(stk);
	free(comp);
	free(cs_v);
	free(outid);
	free(fill);
	free(on);
	free(cyc);
}

void
graph_finish(struct graph *g)
{
	size_t		 pos = 0, klen, i;
	const char	*key;
	void		*v;
	struct node	*n;
	struct edge	*e;

	while (map_next(&g->nodes, &pos, &key, &klen, &v)) {
		n = v;
		n->calls_in = n->errors_in = n->calls_out = n->errors_out = 0;
		n->index = -1;
		n->low = n->spans > 0 || n->listed;	/* in use */
	}
	free(g->ev);
	g->ev = xcalloc(g->edges.n + 1, sizeof(*g->ev));
	g->ne = 0;
	pos = 0;
	while (map_next(&g->edges, &pos, &key, &klen, &v)) {
		e = v;
		if (e->calls == 0)
			continue;	/* taken back by a revision */
		g->ev[g->ne++] = e;
		e->key[0]->low = e->key[1]->low = 1;
	}
	free(g->nv);
	g->nv = xcalloc(g->nodes.n + 1, sizeof(*g->nv));
	g->nn = 0;
	pos = 0;
	while (map_next(&g->nodes, &pos, &key, &klen, &v))
		if (((struct node *)v)->low)
			g->nv[g->nn++] = v;
	qsort(g->nv, g->nn, sizeof(*g->nv), node_cmp);
	for (i = 0; i < g->nn; i++)
		g->nv[i]->index = (int)i;
	qsort(g->ev, g->ne, sizeof(*g->ev), edge_cmp);
	for (i = 0; i < g->ne; i++) {
		e = g->ev[i];
		e->key[0]->calls_out += e->calls;
		e->key[0]->errors_out += e->errors;
		e->key[1]->calls_in += e->calls;
		e->key[1]->errors_in += e->errors;
	}
	free(g->cycles);
	free(g->cyc_nodes);
	find_cycles(g);
}
