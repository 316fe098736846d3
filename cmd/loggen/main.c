/*
 * loggen - simulate the logs of distributed flows, deterministically.
 *
 * The seeds' orchestrator as one executable: the seed flow (inventory,
 * payments, then reporting and orders in parallel, each in its own raw
 * format, failures retried, error lines apart), the microservice span log,
 * and span traces over a service topology as OTLP/JSON or flat JSON.  The
 * same seed and options give the same bytes.  Knobs for the hard cases
 * (reordering, loss, duplicates, clock skew) apply to every format.
 *
 * The story: options -> topology -> generate flows in start order, merge
 * their lines by the time a collector would receive them -> deliver through
 * the knobs into out_buf -> check stdout -> exit status.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "jw.h"
#include "lp.h"
#include "out.h"
#include "ts.h"

#define SEC		INT64_C(1000000)	/* internal times are in us */
#define MSEC		INT64_C(1000)
#define SPAN_MAX	4096	/* spans in one trace; further calls are skipped */
#define SHUFFLE_MAX	1000000	/* lines --shuffle may hold back */
#define SKEW_MAX	86400000 /* ms */

enum fmt { FMT_SEED, FMT_SPANLOG, FMT_OTLP, FMT_FLAT };

/* The whole configuration; set by the options, read everywhere. */
static struct cfg {
	enum fmt	 fmt;
	int64_t		 count;		/* flows or traces */
	uint64_t	 seed;
	int64_t		 start;		/* us since the epoch, first flow */
	double		 pfail[2];	/* a checkpoint fails, attempt 1, 2 */
	double		 ppay;		/* a seed flow goes through payments */
	double		 perr;		/* a span fails on its own */
	double		 pdrop;		/* a line (otlp: a span) is lost */
	double		 pdup;		/* a line (otlp: a span) comes twice */
	int64_t		 shuffle;	/* reorder window in lines, 0: none */
	int64_t		 skew;		/* clock skew bound per service, ms */
	bool		 level;		/* [INFO]/[ERROR] on text lines */
	const char	*topofile;	/* NULL: the built-in topology */
} cfg = {
	FMT_SEED, 10, 1, 0, { 0.5, 0.3 }, 0.5, 0.05, 0, 0, 0, 0, true, NULL
};

/* xoshiro256**, seeded through splitmix64. */
struct rng {
	uint64_t	 s[4];
};

/*
 * A flow's lines live in its own text buffer until the last one is out.
 * Free flows are kept for reuse, so a long run allocates only while the
 * number of flows in flight grows.
 */
struct flow {
	struct buf	 text;
	size_t		 pending;	/* lines not yet delivered */
	struct flow	*next;		/* free list */
};

/* One line of a flow, keyed by the time a collector receives it. */
struct flowline {
	int64_t		 t;		/* true time, us */
	uint64_t	 seq;		/* generation order breaks ties */
	struct flow	*flow;
	uint32_t	 off;
	uint32_t	 len;
};

struct evheap {
	struct flowline	*v;
	size_t		 n, cap;
};

/*
 * The shuffle window.  Line i is given the key i + d, d drawn from
 * [0, N]; after line i goes in, every line whose key is at most i comes
 * out, smallest key first.  No line moves more than N places and at most
 * N + 1 lines are held.
 */
struct held {
	uint64_t	 key;
	uint64_t	 seq;
	char		*s;
	size_t		 n;
};

struct holdheap {
	struct held	*v;
	size_t		 n, cap;
	uint64_t	 index;		/* lines pushed so far */
};

/* A seed system: its raw format and its checkpoints. */
struct seedsys {
	const char	*name;		/* "system" value, skew key */
	const char	*label;		/* text format: ORDER, PAYMENTS; JSON: NULL */
	const char	*cps[5];
	int		 ncp;
	const char	*reasons[3];
	bool		 detail;	/* failure reason on a separate line */
};

/* Service topology: services, and the calls each makes in file order. */
struct svc {
	char		*name;
	char		*spanname;	/* "GET /api/orders/{id}" */
	int		 route;		/* R_* */
	size_t		 edge, nedge;	/* its calls in topo.edge */
	int		 indeg;
	int		 mark;		/* cycle check */
	int64_t		 skew;		/* us */
};

struct edge {
	int		 from, to;
	double		 p;		/* the call is made */
};

static struct {
	struct svc	*svc;
	size_t		 nsvc;
	struct edge	*edge;
	size_t		 nedge;
	int		 entry;
} topo;

/* A generated trace; spans refer to each other by index. */
struct span {
	uint64_t	 id;
	int		 parent;	/* index; -1 for the root */
	int		 svc;		/* the service recording the span */
	int		 peer;		/* callee of a client span; -1: server */
	int64_t		 start, end;	/* true clock, us */
	bool		 error;
};

struct trace {
	uint64_t	 id[2];
	struct span	*v;
	size_t		 n, cap;
};

/* Known services get realistic calls; any other name a generic one. */
enum { R_GENERIC, R_GATEWAY, R_ORDERS, R_INVENTORY, R_PAYMENTS, R_BANK,
    R_REPORTING };

static const struct route {
	const char	*svc;
	const char	*method;
	const char	*name;
} routes[] = {
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

static const struct seedsys seed_inventory = {
	"inventory", NULL,
	{ "INITIATED", "CHECKPOINT_1", "CHECKPOINT_2", "FINALIZED" }, 4,
	{ "FAILURE_REASON_1", "FAILURE_REASON_2", "FAILURE_REASON_3" }, true
};
static const struct seedsys seed_payments = {
	"payments", "PAYMENTS",
	{ "PAYMENTS_INITIATED", "PAYMENTS_CHECKPOINT_1", "PAYMENTS_CHECKPOINT_2",
	  "PAYMENTS_CHECKPOINT_3", "PAYMENTS_FINALIZED" }, 5,
	{ "PAYMENTS_FAILURE_REASON_1", "PAYMENTS_FAILURE_REASON_2",
	  "PAYMENTS_FAILURE_REASON_3" }, true
};
static const struct seedsys seed_reporting = {
	"reporting", NULL,
	{ "REPORTING_INITIALIZED", "REPORTING_CHECKPOINT_1",
	  "REPORTING_CHECKPOINT_2", "REPORTING_CHECKPOINT_3",
	  "REPORTING_FINALIZED" }, 5,
	{ "REPORTING_FAILURE_REASON_1", "REPORTING_FAILURE_REASON_2",
	  "REPORTING_FAILURE_REASON_3" }, false
};
static const struct seedsys seed_orders = {
	"orders", "ORDER",
	{ "ORDER_INITIALIZED", "ORDER_CHECKPOINT_1", "ORDER_CHECKPOINT_2",
	  "ORDER_CHECKPOINT_3", "ORDER_FINALIZED" }, 5,
	{ "ORDER_FAILURE_REASON_1", "ORDER_FAILURE_REASON_2",
	  "ORDER_FAILURE_REASON_3" }, false
};

static const char hexdig[] = "0123456789abcdef";

static struct rng	 rng;		/* the flows themselves */
static struct rng	 krng;		/* the knobs: drop, dup, shuffle */
static struct evheap	 events;
static struct holdheap	 hold;
static struct flow	*freeflows;
static struct trace	 trace;
static uint64_t		 evseq;
static int64_t		 seed_skew[4];	/* inventory payments reporting orders */

static void	usage(int) __attribute__((noreturn));
static int64_t	parse_int(const char *, int64_t, const char *);
static uint64_t	parse_seed(const char *);
static double	parse_prob(const char *);
static void	parse_pfail(const char *);
static int64_t	parse_time(const char *);
static void	topo_load(const char *);
static void	topo_free(void);
static void	gen_seed(struct flow *, int64_t);
static void	gen_trace(struct flow *, int64_t);
static void	rng_init(struct rng *, uint64_t);
static int64_t	rng_range(struct rng *, int64_t, int64_t);
static int64_t	skew_of(const char *);
static struct flow *flow_get(void);
static void	flow_put(struct flow *);
static void	ev_pop(struct flowline *);
static void	deliver(const char *, size_t, bool);
static void	hold_drain(uint64_t);

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "drop",	required_argument,	NULL,	'D' },
		{ "dup",	required_argument,	NULL,	'U' },
		{ "help",	no_argument,		NULL,	'h' },
		{ "no-level",	no_argument,		NULL,	'L' },
		{ "payments",	required_argument,	NULL,	'P' },
		{ "shuffle",	required_argument,	NULL,	'W' },
		{ "skew",	required_argument,	NULL,	'K' },
		{ "version",	no_argument,		NULL,	'V' },
		{ NULL,		0,			NULL,	0 }
	};
	void		(*gen)(struct flow *, int64_t);
	struct flow	*f;
	struct flowline	 ev;
	const char	*outfile = NULL;
	int64_t		 next, made;
	bool		 knobs;
	int		 ch, fd;

	lp_init("loggen");
	cfg.start = parse_time("2025-05-04T10:30:00");

	while ((ch = getopt_long(argc, argv, "e:f:hn:o:p:S:T:t:V", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'D':
			cfg.pdrop = parse_prob(optarg);
			break;
		case 'e':
			cfg.perr = parse_prob(optarg);
			break;
		case 'f':
			if (strcmp(optarg, "seed") == 0)
				cfg.fmt = FMT_SEED;
			else if (strcmp(optarg, "spanlog") == 0)
				cfg.fmt = FMT_SPANLOG;
			else if (strcmp(optarg, "otlp") == 0)
				cfg.fmt = FMT_OTLP;
			else if (strcmp(optarg, "flat") == 0)
				cfg.fmt = FMT_FLAT;
			else
				errx(LP_EXIT_USAGE, "invalid format '%s'", optarg);
			break;
		case 'h':
			usage(LP_EXIT_OK);
		case 'K':
			cfg.skew = parse_int(optarg, SKEW_MAX, "skew");
			break;
		case 'L':
			cfg.level = false;
			break;
		case 'n':
			cfg.count = parse_int(optarg, INT64_MAX, "count");
			break;
		case 'o':
			outfile = optarg;
			break;
		case 'P':
			cfg.ppay = parse_prob(optarg);
			break;
		case 'p':
			parse_pfail(optarg);
			break;
		case 'S':
			cfg.seed = parse_seed(optarg);
			break;
		case 'T':
			cfg.topofile = optarg;
			break;
		case 't':
			cfg.start = parse_time(optarg);
			break;
		case 'U':
			cfg.pdup = parse_prob(optarg);
			break;
		case 'V':
			lp_version("loggen");
		case 'W':
			cfg.shuffle = parse_int(optarg, SHUFFLE_MAX,
			    "shuffle window");
			break;
		default:
			usage(LP_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 0)
		usage(LP_EXIT_USAGE);

	topo_load(cfg.topofile);
	if (outfile != NULL) {
		if ((fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC, 0666)) < 0)
			err(LP_EXIT_FAIL, "%s", outfile);
		if (dup2(fd, STDOUT_FILENO) < 0)
			err(LP_EXIT_FAIL, "%s", outfile);
		close(fd);
	}

	rng_init(&rng, cfg.seed);
	rng_init(&krng, cfg.seed ^ UINT64_C(0x6b6e6f62732d6c67));
	seed_skew[0] = skew_of(seed_inventory.name);
	seed_skew[1] = skew_of(seed_payments.name);
	seed_skew[2] = skew_of(seed_reporting.name);
	seed_skew[3] = skew_of(seed_orders.name);
	gen = cfg.fmt == FMT_SEED ? gen_seed : gen_trace;
	/* An OTLP line is a whole trace: drop and dup act on its spans. */
	knobs = cfg.fmt != FMT_OTLP;

	/*
	 * The merge.  A flow's lines are never earlier than its start, and
	 * flows are generated in start order; so before the earliest pending
	 * line goes out, every flow starting no later is generated, and no
	 * line generated afterwards can precede it.  Memory holds the flows
	 * in flight only.
	 */
	next = cfg.start;
	made = 0;
	while (!out_closed) {
		while (made < cfg.count &&
		    (events.n == 0 || next <= events.v[0].t)) {
			f = flow_get();
			gen(f, next);
			if (f->pending == 0)
				flow_put(f);
			made++;
			next += cfg.fmt == FMT_SEED ?
			    rng_range(&rng, 1 * SEC, 11 * SEC) :
			    rng_range(&rng, 0, 20 * MSEC);
		}
		if (events.n == 0)
			break;
		ev_pop(&ev);
		deliver(ev.flow->text.p + ev.off, ev.len, knobs);
		if (--ev.flow->pending == 0)
			flow_put(ev.flow);
	}
	hold_drain(UINT64_MAX);

	/* After EPIPE some flows are still in flight: release them. */
	while (events.n > 0) {
		ev_pop(&ev);
		if (--ev.flow->pending == 0)
			flow_put(ev.flow);
	}
	free(events.v);
	free(hold.v);
	while ((f = freeflows) != NULL) {
		freeflows = f->next;
		buf_release(&f->text);
		free(f);
	}
	free(trace.v);
	topo_free();

	if (!out_close())
		return LP_EXIT_FAIL;
	return LP_EXIT_OK;
}

/* Print the synopsis; on stdout for --help (status 0), else on stderr. */
static void
usage(int status)
{
	FILE	*fp = status == LP_EXIT_OK ? stdout : stderr;

	fprintf(fp,
	    "usage: loggen [-hV] [-e P] [-f format] [-n count] [-o file] "
	    "[-p p1,p2] [-S seed]\n"
	    "              [-T file] [-t start] [--drop P] [--dup P] "
	    "[--no-level]\n"
	    "              [--payments P] [--shuffle N] [--skew ms]\n");
	if (status == LP_EXIT_OK)
		exit(fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_FAIL);
	exit(status);
}

/* ---- options ------------------------------------------------------------ */

/* A decimal integer in [0, max]; what names it in the message. */
static int64_t
parse_int(const char *s, int64_t max, const char *what)
{
	char		*end;
	long long	 v;

	errno = 0;
	if (s[0] < '0' || s[0] > '9')
		errx(LP_EXIT_USAGE, "invalid %s '%s'", what, s);
	v = strtoll(s, &end, 10);
	if (*end != '\0' || errno != 0 || v > max)
		errx(LP_EXIT_USAGE, "invalid %s '%s'", what, s);
	return v;
}

/* Any unsigned 64-bit decimal. */
static uint64_t
parse_seed(const char *s)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	if (s[0] < '0' || s[0] > '9')
		errx(LP_EXIT_USAGE, "invalid seed '%s'", s);
	v = strtoull(s, &end, 10);
	if (*end != '\0' || errno != 0)
		errx(LP_EXIT_USAGE, "invalid seed '%s'", s);
	return v;
}

/* A probability in [0, 1]. */
static double
parse_prob(const char *s)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !(v >= 0.0 && v <= 1.0))
		errx(LP_EXIT_USAGE, "invalid probability '%s'", s);
	return v;
}

/* "P1,P2": the failure probabilities of a first and a second attempt. */
static void
parse_pfail(const char *s)
{
	char	*copy, *comma;

	if ((copy = strdup(s)) == NULL)
		err(LP_EXIT_FAIL, NULL);
	if ((comma = strchr(copy, ',')) == NULL)
		errx(LP_EXIT_USAGE, "invalid probabilities '%s'", s);
	*comma = '\0';
	cfg.pfail[0] = parse_prob(copy);
	cfg.pfail[1] = parse_prob(comma + 1);
	free(copy);
}

/*
 * A start time in any form lognorm reads (ts.h), zone-less meaning UTC, to
 * microseconds since the epoch; exits with a usage error on anything else.
 */
static int64_t
parse_time(const char *s)
{
	struct ts_opts	 o = { 0, 0 };
	int64_t		 ms;

	if (!ts_parse(s, strlen(s), &o, &ms) || ms < 0)
		errx(LP_EXIT_USAGE, "invalid start time '%s'", s);
	return ms * MSEC;
}

/* ---- random numbers ----------------------------------------------------- */

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	 z;

	z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void
rng_init(struct rng *r, uint64_t seed)
{
	int	 i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t	*s = r->s;
	uint64_t	 result, t;

	result = rotl(s[1] * 5, 7) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [lo, hi]; the bias of the modulo is negligible at our ranges. */
static int64_t
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

/* The clock skew of a service, in us: fixed by its name and the seed. */
static int64_t
skew_of(const char *name)
{
	uint64_t	 h = UINT64_C(1469598103934665603);

	if (cfg.skew == 0)
		return 0;
	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * UINT64_C(1099511628211);
	h ^= cfg.seed;
	return ((int64_t)(splitmix64(&h) % (uint64_t)(2 * cfg.skew + 1)) -
	    cfg.skew) * MSEC;
}

/* ---- text helpers -------------------------------------------------------- */

static void
put_hex64(struct buf *b, uint64_t v)
{
	char	 tmp[16];
	int	 i;

	for (i = 15; i >= 0; i--, v >>= 4)
		tmp[i] = hexdig[v & 0xf];
	buf_add(b, tmp, 16);
}

/* An id of words 64-bit words as a quoted hex JSON string. */
static void
put_jhex(struct buf *b, const uint64_t *id, int words)
{
	int	 i;

	buf_addc(b, '"');
	for (i = 0; i < words; i++)
		put_hex64(b, id[i]);
	buf_addc(b, '"');
}

/* YYYY-MM-DDTHH:MM:SS of t (us), and .mmmZ when ms is set. */
static void
put_time(struct buf *b, int64_t t, bool ms)
{
	char	 tmp[TS_LEN + 1];

	ts_format(t >= 0 ? t / MSEC : -((-t + MSEC - 1) / MSEC), tmp);
	buf_add(b, tmp, ms ? TS_LEN : 19);
}

/* ---- flows and the merge ------------------------------------------------- */

static struct flow *
flow_get(void)
{
	struct flow	*f;

	if ((f = freeflows) != NULL)
		freeflows = f->next;
	else if ((f = calloc(1, sizeof(*f))) == NULL)
		err(LP_EXIT_FAIL, NULL);
	buf_reset(&f->text);
	f->pending = 0;
	return f;
}

static void
flow_put(struct flow *f)
{
	f->next = freeflows;
	freeflows = f;
}

static inline bool
ev_before(const struct flowline *a, const struct flowline *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void
ev_push(const struct flowline *e)
{
	struct flowline	*v;
	size_t		 i, up;

	if (events.n == events.cap) {
		events.cap = events.cap ? events.cap * 2 : 256;
		if ((v = reallocarray(events.v, events.cap, sizeof(*v))) == NULL)
			err(LP_EXIT_FAIL, NULL);
		events.v = v;
	}
	v = events.v;
	for (i = events.n++; i > 0; i = up) {
		up = (i - 1) / 2;
		if (!ev_before(e, &v[up]))
			break;
		v[i] = v[up];
	}
	v[i] = *e;
}

/* Take the earliest event; the heap must not be empty. */
static void
ev_pop(struct flowline *out)
{
	struct flowline	*v = events.v, last;
	size_t		 i, c, n;

	*out = v[0];
	n = --events.n;
	if (n == 0)
		return;
	last = v[n];
	for (i = 0; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && ev_before(&v[c + 1], &v[c]))
			c++;
		if (!ev_before(&v[c], &last))
			break;
		v[i] = v[c];
	}
	v[i] = last;
}

/* Start a line in f's text; returns its offset for line_end(). */
static inline size_t
line_begin(struct flow *f)
{
	return f->text.len;
}

/* Close the line begun at off with a newline; it is received at t. */
static void
line_end(struct flow *f, size_t off, int64_t t)
{
	struct flowline	 e;

	buf_addc(&f->text, '\n');
	e.t = t;
	e.seq = evseq++;
	e.flow = f;
	e.off = (uint32_t)off;
	e.len = (uint32_t)(f->text.len - off);
	f->pending++;
	ev_push(&e);
}

/* ---- delivery: drop, dup, shuffle ----------------------------------------- */

static inline bool
held_before(const struct held *a, const struct held *b)
{
	return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

/* Write out, smallest key first, every held line whose key is <= upto. */
static void
hold_drain(uint64_t upto)
{
	struct held	*v = hold.v, top, last;
	size_t		 i, c, n;

	while (hold.n > 0 && v[0].key <= upto) {
		top = v[0];
		n = --hold.n;
		if (n > 0) {
			last = v[n];
			for (i = 0; (c = 2 * i + 1) < n; i = c) {
				if (c + 1 < n && held_before(&v[c + 1], &v[c]))
					c++;
				if (!held_before(&v[c], &last))
					break;
				v[i] = v[c];
			}
			v[i] = last;
		}
		if (!out_closed) {
			buf_add(&out_buf, top.s, top.n);
			out_commit();
		}
		free(top.s);
	}
}

static void
hold_push(const char *s, size_t n)
{
	struct held	 h, *v;
	size_t		 i, up;

	h.seq = hold.index;
	h.key = hold.index + (uint64_t)rng_range(&krng, 0, cfg.shuffle);
	h.n = n;
	if ((h.s = malloc(n)) == NULL)
		err(LP_EXIT_FAIL, NULL);
	memcpy(h.s, s, n);
	if (hold.n == hold.cap) {
		hold.cap = hold.cap ? hold.cap * 2 : 64;
		if ((v = reallocarray(hold.v, hold.cap, sizeof(*v))) == NULL)
			err(LP_EXIT_FAIL, NULL);
		hold.v = v;
	}
	v = hold.v;
	for (i = hold.n++; i > 0; i = up) {
		up = (i - 1) / 2;
		if (!held_before(&h, &v[up]))
			break;
		v[i] = v[up];
	}
	v[i] = h;
	hold_drain(hold.index++);
}

/*
 * Hand one line (newline included) to the collector's side: lost with
 * --drop, twice in a row with --dup, then reordered by --shuffle.  With
 * knobs false (otlp) only the shuffle applies.
 */
static void
deliver(const char *s, size_t n, bool knobs)
{
	int	 copies = 1;

	if (knobs) {
		if (rng_chance(&krng, cfg.pdrop))
			return;
		if (rng_chance(&krng, cfg.pdup))
			copies = 2;
	}
	while (copies-- > 0) {
		if (cfg.shuffle > 0)
			hold_push(s, n);
		else {
			buf_add(&out_buf, s, n);
			out_commit();
		}
	}
}

/* ---- the seed flow -------------------------------------------------------- */

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
 * One attempt of a checkpoint, in the system's own format, at t (us, true
 * clock; the line shows the system's skewed clock).  reason is NULL on
 * success, or for systems that log it apart.
 */
static void
seed_line(struct flow *f, const struct seedsys *sys, int64_t skew,
    const char *cp, bool fail, const char *reason, const char *id, int64_t t)
{
	struct buf	*b = &f->text;
	size_t		 off = line_begin(f);

	if (sys->label == NULL) {
		buf_adds(b, "{\"system\":");
		jw_cstr(b, sys->name);
		buf_adds(b, ",\"checkpoint\":");
		jw_cstr(b, cp);
		buf_adds(b, fail ? ",\"status\":\"FAILURE\",\"timestamp\":\"" :
		    ",\"status\":\"SUCCESS\",\"timestamp\":\"");
		put_time(b, t + skew, false);
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
		put_time(b, t + skew, false);
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
seed_detail(struct flow *f, const struct seedsys *sys, int64_t skew,
    const char *reason, const char *id, int64_t t)
{
	struct buf	*b = &f->text;
	size_t		 off = line_begin(f);

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
		put_time(b, t + skew, false);
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
 * Run the checkpoints of one system from t on: an attempt fails with
 * pfail[0], a retry with pfail[1], a third attempt always succeeds.
 * Returns the time of the last success.
 */
static int64_t
seed_branch(struct flow *f, const struct seedsys *sys, int64_t skew,
    const char *id, int64_t t)
{
	const char	*reason;
	bool		 fail;
	int		 i, attempt;

	for (i = 0; i < sys->ncp; i++) {
		if (i > 0)
			t += rng_range(&rng, 1 * SEC, 5 * SEC);
		for (attempt = 0;; attempt++) {
			fail = attempt < 2 && rng_chance(&rng, cfg.pfail[attempt]);
			reason = fail ? sys->reasons[rng_range(&rng, 0, 2)] : NULL;
			seed_line(f, sys, skew, sys->cps[i], fail,
			    sys->detail ? NULL : reason, id, t);
			if (!fail)
				break;
			if (sys->detail)
				seed_detail(f, sys, skew, reason, id,
				    t + rng_range(&rng, 200 * MSEC, 1200 * MSEC));
			t += rng_range(&rng, 1500 * MSEC, 4 * SEC);
		}
	}
	return t;
}

/* One seed flow starting at t0: one correlation id through four systems. */
static void
gen_seed(struct flow *f, int64_t t0)
{
	char	 id[37];
	int64_t	 t;

	make_uuid(id);
	t = seed_branch(f, &seed_inventory, seed_skew[0], id, t0);
	if (rng_chance(&rng, cfg.ppay))
		t = seed_branch(f, &seed_payments, seed_skew[1], id,
		    t + rng_range(&rng, 1 * SEC, 5 * SEC));
	t += rng_range(&rng, 1 * SEC, 5 * SEC);
	/* reporting and orders run in parallel: their lines interleave */
	seed_branch(f, &seed_reporting, seed_skew[2], id, t);
	seed_branch(f, &seed_orders, seed_skew[3], id,
	    t + rng_range(&rng, 0, 2 * SEC));
}

/* ---- topology --------------------------------------------------------------- */

static int
topo_service(const char *name)
{
	struct svc	*v;
	size_t		 i;

	for (i = 0; i < topo.nsvc; i++)
		if (strcmp(topo.svc[i].name, name) == 0)
			return (int)i;
	if ((v = reallocarray(topo.svc, topo.nsvc + 1, sizeof(*v))) == NULL)
		err(LP_EXIT_FAIL, NULL);
	topo.svc = v;
	v = &topo.svc[topo.nsvc];
	memset(v, 0, sizeof(*v));
	if ((v->name = strdup(name)) == NULL)
		err(LP_EXIT_FAIL, NULL);
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
	if ((e = reallocarray(topo.edge, topo.nedge + 1, sizeof(*e))) == NULL)
		err(LP_EXIT_FAIL, NULL);
	topo.edge = e;
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

/*
 * Read the topology from file, or the built-in one for NULL.  The entry
 * service is the first caller that nobody calls.  Exits with a usage
 * error on a bad file.
 */
static void
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
	if ((sorted = reallocarray(NULL, topo.nedge, sizeof(*sorted))) == NULL)
		err(LP_EXIT_FAIL, NULL);
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
		for (r = 1; r < (int)(sizeof(routes) / sizeof(routes[0])); r++)
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

static void
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

/* ---- span traces ------------------------------------------------------------ */

/* A random non-zero id, so that 0 can never be mistaken for one. */
static uint64_t
span_id(void)
{
	uint64_t	 v;

	while ((v = rng_next(&rng)) == 0)
		;
	return v;
}

static size_t
span_new(int parent, int svc, int peer, int64_t start)
{
	struct span	*s;

	if (trace.n == trace.cap) {
		trace.cap = trace.cap ? trace.cap * 2 : 64;
		if ((s = reallocarray(trace.v, trace.cap, sizeof(*s))) == NULL)
			err(LP_EXIT_FAIL, NULL);
		trace.v = s;
	}
	s = &trace.v[trace.n];
	s->id = span_id();
	s->parent = parent;
	s->svc = svc;
	s->peer = peer;
	s->start = s->end = start;
	s->error = false;
	return trace.n++;
}

/*
 * Service svc serves a request from t on, as a child of span parent:
 * a server span, then one client span per call it makes (each with the
 * callee's server span below it), all in parallel or one after another.
 * A failed call fails its caller too.  Returns the end of the server span
 * and sets *errp to its status.  Spans are referred to by index: the
 * array moves as it grows.
 */
static int64_t
trace_serve(int svc, int parent, int64_t t, bool *errp)
{
	const struct edge	*e;
	size_t			 self, c, i;
	int64_t			 cur, end, cs, se;
	bool			 par, cerr, err = false, called = false;

	self = span_new(parent, svc, -1, t);
	cur = t + rng_range(&rng, 100, 3000);
	end = cur;
	par = rng_chance(&rng, 0.5);
	for (i = 0; i < topo.svc[svc].nedge; i++) {
		e = &topo.edge[topo.svc[svc].edge + i];
		if (!rng_chance(&rng, e->p) || trace.n + 2 > SPAN_MAX)
			continue;
		cs = par ? cur + rng_range(&rng, 0, 300) : end;
		c = span_new((int)self, svc, e->to, cs);
		se = trace_serve(e->to, (int)c,
		    cs + rng_range(&rng, 200, 1500), &cerr);
		trace.v[c].end = se + rng_range(&rng, 200, 1500);
		trace.v[c].error = cerr;
		err |= cerr;
		if (trace.v[c].end > end)
			end = trace.v[c].end;
		called = true;
	}
	if (called)
		end += rng_range(&rng, 50, 1000);
	else
		end = cur + rng_range(&rng, 1 * MSEC, 40 * MSEC);
	if (rng_chance(&rng, cfg.perr))
		err = true;
	trace.v[self].end = end;
	trace.v[self].error = err;
	*errp = err;
	return end;
}

/* The HTTP status of a client span; 500 or 503 on failure. */
static int
span_http(const struct span *s)
{
	if (s->error)
		return (s->id >> 60) & 1 ? 503 : 500;
	return topo.svc[s->peer].route == R_PAYMENTS ? 201 : 200;
}

/*
 * The request of a call and its response, drawn from the span id rather
 * than the generator, so that a seed gives the same traces in every span
 * format.  Some hold commas, as real ones do.
 */
static void
span_request(struct buf *b, const struct span *s)
{
	static const char *words[] = { "shoes", "red", "sale", "gift", "blue",
	    "kids", "new", "usb" };
	const struct svc	*callee = &topo.svc[s->peer];
	uint64_t		 h = s->id;
	uint64_t		 r = splitmix64(&h);

	switch (callee->route) {
	case R_GATEWAY:
		buf_adds(b, "/api/checkout");
		break;
	case R_ORDERS:
		buf_addf(b, "/api/orders/%u", (unsigned)(r % 999 + 1));
		break;
	case R_INVENTORY:
		buf_addf(b, "/api/inventory?ids=%u", (unsigned)(r % 97 + 1));
		if (r >> 32 & 1)
			buf_addf(b, ",%u", (unsigned)((r >> 8) % 97 + 1));
		if (r >> 33 & 1)
			buf_addf(b, ",%u", (unsigned)((r >> 16) % 97 + 1));
		break;
	case R_PAYMENTS:
		buf_adds(b, "/api/payments");
		break;
	case R_BANK:
		buf_adds(b, "/api/bank/authorize");
		break;
	case R_REPORTING:
		buf_addf(b, "/api/search?q=%s,%s", words[r & 7],
		    words[(r >> 3) & 7]);
		break;
	default:
		buf_addf(b, "/api/%s/%u", callee->name, (unsigned)(r % 999 + 1));
		break;
	}
}

static void
span_response(struct buf *b, const struct span *s)
{
	const struct svc	*callee = &topo.svc[s->peer];
	uint64_t		 h = s->id;
	uint64_t		 r = splitmix64(&h);

	if (s->error) {
		if (span_http(s) == 503)
			buf_adds(b, "{\"error\":\"service unavailable\","
			    "\"retry_after\":1}");
		else
			buf_adds(b, "{\"error\":\"internal error\",\"code\":500}");
		return;
	}
	switch (callee->route) {
	case R_INVENTORY:
		buf_addf(b, "{\"items\":%u,\"in_stock\":%s}",
		    (unsigned)(r % 5 + 1), r >> 40 & 1 ? "true" : "false");
		break;
	case R_PAYMENTS:
		buf_addf(b, "{\"payment_id\":\"pay-%06u\",\"status\":\"captured\"}",
		    (unsigned)(r % 1000000));
		break;
	case R_BANK:
		buf_addf(b, "{\"authorized\":true,\"code\":\"A%02u\"}",
		    (unsigned)(r % 100));
		break;
	case R_REPORTING:
		buf_addf(b, "{\"hits\":%u,\"took_ms\":%u}",
		    (unsigned)(r % 50), (unsigned)((r >> 8) % 30 + 1));
		break;
	case R_GATEWAY:
		buf_adds(b, "{\"ok\":true}");
		break;
	default:
		buf_addf(b, "{\"id\":%u,\"ok\":true}", (unsigned)(r % 999 + 1));
		break;
	}
}

/* One span-log line of client span s: its start (102) or its end. */
static void
spanlog_line(struct flow *f, const struct span *s, bool end)
{
	struct buf		*b = &f->text;
	const struct svc	*caller = &topo.svc[s->svc];
	const struct span	*server = &trace.v[s->parent];
	int64_t			 t = end ? s->end : s->start;
	int64_t			 ms = t + caller->skew;
	size_t			 off = line_begin(f);

	ms = ms >= 0 ? ms / MSEC : -((-ms + MSEC - 1) / MSEC);
	jw_int(b, ms);
	buf_adds(b, " | trace_id=");
	put_hex64(b, trace.id[0]);
	put_hex64(b, trace.id[1]);
	buf_adds(b, ", span_id=");
	put_hex64(b, s->id);
	buf_adds(b, ", parent_span_id=");
	/* the span log knows calls only: the parent is the caller's call */
	if (server->parent < 0)
		buf_adds(b, "null");
	else
		put_hex64(b, trace.v[server->parent].id);
	buf_adds(b, ", source=");
	buf_adds(b, caller->name);
	buf_adds(b, ", destination=");
	buf_adds(b, topo.svc[s->peer].name);
	buf_adds(b, ", method=");
	buf_adds(b, routes[topo.svc[s->peer].route].method);
	buf_adds(b, ", type=HTTP, request=");
	span_request(b, s);
	if (end) {
		buf_addf(b, ", http_status=%d response=", span_http(s));
		span_response(b, s);
	} else
		buf_adds(b, ", http_status=102 response=null");
	line_end(f, off, t);
}

/* A duration of us microseconds as a JSON number of milliseconds, "12.5";
 * what jw_num() writes for it, without going through snprintf(3). */
static void
put_ms(struct buf *b, int64_t us)
{
	char	 frac[4];
	int	 n, r;

	jw_int(b, us / 1000);
	if ((r = (int)(us % 1000)) == 0)
		return;
	frac[0] = '.';
	frac[1] = (char)('0' + r / 100);
	frac[2] = (char)('0' + r / 10 % 10);
	frac[3] = (char)('0' + r % 10);
	for (n = 4; frac[n - 1] == '0'; n--)
		;
	buf_add(b, frac, (size_t)n);
}

static void
put_nanos(struct buf *b, int64_t us)
{
	buf_addc(b, '"');
	jw_int(b, us * 1000);
	buf_addc(b, '"');
}

/* One flat JSON line of span s, received when the span ends. */
static void
flat_line(struct flow *f, const struct span *s)
{
	struct buf		*b = &f->text;
	const struct svc	*svc = &topo.svc[s->svc];
	size_t			 off = line_begin(f);

	buf_adds(b, "{\"timestamp\":\"");
	put_time(b, s->start + svc->skew, true);
	buf_adds(b, "\",\"trace_id\":");
	put_jhex(b, trace.id, 2);
	buf_adds(b, ",\"span_id\":");
	put_jhex(b, &s->id, 1);
	buf_adds(b, ",\"parent_span_id\":");
	if (s->parent < 0)
		jw_null(b);
	else
		put_jhex(b, &trace.v[s->parent].id, 1);
	buf_adds(b, ",\"service\":");
	jw_cstr(b, svc->name);
	buf_adds(b, ",\"target_service\":");
	jw_cstr(b, s->peer < 0 ? NULL : topo.svc[s->peer].name);
	buf_adds(b, ",\"name\":");
	jw_cstr(b, topo.svc[s->peer < 0 ? s->svc : s->peer].spanname);
	buf_adds(b, ",\"duration_ms\":");
	put_ms(b, s->end - s->start);
	buf_adds(b, s->error ? ",\"status\":\"ERROR\"}" : ",\"status\":\"OK\"}");
	line_end(f, off, s->end);
}

static void
otlp_span(struct buf *b, const struct span *s)
{
	const struct svc	*svc = &topo.svc[s->svc];

	buf_adds(b, "{\"traceId\":");
	put_jhex(b, trace.id, 2);
	buf_adds(b, ",\"spanId\":");
	put_jhex(b, &s->id, 1);
	buf_adds(b, ",\"parentSpanId\":");
	if (s->parent < 0)
		buf_adds(b, "\"\"");
	else
		put_jhex(b, &trace.v[s->parent].id, 1);
	buf_adds(b, ",\"name\":");
	jw_cstr(b, topo.svc[s->peer < 0 ? s->svc : s->peer].spanname);
	/* SPAN_KIND_SERVER 2, SPAN_KIND_CLIENT 3 */
	buf_adds(b, s->peer < 0 ? ",\"kind\":2" : ",\"kind\":3");
	buf_adds(b, ",\"startTimeUnixNano\":");
	put_nanos(b, s->start + svc->skew);
	buf_adds(b, ",\"endTimeUnixNano\":");
	put_nanos(b, s->end + svc->skew);
	if (s->error)
		buf_adds(b, ",\"status\":{\"code\":2}");
	if (s->peer >= 0) {
		buf_adds(b, ",\"attributes\":[{\"key\":\"peer.service\","
		    "\"value\":{\"stringValue\":");
		jw_cstr(b, topo.svc[s->peer].name);
		buf_adds(b, "}}]");
	}
	buf_addc(b, '}');
}

/*
 * The whole trace as one OTLP/JSON export, spans grouped by service in the
 * order the services first appear; received when the root ends.  --drop
 * and --dup act on spans here, since the line is the whole trace.
 */
static void
otlp_line(struct flow *f)
{
	struct buf	*b = &f->text;
	unsigned char	*copies;
	size_t		 off, i, j, k;
	bool		 first_rs = true, first;

	if ((copies = malloc(trace.n)) == NULL)
		err(LP_EXIT_FAIL, NULL);
	for (i = 0; i < trace.n; i++) {
		copies[i] = !rng_chance(&krng, cfg.pdrop);
		if (rng_chance(&krng, cfg.pdup) && copies[i])
			copies[i] = 2;
	}
	off = line_begin(f);
	buf_adds(b, "{\"resourceSpans\":[");
	for (i = 0; i < trace.n; i++) {
		/* the first kept span of a service not met before */
		if (copies[i] == 0)
			continue;
		for (j = 0; j < i; j++)
			if (copies[j] != 0 && trace.v[j].svc == trace.v[i].svc)
				break;
		if (j < i)
			continue;
		if (!first_rs)
			buf_addc(b, ',');
		first_rs = false;
		buf_adds(b, "{\"resource\":{\"attributes\":[{\"key\":"
		    "\"service.name\",\"value\":{\"stringValue\":");
		jw_cstr(b, topo.svc[trace.v[i].svc].name);
		buf_adds(b, "}}]},\"scopeSpans\":[{\"scope\":{\"name\":"
		    "\"loggen\"},\"spans\":[");
		first = true;
		for (j = i; j < trace.n; j++) {
			if (trace.v[j].svc != trace.v[i].svc)
				continue;
			for (k = 0; k < copies[j]; k++) {
				if (!first)
					buf_addc(b, ',');
				first = false;
				otlp_span(b, &trace.v[j]);
			}
		}
		buf_adds(b, "]}]}");
	}
	free(copies);
	if (first_rs) {
		/* every span was dropped: nothing was exported */
		b->len = off;
		return;
	}
	buf_adds(b, "]}");
	line_end(f, off, trace.v[0].end);
}

/* One trace from the entry service at t0, written in the chosen format. */
static void
gen_trace(struct flow *f, int64_t t0)
{
	size_t	 i;
	bool	 rooterr;

	trace.n = 0;
	while ((trace.id[0] = rng_next(&rng)) == 0)
		;
	trace.id[1] = rng_next(&rng);
	trace_serve(topo.entry, -1, t0, &rooterr);
	switch (cfg.fmt) {
	case FMT_SPANLOG:
		for (i = 0; i < trace.n; i++)
			if (trace.v[i].peer >= 0) {
				spanlog_line(f, &trace.v[i], false);
				spanlog_line(f, &trace.v[i], true);
			}
		break;
	case FMT_FLAT:
		for (i = 0; i < trace.n; i++)
			flat_line(f, &trace.v[i]);
		break;
	default:
		otlp_line(f);
		break;
	}
}
