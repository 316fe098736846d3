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
 * the knobs into out_buf; once a flow's lines are all out, its truth record
 * to --truth -> check stdout and the truth file -> exit status.  This file
 * holds the options and the merge; loggen.h says where the rest is.
 */
#include <assert.h>
#include <err.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "heap.h"
#include "loggen.h"
#include "lp.h"
#include "opt.h"
#include "out.h"
#include "ts.h"

#define SHUFFLE_MAX	1000000	/* lines --shuffle may hold back */
#define SKEW_MAX	86400000 /* ms */

struct cfg cfg = {
	.fmt = FMT_SEED, .count = 10, .seed = 1, .pfail = { 0.5, 0.3 },
	.npfail = 2, .attempts = 3, .ppay = 0.5, .perr = 0.05, .level = true
};

struct rng		 rng;
struct rng		 krng;
const char		 hexdig[] = "0123456789abcdef";

/* One line of a flow, keyed by the time a collector receives it. */
struct flowline {
	int64_t		 t;		/* true time, us */
	uint64_t	 seq;		/* generation order breaks ties */
	struct flow	*flow;
	uint32_t	 off;
	uint32_t	 len;
	uint32_t	 line;		/* its index in the flow */
};

static struct heap	 lines;		/* struct flowline, earliest first */
static uint64_t		 lineseq;
static struct flow	*inflight;	/* in generation order */
static struct flow	**inflight_end = &inflight;
static struct flow	*freeflows;
static FILE		*truthfp;	/* --truth */

static void	usage(int) __attribute__((noreturn));
static void	options(int, char *[]);
static void	output_open(const char *);
static void	truth_open(const char *);
static bool	truth_close(void);
static void	merge(void);
static void	flows_release(void);

int
main(int argc, char *argv[])
{
	int	 status = LP_EXIT_OK;

	lp_init("loggen");
	options(argc, argv);
	topo_load(cfg.topofile);
	output_open(cfg.outfile);
	truth_open(cfg.truthfile);

	rng_init(&rng, cfg.seed);
	rng_init(&krng, cfg.seed ^ UINT64_C(0x6b6e6f62732d6c67));
	seed_init();
	deliver_init();
	merge();
	deliver_finish();

	flows_release();
	trace_release();
	seed_release();
	topo_free();
	if (!out_close())
		status = LP_EXIT_FAIL;
	if (!truth_close())
		status = LP_EXIT_FAIL;
	return lp_exit(status);
}

/* The synopsis on stderr for a usage error; all of the help for --help. */
static void
usage(int status)
{
	FILE	*fp = status == LP_EXIT_OK ? stdout : stderr;

	fprintf(fp,
	    "usage: loggen [-hV] [-a attempts] [-e P] [-f format] [-n count] "
	    "[-o file]\n"
	    "              [-p p1,p2,...] [-S seed] [-T topology] [-t start] "
	    "[--drop P]\n"
	    "              [--dup P] [--no-level] [--payments P] [--shuffle N] "
	    "[--skew ms]\n"
	    "              [--truth file]\n");
	if (status != LP_EXIT_OK)
		exit(status);
	printf("\nSimulate the logs of distributed flows: the seed's four "
	    "systems, or span\n"
	    "traces over a service topology.  The same seed and options give "
	    "the same bytes.\n\n"
	    "  -a, --attempts=N      at most N attempts of a checkpoint; if "
	    "the last fails,\n"
	    "                        the flow fails for good (default 3)\n"
	    "  -e, --errors=P        probability that a span fails on its own "
	    "(default 0.05)\n"
	    "  -f, --format=FORMAT   seed (default), spanlog, otlp or flat\n"
	    "  -n, --count=N         flows or traces to generate (default 10)\n"
	    "  -o, --output=FILE     write to FILE instead of the standard "
	    "output\n"
	    "  -p, --fail=P1,P2,...  probabilities that a checkpoint fails on "
	    "its first,\n"
	    "                        second... attempt (default 0.5,0.3); "
	    "later ones succeed\n"
	    "  -S, --seed=SEED       seed of every random choice, 0 to 2^63-1 "
	    "(default 1)\n"
	    "  -T, --topology=FILE   read the service topology from FILE "
	    "(lines: caller\n"
	    "                        callee [probability])\n"
	    "  -t, --start=TIME      first flow's start, UTC "
	    "(default 2025-05-04T10:30:00)\n"
	    "      --drop=P          lose each line (otlp: each span) with "
	    "probability P\n"
	    "      --dup=P           repeat each line (otlp: each span) with "
	    "probability P\n"
	    "      --no-level        no [INFO]/[ERROR] prefix on the seed's "
	    "text lines\n"
	    "      --payments=P      probability that a seed flow goes through "
	    "payments\n"
	    "                        (default 0.5)\n"
	    "      --shuffle=N       deliver lines out of order, at most N "
	    "places away\n"
	    "      --skew=MS         clocks of the systems and services off by "
	    "up to MS ms\n"
	    "      --truth=FILE      write what was generated to FILE, a "
	    "record per flow or\n"
	    "                        trace, with the copies of each line that "
	    "went out\n"
	    "  -h, --help            this help\n"
	    "  -V, --version         print the version\n\n"
	    "Exit status: 0 written (or the reader went away), 2 usage, "
	    "3 I/O failure.\n"
	    "See loggen(1), logproc(7).\n");
	exit(fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_FAIL);
}

/* ---- options ------------------------------------------------------------ */

/* A probability; what names it in the message. */
static double
parse_prob(const char *s, const char *what)
{
	return opt_real(s, 0, 1, what);
}

/* "P1,P2,...": the failure probabilities of a first, second... attempt. */
static void
parse_pfail(const char *s)
{
	char	*copy, *p, *comma;

	copy = xstrdup(s);
	cfg.npfail = 0;
	for (p = copy; p != NULL; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		if (cfg.npfail == ATTEMPTS_MAX)
			errx(LP_EXIT_USAGE, "invalid failure probabilities "
			    "'%s': more than %d", s, ATTEMPTS_MAX);
		cfg.pfail[cfg.npfail++] = parse_prob(p, "failure probability");
	}
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

static enum fmt
parse_format(const char *s)
{
	static const char *const names[] = { "seed", "spanlog", "otlp",
	    "flat" };
	int	 i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return (enum fmt)i;
	errx(LP_EXIT_USAGE, "invalid format '%s': not seed, spanlog, otlp or "
	    "flat", s);
}

/* Read the options into cfg; exits on a usage error, --help, --version. */
static void
options(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "attempts",	required_argument,	NULL,	'a' },
		{ "count",	required_argument,	NULL,	'n' },
		{ "drop",	required_argument,	NULL,	'D' },
		{ "dup",	required_argument,	NULL,	'U' },
		{ "errors",	required_argument,	NULL,	'e' },
		{ "fail",	required_argument,	NULL,	'p' },
		{ "format",	required_argument,	NULL,	'f' },
		{ "help",	no_argument,		NULL,	'h' },
		{ "no-level",	no_argument,		NULL,	'L' },
		{ "output",	required_argument,	NULL,	'o' },
		{ "payments",	required_argument,	NULL,	'P' },
		{ "seed",	required_argument,	NULL,	'S' },
		{ "shuffle",	required_argument,	NULL,	'W' },
		{ "skew",	required_argument,	NULL,	'K' },
		{ "start",	required_argument,	NULL,	't' },
		{ "topology",	required_argument,	NULL,	'T' },
		{ "truth",	required_argument,	NULL,	'R' },
		{ "version",	no_argument,		NULL,	'V' },
		{ NULL,		0,			NULL,	0 }
	};
	int	 ch;

	cfg.start = parse_time("2025-05-04T10:30:00");
	while ((ch = getopt_long(argc, argv, "a:e:f:hn:o:p:S:T:t:V", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			cfg.attempts = (int)opt_num(optarg, 1, ATTEMPTS_MAX,
			    "attempts");
			break;
		case 'D':
			cfg.pdrop = parse_prob(optarg, "drop probability");
			break;
		case 'e':
			cfg.perr = parse_prob(optarg, "error probability");
			break;
		case 'f':
			cfg.fmt = parse_format(optarg);
			break;
		case 'h':
			usage(LP_EXIT_OK);
		case 'K':
			cfg.skew = opt_num(optarg, 0, SKEW_MAX, "skew");
			break;
		case 'L':
			cfg.level = false;
			break;
		case 'n':
			cfg.count = opt_num(optarg, 0, INT64_MAX, "count");
			break;
		case 'o':
			cfg.outfile = optarg;
			break;
		case 'P':
			cfg.ppay = parse_prob(optarg, "payments probability");
			break;
		case 'p':
			parse_pfail(optarg);
			break;
		case 'R':
			cfg.truthfile = optarg;
			break;
		case 'S':
			cfg.seed = (uint64_t)opt_num(optarg, 0, INT64_MAX,
			    "seed");
			break;
		case 'T':
			cfg.topofile = optarg;
			break;
		case 't':
			cfg.start = parse_time(optarg);
			break;
		case 'U':
			cfg.pdup = parse_prob(optarg, "dup probability");
			break;
		case 'V':
			lp_version("loggen");
		case 'W':
			cfg.shuffle = opt_num(optarg, 0, SHUFFLE_MAX,
			    "shuffle window");
			break;
		default:
			usage(LP_EXIT_USAGE);
		}
	}
	if (optind != argc)
		usage(LP_EXIT_USAGE);
}

/* Make file, created or truncated, the standard output (-o). */
static void
output_open(const char *file)
{
	int	 fd;

	if (file == NULL)
		return;
	if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0666)) < 0)
		err(LP_EXIT_FAIL, "%s", file);
	if (dup2(fd, STDOUT_FILENO) < 0)
		err(LP_EXIT_FAIL, "%s", file);
	close(fd);
}

/*
 * Open the truth file (--truth), created or truncated; refuse the file
 * the logs go to.
 */
static void
truth_open(const char *file)
{
	struct stat	 out, st;

	if (file == NULL)
		return;
	if (strcmp(file, "-") == 0)
		errx(LP_EXIT_USAGE, "--truth -: the truth cannot go to the "
		    "standard output, which carries the logs (try -o)");
	if ((truthfp = fopen(file, "w")) == NULL)
		err(LP_EXIT_FAIL, "%s", file);
	if (fstat(fileno(truthfp), &st) == 0 &&
	    fstat(STDOUT_FILENO, &out) == 0 && S_ISREG(st.st_mode) &&
	    st.st_dev == out.st_dev && st.st_ino == out.st_ino)
		errx(LP_EXIT_USAGE, "--truth %s: the same file as the output",
		    file);
}

/* Close the truth file; false, said on stderr, on a write error. */
static bool
truth_close(void)
{
	int	 bad;

	if (truthfp == NULL)
		return true;
	bad = ferror(truthfp);
	if (fclose(truthfp) != 0) {
		lp_warn("%s", cfg.truthfile);
		return false;
	}
	if (bad) {
		lp_warnx("%s: write error", cfg.truthfile);
		return false;
	}
	return true;
}

/* ---- writing lines ------------------------------------------------------ */

int64_t
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

void
put_hex64(struct buf *b, uint64_t v)
{
	char	 tmp[16];
	int	 i;

	for (i = 15; i >= 0; i--, v >>= 4)
		tmp[i] = hexdig[v & 0xf];
	buf_add(b, tmp, 16);
}

void
put_jhex(struct buf *b, const uint64_t *id, int words)
{
	int	 i;

	buf_addc(b, '"');
	for (i = 0; i < words; i++)
		put_hex64(b, id[i]);
	buf_addc(b, '"');
}

void
put_time(struct buf *b, int64_t t, bool ms)
{
	char	 tmp[TS_LEN + 1];

	ts_format(t >= 0 ? t / MSEC : -((-t + MSEC - 1) / MSEC), tmp);
	buf_add(b, tmp, ms ? TS_LEN : 19);
}

void
put_jtime(struct buf *b, int64_t t, bool sec)
{
	buf_addc(b, '"');
	put_time(b, t, !sec);
	buf_adds(b, sec ? ".000Z\"" : "\"");
}

/* ---- flows and the merge ------------------------------------------------ */

static struct flow *
flow_get(void)
{
	struct flow	*f;

	if ((f = freeflows) != NULL)
		freeflows = f->next;
	else
		f = xcalloc(1, sizeof(*f));
	buf_reset(&f->text);
	buf_reset(&f->truth);
	f->pending = 0;
	f->nlines = 0;
	f->next = NULL;
	return f;
}

/* Retire the flows at the head of the queue whose lines are all out. */
static void
flows_retire(void)
{
	struct flow	*f;

	while ((f = inflight) != NULL && f->pending == 0) {
		if ((inflight = f->next) == NULL)
			inflight_end = &inflight;
		if (truthfp != NULL)
			fwrite(f->truth.p, 1, f->truth.len, truthfp);
		f->next = freeflows;
		freeflows = f;
	}
}

static bool
line_before(const void *a, const void *b)
{
	const struct flowline	*x = a, *y = b;

	return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}

size_t
line_end(struct flow *f, size_t off, int64_t t)
{
	struct flowline	 l;

	buf_addc(&f->text, '\n');
	l.t = t;
	l.seq = lineseq++;
	l.flow = f;
	l.off = (uint32_t)off;
	l.len = (uint32_t)(f->text.len - off);
	l.line = (uint32_t)f->nlines;
	xgrow(&f->mark, &f->markcap, f->nlines + 1, sizeof(*f->mark));
	f->mark[f->nlines] = SIZE_MAX;
	f->pending++;
	heap_push(&lines, &l);
	return f->nlines++;
}

void
truth_delivered(struct flow *f, size_t i)
{
	assert(i < f->nlines);
	f->mark[i] = f->truth.len;
	buf_addc(&f->truth, '0');
}

/*
 * A flow's lines are never earlier than its start, and flows are generated
 * in start order; so before the earliest pending line goes out, every flow
 * starting no later is generated, and no line generated afterwards can
 * precede it.  Memory holds the flows in flight only.  SIGINT or SIGTERM
 * ends the run after the line being delivered, as the end of -n would.
 */
static void
merge(void)
{
	void			(*gen)(struct flow *, int64_t);
	const struct flowline	*top;
	struct flowline		 l;
	struct flow		*f;
	size_t			 mark;
	int64_t			 next = cfg.start, made = 0;
	int			 copies;
	/* An OTLP line is a whole trace: drop and dup act on its spans. */
	bool			 knobs = cfg.fmt != FMT_OTLP;

	gen = cfg.fmt == FMT_SEED ? seed_gen : trace_gen;
	heap_init(&lines, sizeof(struct flowline), line_before, NULL);
	while (!out_closed && !lp_stopped()) {
		while (made < cfg.count && ((top = heap_top(&lines)) == NULL ||
		    next <= top->t)) {
			f = flow_get();
			gen(f, next);
			*inflight_end = f;
			inflight_end = &f->next;
			made++;
			next += cfg.fmt == FMT_SEED ?
			    rng_range(&rng, 1 * SEC, 11 * SEC) :
			    rng_range(&rng, 0, 20 * MSEC);
		}
		flows_retire();		/* those that wrote no line */
		if (!heap_pop(&lines, &l))
			break;
		f = l.flow;
		copies = deliver(f->text.p + l.off, l.len, knobs);
		if ((mark = f->mark[l.line]) != SIZE_MAX)
			f->truth.p[mark] = (char)('0' + copies);
		if (--f->pending == 0)
			flows_retire();
	}
}

/*
 * Free the flows, those still in flight after EPIPE or a signal included
 * (their truth is not written: their lines did not all go out).
 */
static void
flows_release(void)
{
	struct flow	*lists[2] = { inflight, freeflows }, *f, *next;
	int		 i;

	heap_release(&lines);
	for (i = 0; i < 2; i++)
		for (f = lists[i]; f != NULL; f = next) {
			next = f->next;
			buf_release(&f->text);
			buf_release(&f->truth);
			free(f->mark);
			free(f);
		}
	inflight = freeflows = NULL;
	inflight_end = &inflight;
}
