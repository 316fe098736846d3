/*
 * emit.c - a finished graph as edge, service and cycle records
 * (logproc(7)), and its comparison with a baseline graph.
 *
 * A graph's records come in this order: its edges by source then target
 * name, then the edges of the baseline that vanished; its services by
 * name, then the vanished ones; its cycles by their first service.  Every
 * record of a window carries the window.  Latencies are in milliseconds,
 * rounded to the microsecond; error rates to four decimals.
 */
#include <math.h>
#include <string.h>

#include "depgraph.h"
#include "jw.h"
#include "out.h"
#include "ts.h"

static double
r3(double x)
{
	return round(x * 1000) / 1000;
}

static void
jw_time(struct buf *b, bool has, int64_t t)
{
	char	 s[TS_LEN + 1];

	if (!has) {
		jw_null(b);
		return;
	}
	ts_format(t, s);
	buf_addc(b, '"');
	buf_add(b, s, TS_LEN);
	buf_addc(b, '"');
}

static void
window_member(struct buf *b, const struct graph *g)
{
	buf_addlit(b, ",\"window\":");
	if (!g->windowed) {
		jw_null(b);
		return;
	}
	buf_addlit(b, "{\"start\":");
	jw_time(b, true, g->start);
	buf_addlit(b, ",\"end\":");
	jw_time(b, true, g->end);
	buf_addc(b, '}');
}

/* A number rounded to the microsecond, or null for NaN. */
static void
jw_ms(struct buf *b, double x)
{
	jw_num(b, isnan(x) ? x : r3(x));
}

static void
jw_rate(struct buf *b, uint64_t errors, uint64_t calls)
{
	if (calls == 0)
		jw_null(b);
	else
		jw_num(b, round((double)errors / (double)calls * 10000) / 10000);
}

const struct node *
compare_node(const struct compare *cmp, const struct node *n)
{
	const struct node *b;

	if (cmp == NULL || cmp->base == NULL)
		return NULL;
	b = map_get(&cmp->base->nodes, n->name, n->len);
	return b != NULL && b->index >= 0 ? b : NULL;
}

const struct edge *
compare_edge(const struct compare *cmp, const struct edge *e)
{
	const struct node *key[2];
	const struct edge *b;

	if ((key[0] = compare_node(cmp, e->key[0])) == NULL ||
	    (key[1] = compare_node(cmp, e->key[1])) == NULL)
		return NULL;
	b = map_get(&cmp->base->edges, key, sizeof(key));
	return b != NULL && b->calls > 0 ? b : NULL;
}

bool
compare_worse(const struct compare *cmp, const struct edge *e,
    const struct edge *b, bool *p95, bool *err)
{
	*p95 = e->latency.count > 0 && b->latency.count > 0 &&
	    sketch_quantile(&e->latency, 0.95) >
	    sketch_quantile(&b->latency, 0.95) * (1 + cmp->p95);
	*err = e->calls > 0 && b->calls > 0 &&
	    (double)e->errors / (double)e->calls >
	    (double)b->errors / (double)b->calls + cmp->errors;
	return *p95 || *err;
}

/*
 * An edge record: the edge e of g (NULL for a vanished one, named by the
 * baseline's edge b), compared with b when there is a baseline.
 */
static void
write_edge(const struct graph *g, const struct edge *e, const struct edge *b,
    const struct compare *cmp)
{
	static const struct sketch empty = SKETCH_INIT;
	struct buf	*o = &out_buf;
	const struct edge *n = e != NULL ? e : b;
	const struct sketch *l = e != NULL ? &e->latency : &empty;
	bool		 p95, err, first = true;
	size_t		 i;

	buf_addlit(o, "{\"type\":\"edge\",\"source\":");
	jw_str(o, n->key[0]->name, n->key[0]->len);
	buf_addlit(o, ",\"target\":");
	jw_str(o, n->key[1]->name, n->key[1]->len);
	window_member(o, g);
	buf_addlit(o, ",\"calls\":");
	jw_int(o, e != NULL ? (int64_t)e->calls : 0);
	buf_addlit(o, ",\"errors\":");
	jw_int(o, e != NULL ? (int64_t)e->errors : 0);
	buf_addlit(o, ",\"error_rate\":");
	jw_rate(o, e != NULL ? e->errors : 0, e != NULL ? e->calls : 0);
	buf_addlit(o, ",\"latency\":{\"avg\":");
	jw_ms(o, l->count > 0 ? l->sum / (double)l->count : NAN);
	buf_addlit(o, ",\"p50\":");
	jw_ms(o, sketch_quantile(l, 0.50));
	buf_addlit(o, ",\"p95\":");
	jw_ms(o, sketch_quantile(l, 0.95));
	buf_addlit(o, ",\"p99\":");
	jw_ms(o, sketch_quantile(l, 0.99));
	buf_addlit(o, ",\"max\":");
	jw_ms(o, l->count > 0 ? l->max : NAN);
	buf_addlit(o, "},\"first_seen\":");
	jw_time(o, e != NULL && e->seen, e != NULL ? e->first : 0);
	buf_addlit(o, ",\"last_seen\":");
	jw_time(o, e != NULL && e->seen, e != NULL ? e->last : 0);
	buf_addlit(o, ",\"methods\":[");
	for (i = 0; e != NULL && i < e->nmethods; i++) {
		if (e->methods[i].calls == 0)
			continue;
		if (!first)
			buf_addc(o, ',');
		first = false;
		buf_addlit(o, "{\"name\":");
		jw_cstr(o, e->methods[i].name);
		buf_addlit(o, ",\"type\":");
		jw_cstr(o, e->methods[i].type);
		buf_addlit(o, ",\"calls\":");
		jw_int(o, (int64_t)e->methods[i].calls);
		buf_addc(o, '}');
	}
	buf_addlit(o, "],\"sketch\":");
	sketch_write(l, o);
	if (cmp->base != NULL) {
		buf_addlit(o, ",\"change\":");
		if (e == NULL)
			buf_addlit(o, "\"vanished\"");
		else if (b == NULL)
			buf_addlit(o, "\"new\"");
		else if (compare_worse(cmp, e, b, &p95, &err))
			buf_addlit(o, "\"worse\"");
		else
			buf_addlit(o, "\"same\"");
		buf_addlit(o, ",\"baseline\":");
		if (b == NULL)
			jw_null(o);
		else {
			buf_addlit(o, "{\"calls\":");
			jw_int(o, (int64_t)b->calls);
			buf_addlit(o, ",\"errors\":");
			jw_int(o, (int64_t)b->errors);
			buf_addlit(o, ",\"error_rate\":");
			jw_rate(o, b->errors, b->calls);
			buf_addlit(o, ",\"p95\":");
			jw_ms(o, sketch_quantile(&b->latency, 0.95));
			buf_addc(o, '}');
		}
	}
	buf_addlit(o, "}\n");
	out_commit();
}

/*
 * A service record: node n of g, or a vanished one named by the
 * baseline's b; m is the one that names it.
 */
static void
write_service(const struct graph *g, const struct node *m,
    const struct node *n, const struct node *b, const struct compare *cmp)
{
	static const struct node none;	/* a vanished service's counts */
	const struct node *c = n != NULL ? n : &none;
	struct buf	*o = &out_buf;

	buf_addlit(o, "{\"type\":\"service\",\"name\":");
	jw_str(o, m->name, m->len);
	buf_addlit(o, ",\"kind\":\"");
	buf_adds(o, nkind_name[m->kind]);
	buf_addc(o, '"');
	window_member(o, g);
	buf_addlit(o, ",\"spans\":");
	jw_int(o, (int64_t)c->spans);
	buf_addlit(o, ",\"errors\":");
	jw_int(o, (int64_t)c->errors);
	buf_addlit(o, ",\"calls_in\":");
	jw_int(o, (int64_t)c->calls_in);
	buf_addlit(o, ",\"errors_in\":");
	jw_int(o, (int64_t)c->errors_in);
	buf_addlit(o, ",\"calls_out\":");
	jw_int(o, (int64_t)c->calls_out);
	buf_addlit(o, ",\"errors_out\":");
	jw_int(o, (int64_t)c->errors_out);
	buf_addlit(o, ",\"first_seen\":");
	jw_time(o, c->seen, c->first);
	buf_addlit(o, ",\"last_seen\":");
	jw_time(o, c->seen, c->last);
	if (cmp->base != NULL) {
		buf_addlit(o, ",\"change\":");
		if (n == NULL)
			buf_addlit(o, "\"vanished\"");
		else if (b == NULL)
			buf_addlit(o, "\"new\"");
		else
			buf_addlit(o, "\"same\"");
	}
	buf_addlit(o, "}\n");
	out_commit();
}

/* The node of g named like the baseline's node b, if in use. */
static const struct node *
current_node(const struct graph *g, const struct node *b)
{
	const struct node *n = map_get(&g->nodes, b->name, b->len);

	return n != NULL && n->index >= 0 ? n : NULL;
}

void
emit_records(const struct graph *g, const struct compare *cmp)
{
	const struct graph *base = cmp->base;
	const struct node *key[2];
	const struct edge *e;
	struct buf	*o = &out_buf;
	size_t		 i;
	int		 k;

	for (i = 0; i < g->ne; i++)
		write_edge(g, g->ev[i], compare_edge(cmp, g->ev[i]), cmp);
	for (i = 0; base != NULL && i < base->ne; i++) {
		e = NULL;
		if ((key[0] = current_node(g, base->ev[i]->key[0])) != NULL &&
		    (key[1] = current_node(g, base->ev[i]->key[1])) != NULL)
			e = map_get(&g->edges, key, sizeof(key));
		if (e == NULL || e->calls == 0)
			write_edge(g, NULL, base->ev[i], cmp);
	}
	for (i = 0; i < g->nn; i++)
		write_service(g, g->nv[i], g->nv[i], compare_node(cmp,
		    g->nv[i]), cmp);
	for (i = 0; base != NULL && i < base->nn; i++)
		if (current_node(g, base->nv[i]) == NULL)
			write_service(g, base->nv[i], NULL, base->nv[i], cmp);
	for (i = 0; i < g->ncycles; i++) {
		buf_addlit(o, "{\"type\":\"cycle\"");
		window_member(o, g);
		buf_addlit(o, ",\"services\":[");
		for (k = 0; k < g->cycles[i].n; k++) {
			const struct node *n =
			    g->nv[g->cyc_nodes[g->cycles[i].first + k]];
			if (k > 0)
				buf_addc(o, ',');
			jw_str(o, n->name, n->len);
		}
		buf_addlit(o, "],\"edges\":");
		jw_int(o, (int64_t)g->cycles[i].edges);
		buf_addlit(o, ",\"calls\":");
		jw_int(o, (int64_t)g->cycles[i].calls);
		buf_addlit(o, "}\n");
		out_commit();
	}
}
