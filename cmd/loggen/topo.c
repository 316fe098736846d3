/*
 * topo.c - the service topology of the span traces: which service calls
 * which, with what probability, in what order; read from a file (-T) or
 * built in.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loggen.h"
#include "lp.h"

struct topo	 topo;
static size_t	 svccap, edgecap;

const struct route routes[R_COUNT] = {
	{ NULL,		"GET",	NULL },
	{ "gateway",	"GET",	"GET /api/checkout" },
	{ "orders",	"GET",	"GET /api/orders/{id}" },
	{ "inventory",	"GET",	"GET /api/inventory" },
	{ "payments",	"POST",	"POST /api/payments" },
	{ "bank",	"POST",	"POST /api/bank/authorize" },
	{ "reporting",	"GET",	"GET /api/search" },
};

static const char builtin_topology[] =
	"# caller callee [probability]\n"
	"gateway orders\n"
	"orders inventory\n"
	"orders payments\n"
	"payments bank\n"
	"gateway reporting\n";

static int
topo_service(const char *name)
{
	struct svc	*v;
	size_t		 i;

	for (i = 0; i < topo.nsvc; i++)
		if (strcmp(topo.svc[i].name, name) == 0)
			return (int)i;
	xgrow(&topo.svc, &svccap, topo.nsvc + 1, sizeof(*v));
	v = &topo.svc[topo.nsvc];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	return (int)topo.nsvc++;
}

/* One line "caller callee [probability]"; # starts a comment. */
static void
topo_line(char *line, const char *file, size_t lineno)
{
	const char	*tok[4];
	struct edge	*e;
	char		*p, *save, *end;
	double		 prob = 1.0;
	int		 n, i;

	if ((p = strchr(line, '#')) != NULL)
		*p = '\0';
	n = 0;
	for (p = strtok_r(line, " \t\r\n", &save); p != NULL && n < 4;
	    p = strtok_r(NULL, " \t\r\n", &save))
		tok[n++] = p;
	if (n == 0)
		return;
	if (n < 2 || n > 3)
		errx(LP_EXIT_USAGE, "%s:%zu: expected 'caller callee "
		    "[probability]'", file, lineno);
	for (i = 0; i < 2; i++)
		if (strpbrk(tok[i], ",=|\"\\") != NULL)
			errx(LP_EXIT_USAGE, "%s:%zu: invalid service name '%s'",
			    file, lineno, tok[i]);
	if (n == 3) {
		errno = 0;
		prob = strtod(tok[2], &end);
		if (end == tok[2] || *end != '\0' || errno != 0 ||
		    !(prob >= 0.0 && prob <= 1.0))
			errx(LP_EXIT_USAGE, "%s:%zu: invalid probability '%s'",
			    file, lineno, tok[2]);
	}
	xgrow(&topo.edge, &edgecap, topo.nedge + 1, sizeof(*e));
	e = &topo.edge[topo.nedge++];
	e->from = topo_service(tok[0]);
	e->to = topo_service(tok[1]);
	e->p = prob;
}

/* Depth-first from s; a service met again on the path is a cycle. */
static void
topo_acyclic(int s, const char *file)
{
	struct svc	*v = &topo.svc[s];
	size_t		 i;

	if (v->mark == 1)
		errx(LP_EXIT_USAGE, "%s: cycle through '%s'", file, v->name);
	if (v->mark == 2)
		return;
	v->mark = 1;
	for (i = 0; i < v->nedge; i++)
		topo_acyclic(topo.edge[v->edge + i].to, file);
	v->mark = 2;
}

/* The entry service is the first caller that nobody calls. */
void
topo_load(const char *file)
{
	FILE		*fp;
	struct edge	*sorted;
	struct svc	*v;
	struct buf	 name = BUF_INIT;
	char		*line = NULL;
	size_t		 cap = 0, lineno = 0, i, j, k;
	int		 r;

	if (file == NULL) {
		file = "built-in topology";
		if ((fp = fmemopen((void *)builtin_topology,
		    sizeof(builtin_topology) - 1, "r")) == NULL)
			err(LP_EXIT_FAIL, "fmemopen");
	} else if ((fp = fopen(file, "r")) == NULL)
		err(LP_EXIT_USAGE, "%s", file);
	while (getline(&line, &cap, fp) != -1)
		topo_line(line, file, ++lineno);
	if (ferror(fp))
		err(LP_EXIT_USAGE, "%s", file);
	free(line);
	fclose(fp);
	if (topo.nedge == 0)
		errx(LP_EXIT_USAGE, "%s: no calls", file);

	/* Group the calls by caller, in file order within each. */
	sorted = xreallocarray(NULL, topo.nedge, sizeof(*sorted));
	for (i = 0, k = 0; i < topo.nsvc; i++) {
		v = &topo.svc[i];
		v->edge = k;
		for (j = 0; j < topo.nedge; j++)
			if (topo.edge[j].from == (int)i)
				sorted[k++] = topo.edge[j];
		v->nedge = k - v->edge;
	}
	free(topo.edge);
	topo.edge = sorted;
	edgecap = topo.nedge;
	for (i = 0; i < topo.nedge; i++)
		topo.svc[topo.edge[i].to].indeg++;
	topo.entry = -1;
	for (i = 0; i < topo.nsvc && topo.entry < 0; i++)
		if (topo.svc[i].indeg == 0 && topo.svc[i].nedge > 0)
			topo.entry = (int)i;
	if (topo.entry < 0)
		errx(LP_EXIT_USAGE, "%s: no entry service: every caller is "
		    "called", file);
	topo_acyclic(topo.entry, file);

	for (i = 0; i < topo.nsvc; i++) {
		v = &topo.svc[i];
		v->route = R_GENERIC;
		for (r = 1; r < R_COUNT; r++)
			if (strcmp(routes[r].svc, v->name) == 0)
				v->route = r;
		if (v->route != R_GENERIC)
			buf_adds(&name, routes[v->route].name);
		else
			buf_addf(&name, "GET /api/%s/{id}", v->name);
		v->spanname = buf_detach(&name, NULL);
		v->skew = skew_of(v->name);
	}
}

void
topo_free(void)
{
	size_t	 i;

	for (i = 0; i < topo.nsvc; i++) {
		free(topo.svc[i].name);
		free(topo.svc[i].spanname);
	}
	free(topo.svc);
	free(topo.edge);
}
