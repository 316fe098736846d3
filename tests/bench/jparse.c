/*
 * jparse.c - how fast jdoc_parse() reads a file of JSON lines, beside the
 * reference tokenizer (tests/unit/json_ref.c) on the same lines in the same
 * process.  Not a test: a measuring tool, built by make as
 * build/tests/jparse.
 *
 *	jparse [-n rounds] [-w new|ref|both] file
 *
 * For example, on a million event records:
 *
 *	build/bin/loggen -S 42 -n 32000 | build/bin/lognorm |
 *	    head -1000000 > /tmp/events
 *	build/tests/jparse -n 11 /tmp/events
 *	valgrind --tool=callgrind --toggle-collect=jdoc_parse \
 *	    build/tests/jparse -w new -n 1 /tmp/events
 *
 * The file is read into memory and split at newlines first; each round
 * parses every line once with each tokenizer asked for, alternating which
 * goes first, and times it (wall clock and thread CPU time).  Prints the
 * median of the rounds as lines/s and MB/s of input, per tokenizer.  With
 * -w new or -w ref only that one runs, for callgrind.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "json_ref.h"
#include "lp.h"

struct line {
	size_t		 off, len;
};

typedef bool	(*parse_fn)(struct jdoc *, const char *, size_t);

static double
now(clockid_t clk)
{
	struct timespec	 ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One round of fn over every line: wall and CPU seconds, lines accepted. */
static size_t
round_of(parse_fn fn, struct jdoc *d, const char *text,
    const struct line *l, size_t nl, double *wall, double *cpu)
{
	double	 w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_THREAD_CPUTIME_ID);
	size_t	 i, good = 0;

	for (i = 0; i < nl; i++)
		good += fn(d, text + l[i].off, l[i].len);
	*cpu = now(CLOCK_THREAD_CPUTIME_ID) - c0;
	*wall = now(CLOCK_MONOTONIC) - w0;
	return good;
}

static void
report(const char *name, double *wall, double *cpu, int rounds, size_t nl,
    size_t bytes)
{
	double	 w, c;

	qsort(wall, (size_t)rounds, sizeof(*wall), cmp_double);
	qsort(cpu, (size_t)rounds, sizeof(*cpu), cmp_double);
	w = wall[rounds / 2];
	c = cpu[rounds / 2];
	printf("%-4s wall %8.0f lines/s %7.1f MB/s   cpu %8.0f lines/s "
	    "%7.1f MB/s   (median of %d, wall %.3f-%.3f s)\n", name,
	    (double)nl / w, (double)bytes / w / 1e6, (double)nl / c,
	    (double)bytes / c / 1e6, rounds, wall[0], wall[rounds - 1]);
}

int
main(int argc, char **argv)
{
	struct jdoc	 d = JDOC_INIT;
	struct buf	 text = BUF_INIT;
	struct line	*l = NULL;
	const char	*which = "both";
	double		*wn, *cn, *wr, *cr;
	size_t		 nl = 0, cap = 0, i, start, bytes = 0, gn = 0, gr = 0;
	int		 ch, rounds = 9, r;
	bool		 n_on, r_on;

	while ((ch = getopt(argc, argv, "n:w:")) != -1) {
		switch (ch) {
		case 'n':
			rounds = atoi(optarg);
			break;
		case 'w':
			which = optarg;
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || rounds < 1)
		goto usage;
	n_on = strcmp(which, "ref") != 0;
	r_on = strcmp(which, "new") != 0;
	if (!buf_read_file(&text, argv[0]))
		err(1, "%s", argv[0]);
	for (start = 0, i = 0; i < text.len; i++) {
		if (text.p[i] != '\n')
			continue;
		xgrow(&l, &cap, nl + 1, sizeof(*l));
		l[nl].off = start;
		l[nl++].len = i - start;
		bytes += i - start;
		start = i + 1;
	}
	wn = xreallocarray(NULL, (size_t)rounds, sizeof(double));
	cn = xreallocarray(NULL, (size_t)rounds, sizeof(double));
	wr = xreallocarray(NULL, (size_t)rounds, sizeof(double));
	cr = xreallocarray(NULL, (size_t)rounds, sizeof(double));
	for (r = 0; r < rounds; r++) {
		if (r_on && r % 2 == 1)
			gr = round_of(jref_parse, &d, text.p, l, nl, &wr[r], &cr[r]);
		if (n_on)
			gn = round_of(jdoc_parse, &d, text.p, l, nl, &wn[r], &cn[r]);
		if (r_on && r % 2 == 0)
			gr = round_of(jref_parse, &d, text.p, l, nl, &wr[r], &cr[r]);
	}
	printf("%zu lines, %zu bytes (%.0f a line)\n", nl, bytes,
	    nl ? (double)bytes / (double)nl : 0.0);
	if (n_on)
		report("new", wn, cn, rounds, nl, bytes);
	if (r_on)
		report("ref", wr, cr, rounds, nl, bytes);
	if (n_on && r_on && gn != gr)
		errx(1, "the tokenizers disagree: %zu and %zu lines accepted",
		    gn, gr);
	if (n_on && r_on) {
		qsort(wn, (size_t)rounds, sizeof(double), cmp_double);
		qsort(wr, (size_t)rounds, sizeof(double), cmp_double);
		printf("new/ref speed: %.2fx (wall medians)\n",
		    wr[rounds / 2] / wn[rounds / 2]);
	}
	jdoc_release(&d);
	buf_release(&text);
	free(l);
	free(wn);
	free(cn);
	free(wr);
	free(cr);
	return 0;
usage:
	fprintf(stderr, "usage: jparse [-n rounds] [-w new|ref|both] file\n");
	return 2;
}
