/*
 * format.c - a finished graph as Graphviz DOT, or as Cypher for Neo4j.
 *
 * DOT: one digraph; services are nodes shaped by kind (databases as
 * cylinders, brokers as cds, virtual and user nodes dashed), each cycle a
 * red dashed cluster; an edge's label gives calls, p95 and error rate,
 * its width grows with the log of its calls and its colour goes from
 * grey (no errors) through orange to red (10% errors or more).  With a
 * baseline, new edges are blue and bold, vanished ones dashed grey, and
 * a worse p95 or error rate is said in the label.  Names are escaped for
 * DOT's quoted strings; bytes that are not UTF-8 become U+FFFD, so that
 * dot(1) reads the output without a warning.
 *
 * Cypher: the seed's graph model, (:Service {name})-[:CALLS {calls,
 * errors, total_duration, avg_duration, p95}]->(:Service) and
 * (:Service)-[:INVOKES {calls}]->(:Method {name, type}); one statement a
 * line, each a MERGE, so that loading the output twice changes nothing
 * and a later run's counts replace the earlier ones.  Durations in
 * milliseconds.  Strings are Cypher string literals, escaped.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "depgraph.h"
#include "jw.h"
#include "out.h"
#include "utf8.h"

/*
 * Append s[0..n) for a quoted string: quote and backslash escaped with a
 * backslash, a newline as \n, other control bytes as a space (DOT) or as
 * \uXXXX (Cypher), invalid UTF-8 as U+FFFD.
 */
static void
quoted(struct buf *b, const char *s, size_t n, bool cypher)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		 i, k;

	for (i = 0; i < n; i++) {
		if (p[i] >= 0x80) {
			if ((k = utf8_valid_seq(p + i, n - i)) == 0) {
				buf_addlit(b, "\xef\xbf\xbd");
				continue;
			}
			buf_add(b, p + i, k);
			i += k - 1;
		} else if (p[i] == '\\' || p[i] == '"' ||
		    (cypher && p[i] == '\'')) {
			buf_addc(b, '\\');
			buf_addc(b, p[i]);
		} else if (p[i] == '\n')
			buf_addlit(b, "\\n");
		else if (p[i] < 0x20 || p[i] == 0x7f) {
			if (cypher)
				buf_addf(b, "\\u%04x", p[i]);
			else
				buf_addc(b, ' ');
		} else
			buf_addc(b, p[i]);
	}
}

/*
 * Nodes are named n<index> (the baseline's vanished ones v<index>), so
 * that names that differ only in bytes a label cannot show stay apart;
 * the service's name is the label.
 */
static void
dot_id(struct buf *b, const struct node *n, bool vanished)
{
	buf_addf(b, "%c%d", vanished ? 'v' : 'n', n->index);
}

static const char *const dot_shape[NK_COUNT] = {
	[NK_UNKNOWN] = "shape=box, style=\"rounded,filled\", fillcolor=\"#e8eef7\"",
	[NK_SERVICE] = "shape=box, style=\"rounded,filled\", fillcolor=\"#e8eef7\"",
	[NK_DATABASE] = "shape=cylinder, style=filled, fillcolor=\"#fff3d6\"",
	[NK_BROKER] = "shape=cds, style=filled, fillcolor=\"#e7f4e4\"",
	[NK_VIRTUAL] = "shape=box, style=\"rounded,dashed\"",
	[NK_USER] = "shape=ellipse, style=dashed",
};

static void
dot_node(struct buf *b, const struct node *n, const char *indent,
    bool vanished)
{
	buf_adds(b, indent);
	dot_id(b, n, vanished);
	buf_addlit(b, " [");
	buf_adds(b, vanished ? "shape=box, style=\"rounded,dashed\", "
	    "color=gray60, fontcolor=gray60" : dot_shape[n->kind]);
	buf_addlit(b, ", label=\"");
	quoted(b, n->name, n->len, false);
	if (vanished)
		buf_addlit(b, "\\n(vanished)");
	else if (n->kind != NK_SERVICE && n->kind != NK_UNKNOWN &&
	    n->kind != NK_USER)
		buf_addf(b, "\\n(%s)", nkind_name[n->kind]);
	else if (n->spans > 0)
		buf_addf(b, "\\n%llu span%s", (unsigned long long)n->spans,
		    n->spans == 1 ? "" : "s");
	buf_addlit(b, "\"];\n");
}

/* The id of the baseline's node b: its node in g if any, else vanished. */
static void
dot_end(struct buf *b, const struct graph *g, const struct node *bn)
{
	const struct node *n = map_get(&g->nodes, bn->name, bn->len);

	if (n != NULL && n->index >= 0)
		dot_id(b, n, false);
	else
		dot_id(b, bn, true);
}

/* An edge's colour: grey without errors, then orange to red at 10%. */
static void
dot_color(struct buf *b, const struct edge *e)
{
	double	 r = e->calls > 0 ? (double)e->errors / (double)e->calls : 0;

	if (e->errors == 0)
		buf_addlit(b, "\"#555555\"");
	else
		buf_addf(b, "\"%.3f 0.850 0.800\"", 0.12 * (1 - fmin(1,
		    r / 0.1)));
}

void
emit_dot(const struct graph *g, const struct compare *cmp)
{
	struct buf	*b = &out_buf;
	const struct edge *e, *base;
	const struct node *n, *key[2];
	uint64_t	 maxcalls = 1;
	bool		 p95, err;
	size_t		 i;
	int		 c, k;

	buf_addlit(b, "digraph depgraph {\n"
	    "\tgraph [rankdir=LR, fontname=\"Helvetica\", fontsize=11];\n"
	    "\tnode [fontname=\"Helvetica\", fontsize=11];\n"
	    "\tedge [fontname=\"Helvetica\", fontsize=9];\n");
	for (c = 0; c < (int)g->ncycles; c++) {
		buf_addf(b, "\tsubgraph cluster_cycle%d {\n\t\tlabel=\"cycle "
		    "%d\"; style=dashed; color=\"#c62828\"; "
		    "fontcolor=\"#c62828\";\n", c + 1, c + 1);
		for (k = 0; k < g->cycles[c].n; k++)
			dot_node(b, g->nv[g->cyc_nodes[g->cycles[c].first + k]],
			    "\t\t", false);
		buf_addlit(b, "\t}\n");
	}
	for (i = 0; i < g->nn; i++)
		if (g->nv[i]->cycle < 0)
			dot_node(b, g->nv[i], "\t", false);
	for (i = 0; cmp->base != NULL && i < cmp->base->nn; i++) {
		n = map_get(&g->nodes, cmp->base->nv[i]->name,
		    cmp->base->nv[i]->len);
		if (n == NULL || n->index < 0)
			dot_node(b, cmp->base->nv[i], "\t", true);
	}
	for (i = 0; i < g->ne; i++)
		if (g->ev[i]->calls > maxcalls)
			maxcalls = g->ev[i]->calls;
	for (i = 0; i < g->ne; i++) {
		e = g->ev[i];
		base = compare_edge(cmp, e);
		buf_addc(b, '\t');
		dot_id(b, e->key[0], false);
		buf_addlit(b, " -> ");
		dot_id(b, e->key[1], false);
		buf_addlit(b, " [label=\"");
		if (cmp->base != NULL && base == NULL)
			buf_addlit(b, "new\\n");
		buf_addf(b, "%llu call%s", (unsigned long long)e->calls,
		    e->calls == 1 ? "" : "s");
		if (e->latency.count > 0)
			buf_addf(b, "\\np95 %.1f ms",
			    sketch_quantile(&e->latency, 0.95));
		if (e->errors > 0)
			buf_addf(b, "\\n%.1f%% errors", 100.0 *
			    (double)e->errors / (double)e->calls);
		if (base != NULL && compare_worse(cmp, e, base, &p95, &err)) {
			if (p95)
				buf_addf(b, "\\np95 was %.1f ms",
				    sketch_quantile(&base->latency, 0.95));
			if (err)
				buf_addf(b, "\\nerrors were %.1f%%", 100.0 *
				    (double)base->errors / (double)base->calls);
		}
		buf_addf(b, "\", penwidth=%.2f, color=", 1 + 4 *
		    log1p((double)e->calls) / log1p((double)maxcalls));
		dot_color(b, e);
		if (cmp->base != NULL && base == NULL)
			buf_addlit(b, ", fontcolor=\"#1565c0\", style=bold");
		else if (e->in_cycle)
			buf_addlit(b, ", style=bold");
		buf_addlit(b, "];\n");
		out_commit();
	}
	for (i = 0; cmp->base != NULL && i < cmp->base->ne; i++) {
		e = NULL;
		if ((key[0] = map_get(&g->nodes, cmp->base->ev[i]->key[0]->name,
		    cmp->base->ev[i]->key[0]->len)) != NULL &&
		    (key[1] = map_get(&g->nodes, cmp->base->ev[i]->key[1]->name,
		    cmp->base->ev[i]->key[1]->len)) != NULL)
			e = map_get(&g->edges, key, sizeof(key));
		if (e != NULL && e->calls > 0)
			continue;
		buf_addc(b, '\t');
		dot_end(b, g, cmp->base->ev[i]->key[0]);
		buf_addlit(b, " -> ");
		dot_end(b, g, cmp->base->ev[i]->key[1]);
		buf_addlit(b, " [label=\"vanished\", style=dashed, "
		    "color=gray60, fontcolor=gray60];\n");
	}
	buf_addlit(b, "}\n");
	out_commit();
}

static void
cy_str(struct buf *b, const char *s, size_t n)
{
	buf_addc(b, '\'');
	quoted(b, s, n, true);
	buf_addc(b, '\'');
}

static void
cy_service(struct buf *b, const char *var, const struct node *n)
{
	buf_addf(b, "MERGE (%s:Service {name: ", var);
	cy_str(b, n->name, n->len);
	buf_addlit(b, "})");
}

/* A number for SET: null removes the property. */
static void
cy_num(struct buf *b, double x)
{
	if (isnan(x))
		jw_null(b);
	else
		jw_num(b, round(x * 1000) / 1000);
}

void
emit_cypher(const struct graph *g)
{
	struct buf	*b = &out_buf;
	const struct edge *e;
	const struct method *m, *m2;
	size_t		 i, j, k, first;
	uint64_t	 calls;
	bool		 earlier;

	buf_addlit(b, "// depgraph: the service dependency graph for Neo4j; "
	    "durations in ms\n");
	for (i = 0; i < g->nn; i++) {
		cy_service(b, "s", g->nv[i]);
		buf_addf(b, " SET s.kind = '%s', s.spans = %llu, "
		    "s.errors = %llu;\n", nkind_name[g->nv[i]->kind],
		    (unsigned long long)g->nv[i]->spans,
		    (unsigned long long)g->nv[i]->errors);
		out_commit();
	}
	for (i = 0; i < g->ne; i++) {
		e = g->ev[i];
		cy_service(b, "a", e->key[0]);
		buf_addc(b, ' ');
		cy_service(b, "b", e->key[1]);
		buf_addf(b, " MERGE (a)-[r:CALLS]->(b) SET r.calls = %llu, "
		    "r.errors = %llu, r.total_duration = ",
		    (unsigned long long)e->calls, (unsigned long long)e->errors);
		cy_num(b, e->latency.sum);
		buf_addlit(b, ", r.avg_duration = ");
		cy_num(b, e->latency.count > 0 ? e->latency.sum /
		    (double)e->latency.count : NAN);
		buf_addlit(b, ", r.p95 = ");
		cy_num(b, sketch_quantile(&e->latency, 0.95));
		buf_addlit(b, ";\n");
		out_commit();
	}
	/* INVOKES: the methods a service's calls invoked, over its edges
	 * (which are sorted by source: each source's are together) */
	for (first = 0; first < g->ne; first = i) {
		for (i = first; i < g->ne &&
		    g->ev[i]->key[0] == g->ev[first]->key[0]; i++)
			;
		for (j = first; j < i; j++)
			for (k = 0; k < g->ev[j]->nmethods; k++) {
				m = &g->ev[j]->methods[k];
				if (m->calls == 0)
					continue;
				/* the first of its kind sums them all */
				earlier = false;
				calls = 0;
				for (size_t j2 = first; j2 < i; j2++)
					for (size_t k2 = 0;
					    k2 < g->ev[j2]->nmethods; k2++) {
						m2 = &g->ev[j2]->methods[k2];
						if (strcmp(m2->name, m->name) ||
						    strcmp(m2->type ? m2->type :
						    "", m->type ? m->type : ""))
							continue;
						if (j2 < j || (j2 == j &&
						    k2 < k))
							earlier |= m2->calls > 0;
						calls += m2->calls;
					}
				if (earlier)
					continue;
				cy_service(b, "a", g->ev[first]->key[0]);
				buf_addlit(b, " MERGE (m:Method {name: ");
				cy_str(b, m->name, strlen(m->name));
				buf_addlit(b, ", type: ");
				cy_str(b, m->type ? m->type : "", m->type ?
				    strlen(m->type) : 0);
				buf_addf(b, "}) MERGE (a)-[r:INVOKES]->(m) SET "
				    "r.calls = %llu;\n",
				    (unsigned long long)calls);
				out_commit();
			}
	}
}
