/*
 * link.c - the linking policies: which spans of a trace make a call, and
 * from which service to which (depgraph(1), LINKING).
 *
 * A trace whose spans have no kinds (the span log, the seed's checkpoint
 * spans, flat span logs) is linked by the names its spans carry, whatever
 * the policy: a span that names its callee (target) is a call from its
 * service to it; otherwise a span whose parent is in another service, and
 * named no callee, is a call from the parent's service.
 *
 * A trace with kinds is linked by the policy:
 *
 *   otel    the OpenTelemetry service-graph connector's and Grafana
 *           Tempo's rules: a client (or producer) span and the server (or
 *           consumer) span that is its child are one call; a client or
 *           producer without such a child calls the virtual node its
 *           target or first peer attribute names; a root server span is
 *           called by "user" with --user.
 *   zipkin  Zipkin's DependencyLinker (zipkin2.internal), rule for rule:
 *           links at server and consumer spans from the nearest remote
 *           ancestor, client spans without children to their remote
 *           service, messaging through the named broker only, errors from
 *           the span's error (or its client's), the "missing link to
 *           client span" backfill.  One departure: a span whose parent is
 *           missing is not hung under the root (Zipkin does, which
 *           credits the root's service with calls it may not have made).
 *
 * Parents are found by id, as Zipkin's SpanNode does: the server half of a
 * shared span belongs under the client half with its id; a child of a
 * shared id belongs under the shared half of its own service first.  A
 * span given twice (same id, shared flag and service) counts once.  A
 * span marked orphan (tracebuild: its parent never came) has no parent.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "depgraph.h"
#include "event.h"

enum skind { SK_NONE, SK_CLIENT, SK_SERVER, SK_PRODUCER, SK_CONSUMER,
	SK_INTERNAL };

#define ROOT	(-1)	/* parent: none logged */
#define MISSING	(-2)	/* parent: logged, but not in the trace */

struct lspan {
	const struct span_rec *r;
	enum skind	 kind;
	int		 parent;	/* index, ROOT or MISSING */
	int		 nchildren;	/* counted children */
	struct node	*svc;		/* NULL: no service */
	bool		 dup, failed, timed, paired;
	double		 dur;
	int		 atok;		/* token of its attrs, -1 none,
					   -2 not looked up yet */
};

/* The trace being linked, for the helpers below. */
struct ctx {
	const struct trace_rec *t;
	const struct jdoc *d;
	const struct link_opts *o;
	struct graph	*g;
	struct linked	*lk;
	struct link_stats *st;
	struct lspan	*ls;
	size_t		 n;
};

static enum skind
kind_of(const struct strview *v)
{
	const char	*p = v->p;
	size_t		 n = v->n;

	if (p == NULL)
		return SK_NONE;
	if (n > 10 && strncasecmp(p, "SPAN_KIND_", 10) == 0)
		p += 10, n -= 10;
	if (n == 6 && strncasecmp(p, "CLIENT", 6) == 0)
		return SK_CLIENT;
	if (n == 6 && strncasecmp(p, "SERVER", 6) == 0)
		return SK_SERVER;
	if (n == 8 && strncasecmp(p, "PRODUCER", 8) == 0)
		return SK_PRODUCER;
	if (n == 8 && strncasecmp(p, "CONSUMER", 8) == 0)
		return SK_CONSUMER;
	if (n == 8 && strncasecmp(p, "INTERNAL", 8) == 0)
		return SK_INTERNAL;
	return SK_NONE;
}

static bool
view_eq(const struct strview *a, const struct strview *b)
{
	return a->p != NULL && b->p != NULL && a->n == b->n &&
	    memcmp(a->p, b->p, a->n) == 0;
}

/* The span index sorted by span id, then record order (qsort's context). */
static const struct lspan *sort_ls;

static int
by_id(const void *a, const void *b)
{
	int	 i = *(const int *)a, j = *(const int *)b, c;

	c = strview_cmp(&sort_ls[i].r->span_id, &sort_ls[j].r->span_id);
	return c != 0 ? c : (i > j) - (i < j);
}

/* The first place in the sorted index whose id is id, or -1. */
static int
first_with_id(const struct ctx *c, const struct strview *id)
{
	int	*ord = c->lk->order;
	size_t	 lo = 0, hi = c->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (strview_cmp(&c->ls[ord[mid]].r->span_id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n && view_eq(&c->ls[ord[lo]].r->span_id, id) ?
	    (int)lo : -1;
}

/*
 * The parent of span i, by id: for the server half of a shared span the
 * client half; else, of the spans with the parent id, the shared half of
 * the same service, then the one that is not shared, then any.
 */
static int
find_parent(const struct ctx *c, int i)
{
	const struct lspan *s = &c->ls[i], *p;
	const int	*ord = c->lk->order;
	int		 k, same = -1, plain = -1, any = -1;

	if (s->r->shared && (k = first_with_id(c, &s->r->span_id)) >= 0)
		for (; (size_t)k < c->n && view_eq(&c->ls[ord[k]].r->span_id,
		    &s->r->span_id); k++)
			if (ord[k] != i && !c->ls[ord[k]].r->shared &&
			    !c->ls[ord[k]].dup)
				return ord[k];
	if (s->r->parent_span_id.p == NULL)
		return ROOT;
	if ((k = first_with_id(c, &s->r->parent_span_id)) < 0)
		return MISSING;
	for (; (size_t)k < c->n && view_eq(&c->ls[ord[k]].r->span_id,
	    &s->r->parent_span_id); k++) {
		p = &c->ls[ord[k]];
		if (ord[k] == i || p->dup)
			continue;
		if (p->r->shared && p->svc == s->svc && same < 0)
			same = ord[k];
		else if (!p->r->shared && plain < 0)
			plain = ord[k];
		else if (any < 0)
			any = ord[k];
	}
	k = same >= 0 ? same : plain >= 0 ? plain : any;
	return k >= 0 ? k : MISSING;
}

/*
 * The token of span s's attrs object, or -1: the member whose value
 * starts where span_read found the object (integers compared, not
 * names).
 */
static int
attrs_tok(const struct ctx *c, struct lspan *s)
{
	const struct jdoc *d = c->d;
	const char	*p = s->r->attrs.p;
	uint32_t	 n, k, off;
	int		 obj = s->r->tok;

	if (s->atok != -2)
		return s->atok;
	s->atok = -1;
	if (p == NULL || p <= d->src || p > d->src + d->len)
		return -1;
	off = (uint32_t)(p - d->src) - 1;
	/* tokens are in document order: a binary search by offset in the
	 * span's subtree */
	for (n = (uint32_t)obj + 1, k = d->t[obj].next; n < k; ) {
		uint32_t mid = n + (k - n) / 2;
		if (d->t[mid].start < off)
			n = mid + 1;
		else
			k = mid;
	}
	if (n < d->t[obj].next && d->t[n].start == off &&
	    d->t[n].type == J_OBJECT)
		s->atok = (int)n;
	return s->atok;
}

/*
 * The value of attribute name of span s, raw, into *p and *n (scratch
 * may hold it): attrs.NAME, else attrs.span_attrs.NAME (OTLP), else
 * attrs.tags.NAME (Zipkin).  A string that is not empty, or a number as
 * written.
 */
static bool
span_attr(const struct ctx *c, struct lspan *s, const char *name,
    struct buf *scratch, const char **p, size_t *n)
{
	static const char *const sub[] = { "span_attrs", "tags" };
	const struct jdoc *d = c->d;
	size_t		 nl = strlen(name), i;
	int		 a, o, v;

	if ((a = attrs_tok(c, s)) < 0)
		return false;
	v = jdoc_get(d, a, name, nl);
	for (i = 0; v < 0 && i < 2; i++)
		if ((o = jdoc_get(d, a, sub[i], strlen(sub[i]))) >= 0 &&
		    d->t[o].type == J_OBJECT)
			v = jdoc_get(d, o, name, nl);
	if (v < 0)
		return false;
	if (d->t[v].type == J_STRING) {
		jdoc_str(d, v, scratch, p, n);
		return *n > 0;
	}
	if (d->t[v].type == J_NUMBER) {
		*p = d->src + d->t[v].start;
		*n = d->t[v].end - d->t[v].start;
		return true;
	}
	return false;
}

/* Copy string token v's content into the linked's strings; its offset. */
static size_t
keep_str(struct ctx *c, int v, size_t *len)
{
	const char	*p;
	size_t		 off;

	jdoc_str(c->d, v, &c->lk->scratch, &p, len);
	off = c->lk->strings.len;
	buf_add(&c->lk->strings, p, *len);
	return off;
}

/* The method of call k: span s's attrs.method and attrs.type, in one
 * pass over its attrs. */
static void
keep_method(struct ctx *c, struct lspan *s, struct call *k)
{
	const struct jdoc *d = c->d;
	uint32_t	 n, j;
	int		 a, mt = -1, tt = -1;

	if ((a = attrs_tok(c, s)) < 0)
		return;
	for (n = 0, j = (uint32_t)a + 1; n < d->t[a].count;
	    n++, j = d->t[j + 1].next) {
		/* keys as written: "method" and "type" need no escapes */
		if (d->t[j + 1].type != J_STRING)
			continue;
		if (d->t[j].end - d->t[j].start == 8 &&
		    memcmp(d->src + d->t[j].start, "\"method\"", 8) == 0)
			mt = (int)j + 1;
		else if (d->t[j].end - d->t[j].start == 6 &&
		    memcmp(d->src + d->t[j].start, "\"type\"", 6) == 0)
			tt = (int)j + 1;
	}
	if (mt < 0)
		return;
	k->method = keep_str(c, mt, &k->mlen);
	if (tt >= 0)
		k->mtype = keep_str(c, tt, &k->tlen);
}

/* The node named by view v (a span's target), made with kind. */
static struct node *
node_of(struct ctx *c, const struct strview *v, enum nkind kind)
{
	const char	*p;
	size_t		 n;

	if (!event_text(v, &c->lk->scratch, &p, &n) || n == 0)
		return NULL;
	return graph_node(c->g, p, n, kind);
}

/*
 * One call from src to dst; its latency is the duration of span lat, its
 * time the start of span when, its method that of span m.
 */
static void
add_call(struct ctx *c, struct node *src, struct node *dst, bool error,
    const struct lspan *lat, const struct lspan *when, struct lspan *m)
{
	struct linked	*lk = c->lk;
	struct call	*k;

	xgrow(&lk->calls, &lk->ccap, lk->ncalls + 1, sizeof(*lk->calls));
	k = &lk->calls[lk->ncalls++];
	k->src = src;
	k->dst = dst;
	k->error = error;
	k->timed = lat != NULL && lat->timed;
	k->latency = k->timed ? lat->dur : 0;
	k->has_time = when->r->has_start;
	k->time = when->r->start_ms;
	k->method = k->mtype = SIZE_MAX;
	k->mlen = k->tlen = 0;
	if (m != NULL)
		keep_method(c, m, k);
	c->st->calls++;
	if (src == dst)
		c->st->self_loops++;
}

/* Spans without kinds: by the names they carry. */
static void
link_by_names(struct ctx *c)
{
	struct lspan	*s, *p;
	struct node	*dst;
	size_t		 i;

	for (i = 0; i < c->n; i++) {
		s = &c->ls[i];
		if (s->dup)
			continue;
		if (s->r->target.p != NULL) {
			if (s->svc == NULL) {
				c->st->no_service++;
				continue;
			}
			if ((dst = node_of(c, &s->r->target, NK_VIRTUAL)) != NULL) {
				add_call(c, s->svc, dst, s->failed, s, s, s);
				continue;
			}
		}
		if (s->parent == MISSING) {
			c->st->parent_missing++;
			continue;
		}
		if (s->parent == ROOT || s->svc == NULL)
			continue;
		p = &c->ls[s->parent];
		if (p->svc == NULL || p->svc == s->svc || p->r->target.p != NULL)
			continue;	/* no call, or counted at the parent */
		add_call(c, p->svc, s->svc, s->failed, s, s, s);
	}
}

/*
 * The virtual callee of an unpaired client or producer span: its target,
 * else the first peer attribute it has.  *kind says what it is.
 */
static struct node *
virtual_callee(struct ctx *c, struct lspan *s)
{
	const char	*p;
	size_t		 n, i;
	enum nkind	 kind = s->kind == SK_PRODUCER ? NK_BROKER : NK_VIRTUAL;
	struct buf	*tmp = &c->lk->scratch;

	if (span_attr(c, s, "db.system", tmp, &p, &n) ||
	    span_attr(c, s, "db.name", tmp, &p, &n))
		kind = NK_DATABASE;
	if (s->r->target.p != NULL && s->r->target.n > 0)
		return node_of(c, &s->r->target, kind);
	for (i = 0; i < c->o->npeer; i++)
		if (span_attr(c, s, c->o->peer_attrs[i], tmp, &p, &n))
			return graph_node(c->g, p, n, kind);
	return NULL;
}

/* The otel policy (the service-graph connector's rules). */
static void
link_otel(struct ctx *c)
{
	struct lspan	*s, *p;
	struct node	*dst, *user;
	size_t		 i;

	for (i = 0; i < c->n; i++) {
		s = &c->ls[i];
		if (s->dup || (s->kind != SK_SERVER && s->kind != SK_CONSUMER))
			continue;
		if (s->svc == NULL) {
			c->st->no_service++;
			continue;
		}
		if (s->parent == ROOT) {
			if (c->o->user) {
				user = graph_node(c->g, "user", 4, NK_USER);
				add_call(c, user, s->svc, s->failed, s, s, s);
			}
			continue;
		}
		p = s->parent >= 0 ? &c->ls[s->parent] : NULL;
		if (p == NULL || (p->kind != SK_CLIENT &&
		    p->kind != SK_PRODUCER) || p->svc == NULL) {
			c->st->unpaired_server++;
			if (s->parent == MISSING)
				c->st->parent_missing++;
			continue;
		}
		if (p->paired) {
			c->st->extra_server++;
			continue;
		}
		p->paired = true;
		add_call(c, p->svc, s->svc, p->failed || s->failed,
		    p->timed ? p : s, p->r->has_start ? p : s, p);
	}
	for (i = 0; i < c->n; i++) {
		s = &c->ls[i];
		if (s->dup || s->paired || (s->kind != SK_CLIENT &&
		    s->kind != SK_PRODUCER))
			continue;
		if (s->svc == NULL || (dst = virtual_callee(c, s)) == NULL) {
			c->st->unpaired_client++;
			continue;
		}
		add_call(c, s->svc, dst, s->failed, s, s, s);
	}
}

/* Zipkin's firstRemoteAncestor: the nearest ancestor with a kind. */
static const struct lspan *
remote_ancestor(const struct ctx *c, const struct lspan *s)
{
	size_t	 steps;

	for (steps = 0; s->parent >= 0 && steps < c->n; steps++) {
		s = &c->ls[s->parent];
		if (s->kind != SK_NONE)
			return s;
	}
	return NULL;
}

/*
 * One end of a Zipkin link: a service, or the span's remote service
 * name, whose node is made only when a link is made.
 */
struct end {
	struct node	*node;
	bool		 remote;
};

static struct node *
end_node(struct ctx *c, const struct lspan *s, struct end e, enum nkind k)
{
	return e.remote ? node_of(c, &s->r->target, k) : e.node;
}

/* The zipkin policy: DependencyLinker.putTrace, span by span. */
static void
link_zipkin(struct ctx *c)
{
	const struct lspan *ra;
	struct lspan	*lat;
	struct lspan	*s;
	struct end	 parent, child, remote, none = { NULL, false };
	enum skind	 kind;
	enum nkind	 rk;
	bool		 err;
	size_t		 i;

	for (i = 0; i < c->n; i++) {
		s = &c->ls[i];
		kind = s->kind;
		if (s->dup || (kind == SK_CLIENT && s->nchildren > 0))
			continue;	/* the server's side is preferred */
		remote.node = NULL;
		remote.remote = s->r->target.p != NULL && s->r->target.n > 0;
		if (kind == SK_NONE) {
			if (s->svc == NULL || !remote.remote)
				continue;	/* a local span */
			kind = SK_CLIENT;
		}
		rk = kind == SK_PRODUCER || kind == SK_CONSUMER ? NK_BROKER :
		    NK_VIRTUAL;
		if (kind == SK_SERVER || kind == SK_CONSUMER) {
			child.node = s->svc;
			child.remote = false;
			parent = remote;
		} else {
			parent.node = s->svc;
			parent.remote = false;
			child = remote;
		}
		err = s->failed;
		if (kind == SK_PRODUCER || kind == SK_CONSUMER) {
			/* messaging links through the broker, when named */
			if ((parent.node != NULL || parent.remote) &&
			    (child.node != NULL || child.remote))
				add_call(c, end_node(c, s, parent, rk),
				    end_node(c, s, child, rk), err, s, s, s);
			else
				c->st->unpaired_client++;
			continue;
		}
		if ((ra = remote_ancestor(c, s)) != NULL && ra->svc != NULL) {
			if (kind == SK_CLIENT && s->svc != NULL &&
			    ra->svc != s->svc) {
				/* a client span whose own server span is
				 * missing: Zipkin backfills the link to it */
				add_call(c, ra->svc, s->svc, false, NULL, s,
				    NULL);
				c->st->backfilled++;
			}
			if (kind == SK_SERVER || (parent.node == NULL &&
			    !parent.remote)) {
				parent = none;
				parent.node = ra->svc;
			}
			if (!err && ra->kind == SK_CLIENT &&
			    s->parent >= 0 && &c->ls[s->parent] == ra)
				err = ra->failed;
		}
		if ((parent.node == NULL && !parent.remote) ||
		    (child.node == NULL && !child.remote)) {
			if (s->parent == MISSING)
				c->st->parent_missing++;
			if (kind == SK_SERVER && s->parent != ROOT)
				c->st->unpaired_server++;
			else if (kind == SK_CLIENT)
				c->st->unpaired_client++;
			continue;
		}
		/* the latency of a call is its client's, when there is one */
		lat = kind == SK_SERVER && s->parent >= 0 &&
		    c->ls[s->parent].kind == SK_CLIENT ? &c->ls[s->parent] : s;
		add_call(c, end_node(c, s, parent, rk), end_node(c, s, child,
		    rk), err, lat, lat, lat);
	}
}

/* The spans of each service, for the service records. */
static void
count_spans(struct ctx *c)
{
	struct linked	*lk = c->lk;
	struct lspan	*s;
	struct nstat	*ns;
	size_t		 i;

	for (i = 0; i < c->n; i++) {
		s = &c->ls[i];
		if (s->dup || s->svc == NULL)
			continue;
		if (s->svc->mark != lk->serial) {
			s->svc->mark = lk->serial;
			s->svc->slot = lk->nnstats;
			xgrow(&lk->nstats, &lk->ncap, lk->nnstats + 1,
			    sizeof(*lk->nstats));
			ns = &lk->nstats[lk->nnstats++];
			memset(ns, 0, sizeof(*ns));
			ns->node = s->svc;
		}
		ns = &lk->nstats[s->svc->slot];
		ns->spans++;
		ns->errors += s->failed;
		if (s->r->has_start && (!ns->seen || s->r->start_ms < ns->first))
			ns->first = s->r->start_ms;
		if (s->r->has_start && (!ns->seen || s->r->start_ms > ns->last))
			ns->last = s->r->start_ms;
		if (s->r->has_end && (!ns->seen || s->r->end_ms > ns->last))
			ns->last = s->r->end_ms;
		ns->seen |= s->r->has_start || s->r->has_end;
	}
}

/* The few services of a trace, so that most spans find theirs without
 * hashing its name. */
struct svc_cache {
	const char	*p;
	size_t		 n;
	struct node	*node;
};
#define SVC_CACHE	8

static struct node *
service_of(struct ctx *c, const struct strview *v, struct svc_cache *cache,
    int *ncache)
{
	struct node	*node;
	int		 i;

	if (v->p == NULL)
		return NULL;
	for (i = 0; i < *ncache; i++)
		if (cache[i].n == v->n && memcmp(cache[i].p, v->p, v->n) == 0)
			return cache[i].node;
	node = node_of(c, v, NK_SERVICE);
	if (node != NULL && *ncache < SVC_CACHE) {
		cache[*ncache].p = v->p;
		cache[*ncache].n = v->n;
		cache[(*ncache)++].node = node;
	}
	return node;
}

void
link_trace(const struct trace_rec *t, const struct jdoc *d,
    const struct link_opts *o, struct graph *g, struct linked *lk,
    struct link_stats *st)
{
	struct ctx	 c = { t, d, o, g, lk, st, NULL, t->nspans };
	struct lspan	*s, *q;
	struct svc_cache cache[SVC_CACHE];
	bool		 kinded = false;
	size_t		 i, k;
	int		 ncache = 0;

	lk->ncalls = lk->nnstats = 0;
	lk->serial++;
	buf_reset(&lk->strings);
	xgrow(&lk->ls, &lk->lscap, c.n + 1, sizeof(*lk->ls));
	xgrow(&lk->order, &lk->ocap, c.n + 1, sizeof(*lk->order));
	c.ls = lk->ls;
	st->spans += c.n;
	for (i = 0; i < c.n; i++) {
		s = &c.ls[i];
		memset(s, 0, sizeof(*s));
		s->r = &t->spans[i];
		s->atok = -2;
		s->kind = kind_of(&s->r->kind);
		if (o->policy == POLICY_ZIPKIN && s->kind == SK_INTERNAL)
			s->kind = SK_NONE;	/* Zipkin has no such kind */
		kinded |= s->kind != SK_NONE;
		s->failed = status_failed(&s->r->status);
		/* a span in progress (no status, and no end after its
		 * start: tracebuild closes it at its start) has no latency */
		s->timed = s->r->status.p != NULL || (s->r->has_start &&
		    s->r->has_end && s->r->end_ms > s->r->start_ms) ||
		    (!s->r->has_end && s->r->has_duration &&
		    s->r->duration_ms > 0);
		if (!s->timed)
			;
		else if (s->r->has_duration)
			s->dur = s->r->duration_ms;
		else if (s->r->has_start && s->r->has_end)
			s->dur = (double)(s->r->end_ms - s->r->start_ms);
		else
			s->timed = false;
		if (s->timed && s->dur < 0) {
			s->dur = 0;
			st->negative++;
		}
		s->svc = service_of(&c, &s->r->service, cache, &ncache);
		lk->order[i] = (int)i;
	}
	/* Index by id; a span given again (same id, shared, service) is a
	 * duplicate: the first one counts. */
	sort_ls = c.ls;
	qsort(lk->order, c.n, sizeof(*lk->order), by_id);
	for (i = 1; i < c.n; i++) {
		s = &c.ls[lk->order[i]];
		if (s->r->span_id.p == NULL)
			continue;
		for (k = i; k-- > 0; ) {
			q = &c.ls[lk->order[k]];
			if (!view_eq(&q->r->span_id, &s->r->span_id))
				break;
			if (!q->dup && q->r->shared == s->r->shared &&
			    q->svc == s->svc) {
				s->dup = true;
				st->dup_spans++;
				break;
			}
		}
	}
	/* an orphan's parent never came: tracebuild keeps it under the
	 * root, but the root is not its caller */
	for (i = 0; i < c.n; i++)
		if (!c.ls[i].dup)
			c.ls[i].parent = c.ls[i].r->orphan ? MISSING :
			    find_parent(&c, (int)i);
	for (i = 0; i < c.n; i++)
		if (!c.ls[i].dup && c.ls[i].parent >= 0)
			c.ls[c.ls[i].parent].nchildren++;
	count_spans(&c);
	if (!kinded)
		link_by_names(&c);
	else if (o->policy == POLICY_OTEL)
		link_otel(&c);
	else
		link_zipkin(&c);
}

void
linked_release(struct linked *lk)
{
	free(lk->calls);
	free(lk->nstats);
	free(lk->ls);
	free(lk->order);
	buf_release(&lk->strings);
	buf_release(&lk->scratch);
	memset(lk, 0, sizeof(*lk));
}
