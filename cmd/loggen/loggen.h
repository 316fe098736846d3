/*
 * loggen.h - what the parts of loggen share.
 *
 *	main.c		options; flows and their lines, merged by the time a
 *			collector receives them
 *	seed.c		the seed flow: four systems, retries, error lines
 *	topo.c		the service topology
 *	trace.c		span traces over the topology: span log, OTLP, flat
 *	deliver.c	the knobs between a line and the output: drop, dup,
 *			shuffle
 *
 * Times are microseconds since the epoch on the true clock; a system or
 * service writes them on its own clock, off by its skew (--skew).
 */
#ifndef LOGGEN_H
#define LOGGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SEC		INT64_C(1000000)	/* internal times are in us */
#define MSEC		INT64_C(1000)
#define ATTEMPTS_MAX	10	/* attempts of a seed checkpoint (-a, -p) */

enum fmt { FMT_SEED, FMT_SPANLOG, FMT_OTLP, FMT_FLAT };

/* The whole configuration: set by the options (main.c), read everywhere. */
struct cfg {
	enum fmt	 fmt;
	int64_t		 count;		/* flows or traces */
	uint64_t	 seed;
	int64_t		 start;		/* us since the epoch, first flow */
	double		 pfail[ATTEMPTS_MAX]; /* attempt k of a checkpoint
					   fails; beyond npfail it succeeds */
	int		 npfail;
	int		 attempts;	/* most attempts of a checkpoint */
	double		 ppay;		/* a seed flow goes through payments */
	double		 perr;		/* a span fails on its own */
	double		 pdrop;		/* a line (otlp: a span) is lost */
	double		 pdup;		/* a line (otlp: a span) comes twice */
	int64_t		 shuffle;	/* reorder window in lines, 0: none */
	int64_t		 skew;		/* clock skew bound per service, ms */
	bool		 level;		/* [INFO]/[ERROR] on text lines */
	const char	*topofile;	/* NULL: the built-in topology */
	const char	*outfile;	/* NULL: standard output */
	const char	*truthfile;	/* --truth; NULL: none */
};

extern struct cfg	 cfg;

/* ---- random numbers: xoshiro256**, seeded through splitmix64 ------------ */

struct rng {
	uint64_t	 s[4];
};

extern struct rng	 rng;		/* the flows themselves */
extern struct rng	 krng;		/* the knobs: drop, dup, shuffle */

static inline uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	 z;

	z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static inline void
rng_init(struct rng *r, uint64_t seed)
{
	int	 i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t
rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t	*s = r->s;
	uint64_t	 result, t;

	result = rng_rotl(s[1] * 5, 7) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return result;
}

/* Uniform in [lo, hi]; the bias of the modulo is negligible at our ranges. */
static inline int64_t
rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* True with probability p; always draws, so the stream does not depend on p. */
static inline bool
rng_chance(struct rng *r, double p)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53 < p;
}

/* ---- flows and their lines (main.c) ------------------------------------- */

/*
 * A flow (a seed flow or a trace) writes its lines into its own text
 * buffer at once, each with the time it is received; they go out, merged
 * with the lines of the other flows in flight, in that order.
 *
 * With --truth the generator also writes, into truth, the record of what
 * it generated, with a placeholder digit '0' for the number of copies of
 * each line that went out (truth_delivered); the merge sets the digit when
 * the line meets the knobs.  Flows retire in generation order, once all
 * their lines are out: the record goes to the truth file, and the flow is
 * reused.
 */
struct flow {
	struct buf	 text;		/* its lines, each ending in '\n' */
	size_t		 pending;	/* lines not yet delivered */
	struct buf	 truth;		/* its --truth record, or empty */
	size_t		*mark;		/* per line: its digit in truth, or
					   SIZE_MAX */
	size_t		 nlines, markcap;
	struct flow	*next;		/* in flight; or free */
};

/* Start a line in f's text; returns its offset for line_end(). */
static inline size_t
line_begin(const struct flow *f)
{
	return f->text.len;
}

/*
 * Close the line begun at off with a newline; it is received at t.
 * Returns the line's index in the flow, for truth_delivered().
 */
size_t	line_end(struct flow *f, size_t off, int64_t t);

/* Append to f's truth the number of copies of line i that went out. */
void	truth_delivered(struct flow *f, size_t i);

/* The clock skew of a system or service, in us: fixed by its name and
 * the seed, at most --skew either way. */
int64_t	skew_of(const char *name);

extern const char	 hexdig[];	/* "0123456789abcdef" */

/* Sixteen lower-case hex digits of v. */
void	put_hex64(struct buf *b, uint64_t v);

/* An id of words 64-bit words as a quoted hex JSON string. */
void	put_jhex(struct buf *b, const uint64_t *id, int words);

/* YYYY-MM-DDTHH:MM:SS of t (us), and .mmmZ when ms is set. */
void	put_time(struct buf *b, int64_t t, bool ms);

/*
 * t (us) as a JSON string, RFC 3339 with milliseconds, as the truth gives
 * the times of the lines: to the second (".000Z") when sec is set, as the
 * seed lines show them.
 */
void	put_jtime(struct buf *b, int64_t t, bool sec);

/* ---- the seed flow (seed.c) --------------------------------------------- */

/* Fix the systems' clocks; after the options. */
void	seed_init(void);

/*
 * One seed flow starting at t0: one correlation id through four systems;
 * with --truth, its record in f->truth.
 */
void	seed_gen(struct flow *f, int64_t t0);

/* Free the storage of the seed generator. */
void	seed_release(void);

/* ---- the topology (topo.c) ---------------------------------------------- */

/* Known services get realistic calls; any other name a generic one. */
enum { R_GENERIC, R_GATEWAY, R_ORDERS, R_INVENTORY, R_PAYMENTS, R_BANK,
    R_REPORTING, R_COUNT };

struct route {
	const char	*svc;
	const char	*method;
	const char	*name;
};

extern const struct route	 routes[R_COUNT];

/* A service, and the calls it makes: topo.edge[edge .. edge + nedge). */
struct svc {
	char		*name;
	char		*spanname;	/* "GET /api/orders/{id}" */
	int		 route;		/* R_* */
	size_t		 edge, nedge;
	int		 indeg;
	int		 mark;		/* cycle check */
	int64_t		 skew;		/* us */
};

struct edge {
	int		 from, to;
	double		 p;		/* the call is made */
};

struct topo {
	struct svc	*svc;
	size_t		 nsvc;
	struct edge	*edge;		/* grouped by caller, in file order */
	size_t		 nedge;
	int		 entry;		/* the first caller nobody calls */
};

extern struct topo	 topo;

/*
 * Read the topology from file, or the built-in one for NULL.  Exits with
 * a usage error on a bad file.
 */
void	topo_load(const char *file);
void	topo_free(void);

/* ---- span traces (trace.c) ---------------------------------------------- */

/*
 * One trace from the entry service at t0, in the format of -f; with
 * --truth, its record in f->truth.
 */
void	trace_gen(struct flow *f, int64_t t0);

/* Free the storage of the trace generator. */
void	trace_release(void);

/* ---- delivery (deliver.c) ----------------------------------------------- */

/* After the options. */
void	deliver_init(void);

/*
 * Hand one line (newline included) to the collector's side: lost with
 * --drop, twice in a row with --dup, then reordered by --shuffle.  With
 * knobs false (otlp, whose spans met the knobs inside the line) only the
 * shuffle applies.  Returns the number of copies sent: 0, 1 or 2.
 */
int	deliver(const char *s, size_t n, bool knobs);

/* Write out the lines --shuffle still holds, and free its storage. */
void	deliver_finish(void);

#endif
