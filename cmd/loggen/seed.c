/*
 * seed.c - the seed flow: one correlation id through inventory, payments
 * (for some flows), then reporting and orders in parallel, each system in
 * its own raw format; failed checkpoints are retried, and inventory and
 * payments write the failure reason on a separate error line.  With
 * --truth, what was generated: the systems visited, and every attempt of
 * every checkpoint.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "jw.h"
#include "loggen.h"

/* A seed system: its raw format and its checkpoints. */
struct seedsys {
	const char	*name;		/* "system" value, skew key */
	const char	*label;		/* text format: ORDER, PAYMENTS; JSON: NULL */
	const char	*cps[5];
	int		 ncp;
	const char	*reasons[3];
	bool		 detail;	/* failure reason on a separate line */
};

enum { INVENTORY, PAYMENTS, REPORTING, ORDERS, NSYS };

static const struct seedsys seedsys[NSYS] = {
	{ "inventory", NULL,
	  { "INITIATED", "CHECKPOINT_1", "CHECKPOINT_2", "FINALIZED" }, 4,
	  { "FAILURE_REASON_1", "FAILURE_REASON_2", "FAILURE_REASON_3" },
	  true },
	{ "payments", "PAYMENTS",
	  { "PAYMENTS_INITIATED", "PAYMENTS_CHECKPOINT_1",
	    "PAYMENTS_CHECKPOINT_2", "PAYMENTS_CHECKPOINT_3",
	    "PAYMENTS_FINALIZED" }, 5,
	  { "PAYMENTS_FAILURE_REASON_1", "PAYMENTS_FAILURE_REASON_2",
	    "PAYMENTS_FAILURE_REASON_3" }, true },
	{ "reporting", NULL,
	  { "REPORTING_INITIALIZED", "REPORTING_CHECKPOINT_1",
	    "REPORTING_CHECKPOINT_2", "REPORTING_CHECKPOINT_3",
	    "REPORTING_FINALIZED" }, 5,
	  { "REPORTING_FAILURE_REASON_1", "REPORTING_FAILURE_REASON_2",
	    "REPORTING_FAILURE_REASON_3" }, false },
	{ "orders", "ORDER",
	  { "ORDER_INITIALIZED", "ORDER_CHECKPOINT_1", "ORDER_CHECKPOINT_2",
	    "ORDER_CHECKPOINT_3", "ORDER_FINALIZED" }, 5,
	  { "ORDER_FAILURE_REASON_1", "ORDER_FAILURE_REASON_2",
	    "ORDER_FAILURE_REASON_3" }, false },
};

static int64_t	 skew[NSYS];

/* What the flow being generated did, for --truth. */
struct attempt {
	int		 sys;
	int		 cp;		/* index in seedsys[sys].cps */
	int		 n;		/* 1 for the first attempt */
	const char	*reason;	/* NULL: it succeeded */
	int64_t		 t;		/* true time */
	size_t		 line;		/* its line in the flow */
	size_t		 detail;	/* its error line, or SIZE_MAX */
};

static struct {
	struct attempt	*v;
	size_t		 n, cap;
	struct {
		int	 sys;
		int	 parent;	/* -1: none */
		bool	 ok;		/* did not fail for good */
	}		 sys[NSYS];	/* in the order visited */
	int		 nsys;
} run;

void
seed_init(void)
{
	int	 i;

	for (i = 0; i < NSYS; i++)
		skew[i] = skew_of(seedsys[i].name);
}

/* A uuid-like version 4 id from the flow generator. */
static void
make_uuid(char id[37])
{
	uint64_t	 a = rng_next(&rng), b = rng_next(&rng);
	char		*p = id;
	int		 i;

	a = (a & ~UINT64_C(0xf000)) | UINT64_C(0x4000);
	b = (b & ~(UINT64_C(0x3) << 62)) | (UINT64_C(0x2) << 62);
	for (i = 60; i >= 0; i -= 4) {
		*p++ = hexdig[(a >> i) & 0xf];
		if (i == 32 || i == 16)
			*p++ = '-';
	}
	*p++ = '-';
	for (i = 60; i >= 0; i -= 4) {
		*p++ = hexdig[(b >> i) & 0xf];
		if (i == 48)
			*p++ = '-';
	}
	*p = '\0';
}

/*
 * One attempt of a checkpoint of system s, in its own format, at t (us,
 * true clock; the line shows the system's skewed clock).  reason is NULL
 * on success, or for systems that log it apart.
 */
static size_t
seed_line(struct flow *f, int s, const char *cp, bool fail,
    const char *reason, const char *id, int64_t t)
{
	const struct seedsys	*sys = &seedsys[s];
	struct buf		*b = &f->text;
	size_t			 off = line_begin(f);

	if (sys->label == NULL) {
		buf_adds(b, "{\"system\":");
		jw_cstr(b, sys->name);
		buf_adds(b, ",\"checkpoint\":");
		jw_cstr(b, cp);
		buf_adds(b, fail ? ",\"status\":\"FAILURE\",\"timestamp\":\"" :
		    ",\"status\":\"SUCCESS\",\"timestamp\":\"");
		put_time(b, t + skew[s], false);
		buf_adds(b, "\",\"correlation_id\":");
		jw_cstr(b, id);
		if (reason != NULL) {
			buf_adds(b, ",\"failure_reason\":");
			jw_cstr(b, reason);
		}
		buf_addc(b, '}');
	} else {
		if (cfg.level)
			buf_adds(b, fail ? "[ERROR] " : "[INFO] ");
		put_time(b, t + skew[s], false);
		buf_addc(b, ' ');
		buf_adds(b, sys->label);
		buf_adds(b, ": ");
		buf_adds(b, cp);
		buf_adds(b, fail ? " - FAILURE (ID: " : " - SUCCESS (ID: ");
		buf_adds(b, id);
		buf_addc(b, ')');
		if (reason != NULL) {
			buf_adds(b, " - ");
			buf_adds(b, reason);
		}
	}
	return line_end(f, off, t);
}

/* The separate error line of inventory and payments. */
static size_t
seed_detail(struct flow *f, int s, const char *reason, const char *id,
    int64_t t)
{
	const struct seedsys	*sys = &seedsys[s];
	struct buf		*b = &f->text;
	size_t			 off = line_begin(f);

	if (sys->label == NULL) {
		buf_adds(b, "{\"system\":");
		jw_cstr(b, sys->name);
		buf_adds(b, ",\"correlation_id\":");
		jw_cstr(b, id);
		buf_adds(b, ",\"failure_reason\":");
		jw_cstr(b, reason);
		buf_addc(b, '}');
	} else {
		if (cfg.level)
			buf_adds(b, "[ERROR] ");
		put_time(b, t + skew[s], false);
		buf_addc(b, ' ');
		buf_adds(b, sys->label);
		buf_addc(b, ' ');
		buf_adds(b, sys->label);
		buf_adds(b, "_ERROR: (ID: ");
		buf_adds(b, id);
		buf_adds(b, ") - ");
		buf_adds(b, reason);
	}
	return line_end(f, off, t);
}

/*
 * Run the checkpoints of system s from *tp on, as a child of system
 * parent (-1: none).  Attempt k of a checkpoint fails with cfg.pfail[k -
 * 1]; an attempt beyond the list succeeds.  When the last attempt -a
 * allows fails, the system stops there and false is returned: the flow
 * has failed for good.  *tp becomes the time of the system's last
 * checkpoint line.
 */
static bool
seed_branch(struct flow *f, int s, int parent, const char *id, int64_t *tp)
{
	const struct seedsys	*sys = &seedsys[s];
	struct attempt		*a = NULL;
	const char		*reason;
	int64_t			 t = *tp;
	size_t			 line;
	bool			 fail, ok = true;
	int			 i, attempt;

	for (i = 0; i < sys->ncp && ok; i++) {
		if (i > 0)
			t += rng_range(&rng, 1 * SEC, 5 * SEC);
		for (attempt = 0;; attempt++) {
			fail = attempt < cfg.npfail &&
			    rng_chance(&rng, cfg.pfail[attempt]);
			reason = fail ? sys->reasons[rng_range(&rng, 0, 2)] : NULL;
			line = seed_line(f, s, sys->cps[i], fail,
			    sys->detail ? NULL : reason, id, t);
			if (cfg.truthfile != NULL) {
				xgrow(&run.v, &run.cap, run.n + 1,
				    sizeof(*run.v));
				a = &run.v[run.n++];
				*a = (struct attempt){ s, i, attempt + 1,
				    reason, t, line, SIZE_MAX };
			}
			if (!fail)
				break;
			if (sys->detail) {
				line = seed_detail(f, s, reason, id,
				    t + rng_range(&rng, 200 * MSEC, 1200 * MSEC));
				if (a != NULL)
					a->detail = line;
			}
			if (attempt + 1 == cfg.attempts) {
				ok = false;
				break;
			}
			t += rng_range(&rng, 1500 * MSEC, 4 * SEC);
		}
	}
	run.sys[run.nsys].sys = s;
	run.sys[run.nsys].parent = parent;
	run.sys[run.nsys++].ok = ok;
	*tp = t;
	return ok;
}

/*
 * Inventory, then payments for some flows, then reporting and orders in
 * parallel.  A system that fails for good ends the flow: no later system
 * starts; the parallel two do not stop each other.
 */
static void
seed_flow(struct flow *f, const char *id, int64_t t)
{
	int64_t	 t2;
	int	 up = INVENTORY;

	if (!seed_branch(f, INVENTORY, -1, id, &t))
		return;
	if (rng_chance(&rng, cfg.ppay)) {
		t += rng_range(&rng, 1 * SEC, 5 * SEC);
		if (!seed_branch(f, PAYMENTS, INVENTORY, id, &t))
			return;
		up = PAYMENTS;
	}
	t += rng_range(&rng, 1 * SEC, 5 * SEC);
	/* reporting and orders run in parallel: their lines interleave */
	t2 = t;
	seed_branch(f, REPORTING, up, id, &t2);
	t2 = t + rng_range(&rng, 0, 2 * SEC);
	seed_branch(f, ORDERS, up, id, &t2);
}

/* Attempts in the order they happened; generation order breaks ties. */
static int
attempt_cmp(const void *x, const void *y)
{
	const struct attempt	*a = x, *b = y;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

/*
 * The truth of the flow just generated: its systems in the order visited,
 * each with its parent, the times of its first and last checkpoint lines
 * and its status; then every attempt in the order they happened, with the
 * copies of its line (and of its error line) that went out.  Times are
 * those the lines show, each system's own clock.
 */
static void
seed_truth(struct flow *f, const char *id)
{
	struct buf		*b = &f->truth;
	const struct attempt	*a, *first, *last;
	size_t			 i;
	int			 k;
	bool			 ok = true;

	for (k = 0; k < run.nsys; k++)
		ok &= run.sys[k].ok;
	qsort(run.v, run.n, sizeof(*run.v), attempt_cmp);
	buf_adds(b, "{\"type\":\"truth\",\"model\":\"checkpoint\","
	    "\"correlation_id\":");
	jw_cstr(b, id);
	buf_adds(b, ok ? ",\"status\":\"SUCCESS\",\"systems\":[" :
	    ",\"status\":\"FAILURE\",\"systems\":[");
	for (k = 0; k < run.nsys; k++) {
		first = last = NULL;
		for (a = run.v; a < run.v + run.n; a++)
			if (a->sys == run.sys[k].sys) {
				if (first == NULL)
					first = a;
				last = a;
			}
		assert(first != NULL);
		if (k > 0)
			buf_addc(b, ',');
		buf_adds(b, "{\"system\":");
		jw_cstr(b, seedsys[run.sys[k].sys].name);
		buf_adds(b, ",\"parent\":");
		jw_cstr(b, run.sys[k].parent < 0 ? NULL :
		    seedsys[run.sys[k].parent].name);
		buf_adds(b, ",\"start\":");
		put_jtime(b, first->t + skew[first->sys], true);
		buf_adds(b, ",\"end\":");
		put_jtime(b, last->t + skew[last->sys], true);
		buf_adds(b, run.sys[k].ok ? ",\"status\":\"SUCCESS\"}" :
		    ",\"status\":\"FAILURE\"}");
	}
	buf_adds(b, "],\"checkpoints\":[");
	for (i = 0; i < run.n; i++) {
		a = &run.v[i];
		if (i > 0)
			buf_addc(b, ',');
		buf_adds(b, "{\"system\":");
		jw_cstr(b, seedsys[a->sys].name);
		buf_adds(b, ",\"checkpoint\":");
		jw_cstr(b, seedsys[a->sys].cps[a->cp]);
		buf_adds(b, ",\"attempt\":");
		jw_int(b, a->n);
		buf_adds(b, a->reason == NULL ? ",\"status\":\"SUCCESS\"" :
		    ",\"status\":\"FAILURE\"");
		buf_adds(b, ",\"reason\":");
		jw_cstr(b, a->reason);
		buf_adds(b, ",\"time\":");
		put_jtime(b, a->t + skew[a->sys], true);
		buf_adds(b, a->detail == SIZE_MAX ? ",\"detail\":false" :
		    ",\"detail\":true");
		buf_adds(b, ",\"delivered\":");
		truth_delivered(f, a->line);
		buf_adds(b, ",\"detail_delivered\":");
		if (a->detail == SIZE_MAX)
			jw_null(b);
		else
			truth_delivered(f, a->detail);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}\n");
}

void
seed_gen(struct flow *f, int64_t t0)
{
	char	 id[37];

	make_uuid(id);
	run.n = 0;
	run.nsys = 0;
	seed_flow(f, id, t0);
	if (cfg.truthfile != NULL)
		seed_truth(f, id);
}

void
seed_release(void)
{
	free(run.v);
}
