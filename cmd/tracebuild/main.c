/*
 * tracebuild - rebuild traces from events: group them by trace id (the
 * correlation id when there is none) and write one trace record per trace,
 * spans and tree inside.
 *
 * The story: options -> the reader hands out events -> each is kept in its
 * trace -> traces idle for a while in event time (or past the cap) are
 * built and written -> at the end every trace is -> summary -> exit status.
 * See tracebuild(1) and logproc(7).
 */
#include <err.h>
#include <stddef.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "event.h"
#include "heap.h"
#include "jw.h"
#include "lp.h"
#include "map.h"
#include "opt.h"
#include "out.h"
#include "reader.h"
#include "reject.h"
#include "tracebuild.h"

#define TIME_MAX	(7LL * 86400000)	/* a week, in ms */

static struct {
	int64_t		 idle;		/* ms of event time */
	int64_t		 late;		/* ms a written trace is kept */
	size_t		 max_traces;	/* open at once */
	size_t		 max_closed;	/* written, kept for late events */
	size_t		 max_spans;	/* per trace */
	const char	*only;		/* -T: this trace only */
	const char	*rejpath;
	bool		 stats, quiet;
	struct write_opts w;
} cfg = { 120000, 300000, 100000, 1000, 100000, NULL, NULL, false, false,
    { FMT_TRACE, false, false } };

/*
 * The traces, by key.  State machine of a trace:
 *
 *   open    events come; deadline = the watermark (the latest event time
 *           seen) when the latest of them came + idle.  When the
 *           watermark passes the deadline, or more than max_traces are
 *           open (the one due first), the trace is built and written
 *           (revision 0, 1, ...) -> closed.
 *   closed  kept, with its events, for late ones: deadline = the
 *           watermark when written + the late window.  An event for it
 *           reopens it (a late update: written again, whole, with the next
 *           revision).  Past the deadline, or past max_closed (the oldest
 *           first), it is forgotten; a later event starts a new trace.
 *
 * Open traces sit in a heap by deadline; closed ones in a list in the
 * order they closed, which is their deadline order.  At the end of the
 * input every open trace is written.
 *
 * An open trace's deadline only moves later (the watermark never goes
 * back), so the heap is not told each time: its entries hold a copy of
 * the deadline, which may be early, and an entry found at the top with
 * an early copy is renewed and sifted down before anything is decided.
 * The top is then the trace due first, as if every move had been made:
 * the others' true deadlines are no earlier than their copies.  A trace
 * moves in the heap about once, not at each of its events, and the heap
 * compares its entries without reading the traces.
 */
static struct map	 traces = MAP_INIT;
static struct heap	 open_heap;	/* struct open_ent, by deadline */
static struct trace	*closed_head, *closed_tail;
static size_t		 nclosed;
static int64_t		 watermark = INT64_MIN;
static uint64_t		 seq;
static struct built	 built;
static struct reject	 rej;
static struct reader	 rd;
static struct buf	 scratch, why;

static struct {
	unsigned long	 events, traces, written, updates, late, evicted;
	unsigned long	 forgotten, dropped, skipped, others;
} count;

static void __attribute__((noreturn))
usage(int status)
{
	FILE	*fp = status == LP_EXIT_OK ? stdout : stderr;

	fprintf(fp, "usage: tracebuild [-qSsV] [-f format] [-i idle] [-L late] "
	    "[-m max-traces]\n"
	    "                  [-M max-spans] [-T trace-id] [-x rejects] "
	    "[--color=when]\n"
	    "                  [file ...]\n");
	if (status != LP_EXIT_OK)
		exit(status);
	printf("\nRebuild traces from events: one trace record per trace, its "
	    "span tree inside.\n\n"
	    "  -f, --format=FORMAT   trace (NDJSON records, the default) or "
	    "tree (a view\n"
	    "                        for a terminal)\n"
	    "      --color=WHEN      colours in the tree view: auto (on a "
	    "terminal),\n"
	    "                        always, never\n"
	    "  -i, --idle=TIME       write a trace when no event of it came "
	    "for TIME of\n"
	    "                        event time (default 2m)\n"
	    "  -L, --late=TIME       keep a written trace that long, for late "
	    "events to\n"
	    "                        update it (default 5m)\n"
	    "  -m, --max-traces=N    open traces at most; past it the one due "
	    "first is\n"
	    "                        written early (default 100000)\n"
	    "  -M, --max-spans=N     spans per trace at most; later ones are "
	    "left out and\n"
	    "                        counted (default 100000)\n"
	    "  -q, --quiet           no progress report on a terminal\n"
	    "  -S, --spans           write each span as a span record too, "
	    "after its trace\n"
	    "  -s, --stats           print a summary of counts on stderr at "
	    "exit\n"
	    "  -T, --trace=ID        only the trace ID (its trace or "
	    "correlation id)\n"
	    "  -x, --reject=FILE     write rejected records to FILE as NDJSON\n"
	    "  -h, --help            this help\n"
	    "  -V, --version         print the version\n\n"
	    "Exit status: 0 all accepted, 1 some rejected, 2 usage, "
	    "3 I/O failure.\n"
	    "See tracebuild(1), logproc(7).\n");
	exit(fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_FAIL);
}

/* An open trace in the heap: a copy of its deadline, maybe early. */
struct open_ent {
	int64_t		 deadline;
	uint64_t	 seq;
	struct trace	*tr;
};

static bool
open_before(const void *a, const void *b)
{
	const struct open_ent *x = a, *y = b;

	return x->deadline < y->deadline ||
	    (x->deadline == y->deadline && x->seq < y->seq);
}

static void
open_push(struct trace *tr)
{
	struct open_ent	 e = { tr->deadline, tr->seq, tr };

	heap_push(&open_heap, &e);
}

/* The open trace due first, its entry renewed; NULL when none is open. */
static struct trace *
open_top(void)
{
	struct open_ent	*e;

	while ((e = heap_top(&open_heap)) != NULL &&
	    e->deadline != e->tr->deadline) {
		e->deadline = e->tr->deadline;
		heap_fix(&open_heap, 0);
	}
	return e != NULL ? e->tr : NULL;
}

static void
closed_unlink(struct trace *tr)
{
	if (tr->prev != NULL)
		tr->prev->next = tr->next;
	else
		closed_head = tr->next;
	if (tr->next != NULL)
		tr->next->prev = tr->prev;
	else
		closed_tail = tr->prev;
	tr->prev = tr->next = NULL;
	nclosed--;
}

static void
trace_free(struct trace *tr)
{
	map_del(&traces, tr->key, tr->klen);
	keep_release(&tr->keep);
	map_release(&tr->spans);
	free(tr);
}

/* Build and write an open trace, then keep it closed for late events. */
static void
trace_write(struct trace *tr, enum why_written w)
{
	build_trace(&built, tr, w);
	if (!out_closed) {
		write_trace(&out_buf, &built, &cfg.w);
		out_commit();
	}
	count.written++;
	if (tr->revision > 0)
		count.updates++;
	tr->revision++;
	tr->late = 0;
	tr->closed = true;
	tr->deadline = (watermark == INT64_MIN ? 0 : watermark) + cfg.late;
	tr->prev = closed_tail;
	tr->next = NULL;
	if (closed_tail != NULL)
		closed_tail->next = tr;
	else
		closed_head = tr;
	closed_tail = tr;
	nclosed++;
}

/* Write what is due, and keep within the caps. */
static void
flush_due(void)
{
	struct trace	*tr;

	while (open_heap.n > 0) {
		/* an early copy not yet due: nothing is */
		if (((struct open_ent *)heap_top(&open_heap))->deadline >=
		    watermark && open_heap.n <= cfg.max_traces)
			break;
		tr = open_top();
		if (tr->deadline >= watermark && open_heap.n <= cfg.max_traces)
			break;
		heap_pop(&open_heap, NULL);
		if (tr->deadline >= watermark) {
			count.evicted++;
			trace_write(tr, W_EVICTED);
		} else
			trace_write(tr, W_IDLE);
	}
	while ((tr = closed_head) != NULL &&
	    (tr->deadline < watermark || nclosed > cfg.max_closed)) {
		closed_unlink(tr);
		count.forgotten++;
		trace_free(tr);
	}
}

/* The key of the span an event belongs to, for the cap on spans. */
static const struct strview *
span_key(const struct event *ev)
{
	return ev->f[EF_SPAN_ID].p != NULL ? &ev->f[EF_SPAN_ID] :
	    &ev->f[EF_SYSTEM_ID];
}

/*
 * A trace's key as its kept events hold the id, as JSON string content:
 * a raw view (invalid UTF-8 in the line) is escaped, as event_dup does.
 */
static void
key_text(const struct strview *id, const char **p, size_t *n)
{
	static struct buf esc;

	if (id->json) {
		*p = id->p;
		*n = id->n;
		return;
	}
	buf_reset(&esc);
	jw_str(&esc, id->p, id->n);
	*p = esc.p + 1;		/* without the quotes */
	*n = esc.len - 2;
}

/*
 * Whether event ev may be kept in trace tr: its span is one the trace
 * keeps already, or there is room for one more.  A trace of fewer events
 * than the cap cannot pass it, so the map of its span keys is made only
 * when it has that many; the caller adds ev's key to it once ev is kept
 * (the key must live in the kept copy).
 */
static bool
within_span_cap(struct trace *tr, const struct event *ev)
{
	const struct strview *sk;
	struct keep_iter it;
	struct kept	 k;
	const char	*p;
	size_t		 n;

	if (tr->n < cfg.max_spans)
		return true;
	memset(&it, 0, sizeof(it));
	if (tr->spans.n == 0)
		while (keep_next(&tr->keep, &it, &k)) {
			sk = span_key(&k.ev);
			*map_put(&tr->spans, sk->p ? sk->p : "", sk->n) =
			    (void *)1;
		}
	/* The map holds the keys as the kept events do: escaped. */
	key_text(span_key(ev), &p, &n);
	return map_get(&tr->spans, p != NULL ? p : "", n) != NULL ||
	    tr->spans.n < cfg.max_spans;
}

static void
event(const struct record *rec)
{
	struct event	 ev;
	struct kept	 k;
	const struct strview *id, *sk;
	signed char	 kind;
	bool		 shared;
	struct trace	*tr;
	const char	*key;
	size_t		 klen;
	int64_t		 t;

	count.events++;
	if (!event_read(rec->doc, &ev, &scratch, &why)) {
		reader_reject(&rd, rec, "%s", why.p);
		return;
	}
	id = ev.f[EF_TRACE_ID].p != NULL ? &ev.f[EF_TRACE_ID] :
	    &ev.f[EF_CORRELATION_ID];
	if (id->p == NULL || id->n == 0) {
		reader_reject(&rd, rec, "no trace: neither trace_id nor "
		    "correlation_id");
		return;
	}
	if (cfg.only != NULL && !strview_eq(id, cfg.only, strlen(cfg.only))) {
		count.skipped++;
		return;
	}
	if (ev.has_ts && ev.ts_ms > watermark)
		watermark = ev.ts_ms;
	/* Idle is measured on the stream's clock: from the watermark when
	 * the trace's last event came, which is that event's own time when
	 * events come in order. */
	t = watermark == INT64_MIN ? 0 : watermark;
	key_text(id, &key, &klen);
	if ((tr = map_get(&traces, key, klen)) == NULL) {
		tr = xcalloc(1, sizeof(*tr) + klen + 1);
		memcpy(tr->key, key, klen);
		tr->klen = klen;
		tr->seq = seq++;
		tr->last_seen = t;
		tr->deadline = t + cfg.idle;
		*map_put(&traces, tr->key, tr->klen) = tr;
		open_push(tr);
		count.traces++;
	} else if (tr->closed) {
		/* a late event: the trace is open again, to be rewritten */
		closed_unlink(tr);
		tr->closed = false;
		tr->deadline = tr->last_seen + cfg.idle;
		if (t > tr->last_seen)
			tr->deadline = t + cfg.idle;
		open_push(tr);
	}
	if (tr->revision > 0) {
		tr->late++;
		count.late++;
	}
	if (within_span_cap(tr, &ev)) {
		build_hints(&built, &ev, &kind, &shared);
		keep_event(&tr->keep, &ev, kind, shared);
		tr->n++;
		if (tr->spans.n > 0) {
			keep_last(&tr->keep, &k);
			sk = span_key(&k.ev);
			*map_put(&tr->spans, sk->p ? sk->p : "", sk->n) =
			    (void *)1;
		}
	} else {
		tr->dropped++;
		count.dropped++;
	}
	if (t > tr->last_seen)
		tr->last_seen = t;
	tr->deadline = tr->last_seen + cfg.idle;	/* the heap's copy is
							   renewed at the top */
	flush_due();
}

/* The options into cfg; returns the files to read. */
static char **
options(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "color",	required_argument,	NULL, 'C' },
		{ "format",	required_argument,	NULL, 'f' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "idle",	required_argument,	NULL, 'i' },
		{ "late",	required_argument,	NULL, 'L' },
		{ "max-traces",	required_argument,	NULL, 'm' },
		{ "max-spans",	required_argument,	NULL, 'M' },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "spans",	no_argument,		NULL, 'S' },
		{ "stats",	no_argument,		NULL, 's' },
		{ "trace",	required_argument,	NULL, 'T' },
		{ "version",	no_argument,		NULL, 'V' },
		{ "reject",	required_argument,	NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*color = "auto";
	int		 ch;

	while ((ch = getopt_long(argc, argv, "f:hi:L:m:M:qSsT:Vx:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'C':
			color = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "trace") == 0)
				cfg.w.format = FMT_TRACE;
			else if (strcmp(optarg, "tree") == 0)
				cfg.w.format = FMT_TREE;
			else
				errx(LP_EXIT_USAGE, "invalid format '%s' (trace "
				    "or tree)", optarg);
			break;
		case 'h':
			usage(LP_EXIT_OK);
		case 'i':
			cfg.idle = opt_duration_ms(optarg, TIME_MAX, "idle time");
			break;
		case 'L':
			cfg.late = opt_duration_ms(optarg, TIME_MAX, "late time");
			break;
		case 'm':
			cfg.max_traces = (size_t)opt_num(optarg, 1, 1LL << 32,
			    "max-traces");
			break;
		case 'M':
			cfg.max_spans = (size_t)opt_num(optarg, 1, 1LL << 32,
			    "max-spans");
			break;
		case 'q':
			cfg.quiet = true;
			break;
		case 'S':
			cfg.w.spans = true;
			break;
		case 's':
			cfg.stats = true;
			break;
		case 'T':
			cfg.only = optarg;
			break;
		case 'V':
			lp_version("tracebuild");
		case 'x':
			cfg.rejpath = optarg;
			break;
		default:
			usage(LP_EXIT_USAGE);
		}
	}
	if (strcmp(color, "always") == 0)
		cfg.w.color = true;
	else if (strcmp(color, "auto") == 0)
		cfg.w.color = isatty(STDOUT_FILENO);
	else if (strcmp(color, "never") != 0)
		errx(LP_EXIT_USAGE, "invalid color '%s' (auto, always or never)",
		    color);
	cfg.w.color &= cfg.w.format == FMT_TREE;
	cfg.max_closed = cfg.max_closed < cfg.max_traces ? cfg.max_closed :
	    cfg.max_traces;
	return argv + optind;
}

static void
summary(void)
{
	fprintf(stderr, "tracebuild: %lu lines, %lu blank, %lu records, %lu "
	    "events, %lu traces, %lu written (%lu late updates), %lu late "
	    "events, %lu evicted early, %lu spans left out, %lu events of "
	    "other traces (-T), %lu rejected\n", rd.lines, rd.blank,
	    rd.records, count.events, count.traces, count.written,
	    count.updates, count.late, count.evicted, count.dropped,
	    count.skipped, rej.count);
}

static void
release(void)
{
	struct trace	*tr;

	while ((tr = closed_head) != NULL) {
		closed_unlink(tr);
		trace_free(tr);
	}
	heap_release(&open_heap);
	map_release(&traces);
	build_release(&built);
	keep_pool_release();
	buf_release(&scratch);
	buf_release(&why);
}

int
main(int argc, char *argv[])
{
	struct record	 rec;
	struct trace	*tr;
	char		**files;
	int		 rval;

	lp_init("tracebuild");
	files = options(argc, argv);
	reject_open_option(&rej, "tracebuild", cfg.rejpath, files);
	heap_init(&open_heap, sizeof(struct open_ent), open_before, NULL);

	reader_init(&rd, "tracebuild", files, &rej,
	    cfg.quiet ? READER_QUIET : 0);
	while (reader_next(&rd, &rec)) {
		if (rec.type == RT_EVENT)
			event(&rec);
		else {
			count.others++;
			reader_reject(&rd, &rec, "not an event: a %s record "
			    "(tracebuild reads events)", rtype_name[rec.type]);
		}
	}
	/* The end of the input (or a signal): every open trace is written. */
	while ((tr = open_top()) != NULL) {
		heap_pop(&open_heap, NULL);
		trace_write(tr, W_END);
	}

	rval = reader_end(&rd);
	if (cfg.stats)
		summary();
	rval = reject_end(&rej, rval, cfg.stats);
	release();
	return lp_exit(rval);
}
