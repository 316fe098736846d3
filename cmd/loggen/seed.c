/*
 * seed.c - the seed flow: one correlation id through inventory, payments
 * (for some flows), then reporting and orders in parallel, each system in
 * its own raw format; failed checkpoints are retried, and inventory and
 * payments write the failure reason on a separate error line.
 */
#include <stdbool.h>
#include <stdint.h>

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
static void
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
	line_end(f, off, t);
}

/* The separate error line of inventory and payments. */
static void
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
	line_end(f, off, t);
}

/*
 * Run the checkpoints of system s from *tp on.  Attempt k of a checkpoint
 * fails with cfg.pfail[k - 1]; an attempt beyond the list succeeds.  When
 * the last attempt -a allows fails, the system stops there and false is
 * returned: the flow has failed for good.  *tp becomes the time of the
 * system's last checkpoint line.
 */
static bool
seed_branch(struct flow *f, int s, const char *id, int64_t *tp)
{
	const struct seedsys	*sys = &seedsys[s];
	const char		*reason;
	int64_t			 t = *tp;
	bool			 fail;
	int			 i, attempt;

	for (i = 0; i < sys->ncp; i++) {
		if (i > 0)
			t += rng_range(&rng, 1 * SEC, 5 * SEC);
		for (attempt = 0;; attempt++) {
			fail = attempt < cfg.npfail &&
			    rng_chance(&rng, cfg.pfail[attempt]);
			reason = fail ? sys->reasons[rng_range(&rng, 0, 2)] : NULL;
			seed_line(f, s, sys->cps[i], fail,
			    sys->detail ? NULL : reason, id, t);
			if (!fail)
				break;
			if (sys->detail)
				seed_detail(f, s, reason, id,
				    t + rng_range(&rng, 200 * MSEC, 1200 * MSEC));
			if (attempt + 1 == cfg.attempts) {
				*tp = t;
				return false;
			}
			t += rng_range(&rng, 1500 * MSEC, 4 * SEC);
		}
	}
	*tp = t;
	return true;
}

/*
 * Inventory, then payments for some flows, then reporting and orders in
 * parallel.  A system that fails for good ends the flow: no later system
 * starts; the parallel two do not stop each other.
 */
void
seed_gen(struct flow *f, int64_t t0)
{
	char	 id[37];
	int64_t	 t = t0, t2;

	make_uuid(id);
	if (!seed_branch(f, INVENTORY, id, &t))
		return;
	if (rng_chance(&rng, cfg.ppay)) {
		t += rng_range(&rng, 1 * SEC, 5 * SEC);
		if (!seed_branch(f, PAYMENTS, id, &t))
			return;
	}
	t += rng_range(&rng, 1 * SEC, 5 * SEC);
	/* reporting and orders run in parallel: their lines interleave */
	t2 = t;
	seed_branch(f, REPORTING, id, &t2);
	t2 = t + rng_range(&rng, 0, 2 * SEC);
	seed_branch(f, ORDERS, id, &t2);
}
