/*
 * graph.c - the dependency graph's picture: the edges with the most calls
 * and their services, laid out by Graphviz's dot and drawn here as SVG.
 *
 * dot runs as a subprocess (posix_spawnp) and is asked for its layout
 * only, in its "plain" format: where each node and each edge's spline and
 * label go.  The names dot is given are n0, n1, ...; the services' names
 * are given only as labels to size the boxes, with the characters that
 * DOT would read as markup or escapes replaced.  The picture itself is
 * ours: every name in it goes through html_esc(), and its colours and
 * dashes say an edge's health the way the rest of the page does.  Why a
 * subprocess rather than libgvc: see the README (Dependencies).
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "html.h"
#include "lp.h"
#include "map.h"
#include "report.h"
#include "utf8.h"

extern char **environ;

#define MAX_NODES	200
#define MAX_NAME	40	/* bytes of a name drawn in a box */
#define PT		72.0	/* dot's points per inch */
#define PAD		6.0

/* An edge's health, as the edge_health view says it. */
enum health { H_OK, H_WARN, H_FAIL };
static const char *const hname[] = { "ok", "warn", "fail" };
static const char *const hcolour[] = { "#0072B2", "#E69F00", "#D55E00" };
static const char *const hdash[] = { "", " stroke-dasharray=\"7 3\"",
    " stroke-dasharray=\"2 2\"" };

struct gnode {
	const char	*name, *kind;
	double		 x, y, w, h;	/* centre and size, points */
	bool		 placed;
};

struct gedge {
	const struct edge_row *e;
	size_t		 from, to;
	double		*pt;		/* 2 * npt coordinates */
	size_t		 npt;
	bool		 has_label;
	double		 lx, ly;
};

static void
lit(struct buf *b, const char *s)
{
	buf_adds(b, s);
}

static enum health
health(const struct edge_row *e)
{
	double	 rate = e->calls > 0 ? (double)e->errors / (double)e->calls : 0;

	return rate >= 0.10 ? H_FAIL : rate >= 0.01 ? H_WARN : H_OK;
}

/* The label's lines, the same for dot's sizing and for the drawing. */
static void
edge_label(struct buf *b, const struct edge_row *e, int line)
{
	double	 rate = e->calls > 0 ? (double)e->errors / (double)e->calls : 0;

	if (line == 0)
		buf_addf(b, "%llu call%s \xc2\xb7 %.1f%% err", e->calls,
		    e->calls == 1 ? "" : "s", 100 * rate);
	else if (e->has_lat) {
		buf_addf(b, "p95 %s", e->windows > 1 ? "\xe2\x89\xa4 " : "");
		fmt_ms(b, e->p95);
	}
}

/* A name as a DOT label for sizing: valid UTF-8, no quote, backslash or
 * control character, at most MAX_NAME bytes. */
static void
dot_label(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t	 n = strlen(s), i = 0, k;

	while (i < n && i < MAX_NAME) {
		if (p[i] >= 0x80) {
			k = utf8_valid_seq(p + i, n - i);
			if (k > 0 && i + k <= MAX_NAME) {
				buf_add(b, p + i, k);
				i += k;
				continue;
			}
			buf_addc(b, '?');
			i++;
			continue;
		}
		buf_addc(b, p[i] < 0x20 || p[i] == 0x7f || p[i] == '"' ||
		    p[i] == '\\' ? '?' : p[i]);
		i++;
	}
}

/* Run prog -Tplain on the DOT text in, its output into out. */
static bool
run_dot(const char *prog, const struct buf *in, struct buf *out,
    struct buf *err)
{
	posix_spawn_file_actions_t fa;
	char	*argv[] = { (char *)prog, (char *)"-Tplain", NULL };
	char	 chunk[8192];
	int	 to[2], from[2], rc, st;
	pid_t	 pid;
	size_t	 off = 0;
	ssize_t	 k;

	if (pipe(to) != 0 || pipe(from) != 0) {
		buf_addf(err, "cannot make a pipe: %s", strerror(errno));
		return false;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, to[0], 0);
	posix_spawn_file_actions_adddup2(&fa, from[1], 1);
	posix_spawn_file_actions_addclose(&fa, to[0]);
	posix_spawn_file_actions_addclose(&fa, to[1]);
	posix_spawn_file_actions_addclose(&fa, from[0]);
	posix_spawn_file_actions_addclose(&fa, from[1]);
	rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(to[0]);
	close(from[1]);
	if (rc != 0) {
		close(to[1]);
		close(from[0]);
		buf_addf(err, "cannot run '%s': %s", prog, strerror(rc));
		return false;
	}
	/* dot reads the whole graph before it writes: no deadlock */
	while (off < in->len) {
		k = write(to[1], in->p + off, in->len - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		off += (size_t)k;
	}
	close(to[1]);
	for (;;) {
		k = read(from[0], chunk, sizeof(chunk));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		buf_add(out, chunk, (size_t)k);
	}
	close(from[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || off < in->len) {
		buf_addf(err, "'%s' failed (%s %d)", prog, WIFEXITED(st) ?
		    "exit status" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) :
		    WIFSIGNALED(st) ? WTERMSIG(st) : 0);
		return false;
	}
	return true;
}

/* The next token of a plain-format line: a word or a quoted string. */
static bool
token(const char **pp, const char *end, const char **t, size_t *n)
{
	const char	*p = *pp;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end)
		return false;
	if (*p == '"') {
		*t = ++p;
		while (p < end && *p != '"')
			p += (*p == '\\' && p + 1 < end) ? 2 : 1;
		*n = (size_t)(p - *t);
		*pp = p < end ? p + 1 : p;
		return true;
	}
	*t = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	*n = (size_t)(p - *t);
	*pp = p;
	return true;
}

static bool
number(const char **pp, const char *end, double *v)
{
	const char	*t;
	size_t		 n;
	char		 tmp[64];

	if (!token(pp, end, &t, &n) || n == 0 || n >= sizeof(tmp))
		return false;
	memcpy(tmp, t, n);
	tmp[n] = '\0';
	*v = strtod(tmp, NULL);
	return true;
}

/* n17 -> 17 */
static bool
node_no(const char *t, size_t n, size_t max, size_t *i)
{
	size_t	 v = 0, k;

	if (n < 2 || t[0] != 'n')
		return false;
	for (k = 1; k < n; k++) {
		if (t[k] < '0' || t[k] > '9')
			return false;
		v = v * 10 + (size_t)(t[k] - '0');
	}
	*i = v;
	return v < max;
}

/* Read dot's layout; false when it is not what was asked for. */
static bool
parse_plain(const struct buf *out, struct gnode *nodes, size_t nn,
    struct gedge *edges, size_t ne, double *gw, double *gh)
{
	const char	*p = out->p, *end = out->p + out->len, *le, *t;
	size_t		 n, i, j, a, z, k, ei = 0;
	double		 v, npt;
	bool		 graph = false;

	for (; p != NULL && p < end; p = le < end ? le + 1 : end) {
		le = memchr(p, '\n', (size_t)(end - p));
		if (le == NULL)
			le = end;
		if (!token(&p, le, &t, &n))
			continue;
		if (n == 5 && memcmp(t, "graph", 5) == 0) {
			graph = number(&p, le, &v) && number(&p, le, gw) &&
			    number(&p, le, gh);
		} else if (n == 4 && memcmp(t, "node", 4) == 0) {
			if (!token(&p, le, &t, &n) || !node_no(t, n, nn, &i) ||
			    !number(&p, le, &nodes[i].x) ||
			    !number(&p, le, &nodes[i].y) ||
			    !number(&p, le, &nodes[i].w) ||
			    !number(&p, le, &nodes[i].h))
				return false;
			nodes[i].placed = true;
		} else if (n == 4 && memcmp(t, "edge", 4) == 0) {
			if (!token(&p, le, &t, &n) || !node_no(t, n, nn, &a) ||
			    !token(&p, le, &t, &n) || !node_no(t, n, nn, &z) ||
			    !number(&p, le, &npt) || npt < 2 || npt > 10000)
				return false;
			/* the edges come back in the order they were given */
			for (j = ei; j < ne; j++)
				if (edges[j].from == a && edges[j].to == z &&
				    edges[j].pt == NULL)
					break;
			if (j == ne)
				return false;
			edges[j].npt = (size_t)npt;
			edges[j].pt = xcalloc(2 * edges[j].npt, sizeof(double));
			for (k = 0; k < 2 * edges[j].npt; k++)
				if (!number(&p, le, &edges[j].pt[k]))
					return false;
			/* then: label xl yl style color, or style color */
			{
				const char *q = p;
				size_t	 rest = 0;

				while (token(&q, le, &t, &n))
					rest++;
				if (rest == 5 && token(&p, le, &t, &n) &&
				    number(&p, le, &edges[j].lx) &&
				    number(&p, le, &edges[j].ly))
					edges[j].has_label = true;
			}
			if (j == ei)
				ei++;
		}
	}
	for (i = 0; i < nn; i++)
		if (!nodes[i].placed)
			return false;
	for (j = 0; j < ne; j++)
		if (edges[j].pt == NULL)
			return false;
	return graph;
}

/* Points to the picture's coordinates: y grows down. */
#define X(v)	(PAD + (v) * PT)
#define Y(v)	(PAD + (gh - (v)) * PT)

static void
draw_edge(struct buf *b, const struct gedge *g, const struct gnode *nodes,
    double gh, unsigned long long maxcalls)
{
	const struct edge_row *e = g->e;
	enum health	 hl = health(e);
	double		 w, rate = e->calls > 0 ? (double)e->errors /
			    (double)e->calls : 0;
	size_t		 k;
	struct buf	 l = BUF_INIT;

	w = 1.2 + 3.0 * log10(1 + (double)e->calls) /
	    log10(1 + (double)(maxcalls ? maxcalls : 1));
	buf_addf(b, "<g class=\"edge h-%s\" data-source=\"", hname[hl]);
	html_cstr(b, e->source);
	lit(b, "\" data-target=\"");
	html_cstr(b, e->target);
	buf_addf(b, "\" data-calls=\"%llu\" data-errors=\"%llu\"><title>",
	    e->calls, e->errors);
	html_cstr(b, e->source);
	lit(b, " \xe2\x86\x92 ");
	html_cstr(b, e->target);
	buf_addf(b, ": %llu calls, %llu errors (%.1f%%)", e->calls, e->errors,
	    100 * rate);
	if (e->has_lat) {
		lit(b, ", p95 ");
		fmt_ms(b, e->p95);
	}
	buf_addf(b, "</title><path fill=\"none\" stroke=\"%s\" "
	    "stroke-width=\"%.2f\"%s marker-end=\"url(#arr-%s)\" d=\"M%.1f,%.1f",
	    hcolour[hl], w, hdash[hl], hname[hl], X(g->pt[0]), Y(g->pt[1]));
	if ((g->npt - 1) % 3 == 0)
		for (k = 1; k + 2 < g->npt; k += 3)
			buf_addf(b, " C%.1f,%.1f %.1f,%.1f %.1f,%.1f",
			    X(g->pt[2 * k]), Y(g->pt[2 * k + 1]),
			    X(g->pt[2 * k + 2]), Y(g->pt[2 * k + 3]),
			    X(g->pt[2 * k + 4]), Y(g->pt[2 * k + 5]));
	else
		for (k = 1; k < g->npt; k++)
			buf_addf(b, " L%.1f,%.1f", X(g->pt[2 * k]),
			    Y(g->pt[2 * k + 1]));
	lit(b, "\"/>");
	if (g->has_label)
		for (k = 0; k < 2; k++) {
			buf_reset(&l);
			edge_label(&l, e, (int)k);
			if (l.len == 0)
				continue;
			buf_addf(b, "<text class=\"elabel\" x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\" font-size=\"10\" "
			    "fill=\"#1a1a1a\" stroke=\"#fff\" stroke-width=\"3\" "
			    "paint-order=\"stroke\">", X(g->lx),
			    Y(g->ly) + (k == 0 ? -2.0 : 10.0));
			html_esc(b, l.p, l.len);
			lit(b, "</text>");
		}
	lit(b, "</g>\n");
	buf_release(&l);
	(void)nodes;
}

static void
draw_node(struct buf *b, const struct gnode *n, double gh)
{
	double	 x = X(n->x - n->w / 2), y = Y(n->y + n->h / 2);
	double	 w = n->w * PT, h = n->h * PT, e = 4;
	const char *k = n->kind ? n->kind : "service";
	bool	 dashed = strcmp(k, "virtual") == 0 || strcmp(k, "user") == 0;

	lit(b, "<g class=\"node\" data-name=\"");
	html_cstr(b, n->name);
	lit(b, "\" data-kind=\"");
	html_cstr(b, k);
	lit(b, "\"><title>");
	html_cstr(b, n->name);
	if (strcmp(k, "service") != 0) {
		lit(b, " (");
		html_cstr(b, k);
		lit(b, ")");
	}
	lit(b, "</title>");
	if (strcmp(k, "database") == 0)
		buf_addf(b, "<path fill=\"#eef5fb\" stroke=\"#1a1a1a\" d=\"M%.1f,"
		    "%.1f a%.1f,%.1f 0 0 1 %.1f,0 v%.1f a%.1f,%.1f 0 0 1 %.1f,0 "
		    "z M%.1f,%.1f a%.1f,%.1f 0 0 0 %.1f,0\"/>", x, y + e, w / 2,
		    e, w, h - 2 * e, w / 2, e, -w, x, y + e, w / 2, e, w);
	else if (strcmp(k, "user") == 0)
		buf_addf(b, "<ellipse cx=\"%.1f\" cy=\"%.1f\" rx=\"%.1f\" "
		    "ry=\"%.1f\" fill=\"#fff\" stroke=\"#1a1a1a\" "
		    "stroke-dasharray=\"4 3\"/>", x + w / 2, y + h / 2, w / 2,
		    h / 2);
	else
		buf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" rx=\"%d\" fill=\"%s\" stroke=\"#1a1a1a\"%s/>",
		    x, y, w, h, strcmp(k, "broker") == 0 ? 0 : 6,
		    strcmp(k, "broker") == 0 ? "#f6f0e0" : "#fff",
		    dashed ? " stroke-dasharray=\"4 3\"" : "");
	buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
	    "dominant-baseline=\"central\" font-size=\"12\">", X(n->x),
	    Y(n->y) + (strcmp(k, "database") == 0 ? e / 2 : 0));
	html_esc_max(b, n->name, strlen(n->name), MAX_NAME);
	lit(b, "</text></g>\n");
}

static int
edge_cmp(const void *a, const void *b)
{
	const struct edge_row *x = a, *y = b;
	int	 c;

	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	if ((c = strcmp(x->source, y->source)) != 0)
		return c;
	return strcmp(x->target, y->target);
}

void
report_edges_sort(struct report *r)
{
	if (r->nedges > 1)
		qsort(r->edges, r->nedges, sizeof(*r->edges), edge_cmp);
}

static size_t
node_of(struct map *idx, struct gnode *nodes, size_t *nn, const char *name,
    const struct report *r)
{
	void	*v = map_get(idx, name, strlen(name));
	size_t	 i;

	if (v != NULL)
		return (size_t)v - 1;
	nodes[*nn].name = name;
	for (i = 0; i < r->nnodes; i++)
		if (strcmp(r->nodes[i].name, name) == 0)
			nodes[*nn].kind = r->nodes[i].kind;
	*map_put(idx, name, strlen(name)) = (void *)(*nn + 1);
	return (*nn)++;
}

void
graph_layout(struct report *r)
{
	struct map	 idx = MAP_INIT;
	struct gnode	*nodes;
	struct gedge	*edges;
	struct buf	 dot = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	struct buf	 svg = BUF_INIT;
	size_t		 ne, nn = 0, i, h;
	double		 gw = 0, gh = 0;
	unsigned long long maxcalls = 0;

	ne = r->nedges < (size_t)r->opts.nedges ? r->nedges :
	    (size_t)r->opts.nedges;
	if (ne == 0)
		return;
	if (r->opts.dot == NULL) {
		r->graph_note = "no layout program (-D none)";
		return;
	}
	nodes = xcalloc(2 * ne + MAX_NODES, sizeof(*nodes));
	edges = xcalloc(ne, sizeof(*edges));
	for (i = 0; i < ne; i++) {
		edges[i].e = &r->edges[i];
		edges[i].from = node_of(&idx, nodes, &nn, r->edges[i].source, r);
		edges[i].to = node_of(&idx, nodes, &nn, r->edges[i].target, r);
		if (r->edges[i].calls > maxcalls)
			maxcalls = r->edges[i].calls;
	}
	/* services of no edge drawn, while there is room */
	for (i = 0; i < r->nnodes && nn < MAX_NODES; i++)
		(void)node_of(&idx, nodes, &nn, r->nodes[i].name, r);

	buf_addlit(&dot, "digraph logreport {\ngraph [rankdir=LR, nodesep=0.3, "
	    "ranksep=0.8];\nnode [shape=box, fontname=\"Helvetica\", "
	    "fontsize=12, height=0.4, margin=\"0.16,0.06\"];\n"
	    "edge [fontname=\"Helvetica\", fontsize=10];\n");
	for (i = 0; i < nn; i++) {
		buf_addf(&dot, "n%zu [label=\"", i);
		dot_label(&dot, nodes[i].name);
		buf_addlit(&dot, "\"];\n");
	}
	for (i = 0; i < ne; i++) {
		buf_addf(&dot, "n%zu -> n%zu [label=\"", edges[i].from,
		    edges[i].to);
		edge_label(&dot, edges[i].e, 0);
		if (edges[i].e->has_lat) {
			buf_addlit(&dot, "\\n");
			edge_label(&dot, edges[i].e, 1);
		}
		buf_addlit(&dot, "\"];\n");
	}
	buf_addlit(&dot, "}\n");

	if (!run_dot(r->opts.dot, &dot, &out, &err) ||
	    !parse_plain(&out, nodes, nn, edges, ne, &gw, &gh)) {
		if (err.len == 0)
			buf_addf(&err, "'%s' gave no layout logreport can read",
			    r->opts.dot);
		lp_warnx("the graph is not drawn: %s", err.p);
		r->graph_note = report_str(r, err.p, err.len);
		goto out;
	}
	buf_addf(&svg, "<svg id=\"graph-svg\" viewBox=\"0 0 %.0f %.0f\" "
	    "role=\"img\" aria-label=\"service dependency graph\" "
	    "style=\"max-width:%.0fpx\">", gw * PT + 2 * PAD,
	    gh * PT + 2 * PAD, gw * PT * 1.5 + 2 * PAD);
	lit(&svg, "<defs>");
	for (h = 0; h < 3; h++)
		buf_addf(&svg, "<marker id=\"arr-%s\" viewBox=\"0 0 10 7\" "
		    "refX=\"1\" refY=\"3.5\" markerWidth=\"10\" markerHeight=\"7\" "
		    "markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path "
		    "d=\"M0,0 L10,3.5 L0,7 z\" fill=\"%s\"/></marker>",
		    hname[h], hcolour[h]);
	lit(&svg, "</defs>\n");
	for (i = 0; i < ne; i++)
		draw_edge(&svg, &edges[i], nodes, gh, maxcalls);
	for (i = 0; i < nn; i++)
		draw_node(&svg, &nodes[i], gh);
	lit(&svg, "</svg>");
	r->graph_svg = buf_detach(&svg, NULL);
out:
	for (i = 0; i < ne; i++)
		free(edges[i].pt);
	free(edges);
	free(nodes);
	map_release(&idx);
	buf_release(&dot);
	buf_release(&out);
	buf_release(&err);
	buf_release(&svg);
}
