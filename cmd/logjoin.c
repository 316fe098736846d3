/*
 * logjoin - merge multi-part events: a detail part (a separate error line)
 * completes the failed main event it belongs to.
 *
 * Reads event records (logproc(7)); writes event records.  Most events
 * need no join and are written at once, byte for byte as read.  A failed
 * main event without a reason, and every detail part, is held in its key's
 * group (by default correlation id and system) until the key has been
 * quiet for the window in event time; then the group is resolved: each
 * detail completes the nearest unmatched failure of its key, and every
 * held event is written, marked with a "join" member saying what
 * happened.  See logjoin(1).
 *
 * The story: options -> the reader hands out records -> pass through, or
 * hold and resolve the groups whose window closed -> at the end resolve
 * every group -> summary -> exit status.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
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
#include "source.h"
#include "stream.h"
#include "ts.h"

#define MAX_KEYS	8		/* fields in a key */
#define WINDOW_MAX	(7LL * 86400000)	/* a week, in ms */

/* Where a held part's event time came from (logproc(7) join.detail_time). */
enum origin { T_EVENT, T_KAFKA, T_PREVIOUS, T_ARRIVAL };
static const char *const origin_name[] = { "event", "kafka", "previous",
    "arrival" };

/* What became of a held part when its group was resolved. */
enum fate { F_OPEN, F_JOINED, F_CONSUMED, F_UNJOINED, F_ORPHAN, F_DUPLICATE };

/* One held event: a failed main part, or a detail part. */
struct part {
	struct event	*ev;		/* owned */
	int64_t		 t;		/* event time, ms */
	enum origin	 origin;
	bool		 detail;
	uint64_t	 seq;		/* its place among the events read:
					   arrival order breaks ties */
	uint64_t	 hash;		/* content and time, for duplicates */
	const char	*input;		/* for a reject */
	long		 line;
	char		*raw;		/* the line, kept for -O reject only */
	enum fate	 fate;
	struct part	*with;		/* the partner, or the original of a
					   duplicate */
};

/*
 * The parts held for one key.  State machine: a group is created by its
 * first held part and is open while parts come; its deadline is the
 * latest part time plus the window.  When the watermark of its stream
 * (stream.h: the latest event time of the Kafka partition or the input
 * its first part came from) passes the deadline, or the cap on held parts
 * is reached (the oldest deadline of all streams first), or the input
 * ends, the group is resolved (resolve()) and freed; a later part of the
 * key opens a new group.  Each stream keeps its groups in a heap by
 * deadline; heapidx is the group's place there.
 */
struct group {
	char		*key;		/* owned; the map's key */
	size_t		 klen;
	struct part	**part;
	size_t		 n, cap;
	int64_t		 deadline;
	uint64_t	 seq;		/* creation order breaks ties */
	struct stream	*stream;	/* whose clock it waits on */
	size_t		 heapidx;
};

static struct {
	int		 key[MAX_KEYS];	/* enum efield */
	int		 nkey;
	int64_t		 window;	/* ms */
	size_t		 max_held;
	bool		 orphans_reject;
	bool		 stats;
	bool		 quiet;
	const char	*rejpath;
} cfg = { { EF_CORRELATION_ID, EF_SYSTEM_ID }, 2, 60000, 1000000, false,
    false, false, NULL };

static struct map	 groups = MAP_INIT;
static struct streams	 streams = STREAMS_INIT;	/* user: a struct heap
							   of its groups */
static struct reject	 rej;
static struct reader	 rd;
static size_t		 held;
static struct buf	 scratch, why, keyb, text, joinmember;
static struct attrs	 merged = ATTRS_INIT;
static struct jdoc	 mdoc;

static struct {
	unsigned long	 events, passed, held, joined, unjoined, orphans;
	unsigned long	 duplicates, derived, evicted, others;
} count;

static void __attribute__((noreturn))
usage(int status)
{
	FILE	*fp = status == LP_EXIT_OK ? stdout : stderr;

	fprintf(fp, "usage: logjoin [-OqsV] [-k fields] [-m max] [-w window] "
	    "[-x rejects] [file ...]\n");
	if (status != LP_EXIT_OK)
		exit(status);
	printf("\nMerge detail parts (separate error lines) into the failed "
	    "main events they\ncomplete.\n\n"
	    "  -k, --key=FIELDS      event fields that must match, "
	    "comma-separated\n"
	    "                        (default correlation_id,system_id)\n"
	    "  -m, --max-held=N      events held at most; past it the oldest "
	    "group is\n"
	    "                        resolved early (default 1000000)\n"
	    "  -O, --orphans-reject  detail parts that complete nothing go to "
	    "the reject\n"
	    "                        stream instead of the output\n"
	    "  -q, --quiet           no progress report on a terminal\n"
	    "  -s, --stats           print a summary of counts on stderr at "
	    "exit\n"
	    "  -w, --window=TIME     how far apart in event time a detail and "
	    "its main\n"
	    "                        part may be, and how long a key waits "
	    "(default 60s)\n"
	    "  -x, --reject=FILE     write rejected records to FILE as NDJSON\n"
	    "  -h, --help            this help\n"
	    "  -V, --version         print the version\n\n"
	    "Exit status: 0 all accepted, 1 some rejected, 2 usage, "
	    "3 I/O failure.\n"
	    "See logjoin(1), logproc(7).\n");
	exit(fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_FAIL);
}

static void
parse_keys(const char *arg)
{
	const char	*p = arg, *c;
	int		 f;

	cfg.nkey = 0;
	for (; *p != '\0'; p = *c ? c + 1 : c) {
		c = p + strcspn(p, ",");
		f = event_field_lookup(p, (size_t)(c - p));
		if (f < 0 || f >= EF_NSTR || f == EF_PART)
			errx(LP_EXIT_USAGE, "invalid key field '%.*s' (a string "
			    "field of the event record)", (int)(c - p), p);
		if (cfg.nkey == MAX_KEYS)
			errx(LP_EXIT_USAGE, "invalid key '%s': more than %d "
			    "fields", arg, MAX_KEYS);
		cfg.key[cfg.nkey++] = f;
	}
	if (cfg.nkey == 0)
		errx(LP_EXIT_USAGE, "invalid key '%s': no field", arg);
}

static bool
group_before(const void *a, const void *b)
{
	const struct group *x = *(struct group *const *)a;
	const struct group *y = *(struct group *const *)b;

	return x->deadline < y->deadline ||
	    (x->deadline == y->deadline && x->seq < y->seq);
}

static void
group_moved(void *elem, size_t i)
{
	(*(struct group **)elem)->heapidx = i;
}

/* Whether every key field of ev has a value: else it cannot be joined. */
static bool
has_key(const struct event *ev)
{
	int	 i;

	for (i = 0; i < cfg.nkey; i++)
		if (ev->f[cfg.key[i]].p == NULL)
			return false;
	return true;
}

/* The key of ev into keyb: each key field's text, NUL-separated. */
static void
make_key(const struct event *ev)
{
	struct buf	 tmp = BUF_INIT;
	const char	*p;
	size_t		 n;
	int		 i;

	buf_reset(&keyb);
	for (i = 0; i < cfg.nkey; i++) {
		if (i > 0)
			buf_addc(&keyb, '\0');
		if (event_text(&ev->f[cfg.key[i]], &tmp, &p, &n))
			buf_add(&keyb, p, n);
	}
	if (keyb.p == NULL)
		buf_grow(&keyb, 0);
	buf_release(&tmp);
}

/*
 * A hash of what the event says (every field but its source) and of its
 * time: two parts with the same are the same line seen twice.
 */
static uint64_t
content_hash(const struct event *ev, int64_t t)
{
	struct event	 e = *ev;

	buf_reset(&text);
	e.source.n = 0;
	e.extra.n = 0;
	event_write(&text, &e);
	jw_int(&text, t);
	return map_hash(text.p, text.len);
}

/* The "join" member for a part, appended after ev's own extra members. */
static void
join_member(const struct part *pt, const char *status)
{
	buf_reset(&joinmember);
	buf_addlit(&joinmember, "\"join\":{\"status\":");
	jw_cstr(&joinmember, status);
	if (pt->fate == F_JOINED) {
		buf_addlit(&joinmember, ",\"detail\":{");
		buf_add(&joinmember, pt->with->ev->source.p,
		    pt->with->ev->source.n);
		buf_addlit(&joinmember, "},\"detail_time\":");
		jw_cstr(&joinmember, origin_name[pt->with->origin]);
	} else if (pt->fate == F_DUPLICATE) {
		buf_addlit(&joinmember, ",\"of\":{");
		buf_add(&joinmember, pt->with->ev->source.p,
		    pt->with->ev->source.n);
		buf_addc(&joinmember, '}');
	}
	if (pt->detail && pt->fate != F_JOINED) {
		buf_addlit(&joinmember, ",\"detail_time\":");
		jw_cstr(&joinmember, origin_name[pt->origin]);
	}
	buf_addc(&joinmember, '}');
}

/*
 * Write ev with the join member after its own extra members (an earlier
 * "join" of an event joined before is replaced).
 */
static void
write_marked(const struct event *ev, const struct part *pt, const char *st)
{
	struct event	 e = *ev;
	struct buf	 extra = BUF_INIT;

	join_member(pt, st);
	if (ev->extra.n > 0) {
		attrs_reset(&merged);
		attrs_merge(&merged, ev->extra.p, ev->extra.n, true, &mdoc);
		attrs_del(&merged, "join", 4);
		buf_add(&extra, merged.text.p, merged.text.len);
		if (extra.len > 0)
			buf_addc(&extra, ',');
	}
	buf_add(&extra, joinmember.p, joinmember.len);
	e.extra.p = extra.p;
	e.extra.n = extra.len;
	event_write(&out_buf, &e);
	out_commit();
	buf_release(&extra);
}

/*
 * The main part completed by its detail: fields the main part lacks come
 * from the detail, nothing it has is overwritten; attrs likewise.
 */
static void
write_joined(const struct part *m)
{
	const struct event *d = m->with->ev;
	struct event	 e = *m->ev;
	struct buf	 attrs = BUF_INIT;
	int		 f;

	for (f = 0; f < EF_NSTR; f++)
		if (f != EF_PART && e.f[f].p == NULL)
			e.f[f] = d->f[f];
	if (!e.has_ts && d->has_ts) {
		e.has_ts = true;
		e.ts_ms = d->ts_ms;
	}
	if (!e.has_duration && d->has_duration) {
		e.has_duration = true;
		e.duration_ms = d->duration_ms;
		e.duration = d->duration;
	}
	attrs_reset(&merged);
	attrs_merge(&merged, e.attrs.p, e.attrs.n, true, &mdoc);
	attrs_merge(&merged, d->attrs.p, d->attrs.n, false, &mdoc);
	buf_add(&attrs, merged.text.p, merged.text.len);
	e.attrs.p = attrs.p ? attrs.p : "";
	e.attrs.n = attrs.len;
	write_marked(&e, m, "joined");
	buf_release(&attrs);
}

static int
part_cmp(const void *a, const void *b)
{
	const struct part *x = *(struct part *const *)a;
	const struct part *y = *(struct part *const *)b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static uint64_t
seq_distance(const struct part *a, const struct part *b)
{
	return a->seq > b->seq ? a->seq - b->seq : b->seq - a->seq;
}

/*
 * Whether a and b are the same line seen twice: the same source; or the
 * same event at the same time.  A time derived from the event before it
 * is not one of its own, and two error lines may well say the same
 * (the same reason twice in a flow): then only a line repeated at once,
 * the next record read, counts as a duplicate.
 */
static bool
same_line(const struct part *a, const struct part *b)
{
	if (a->ev->source.n > 0 && a->ev->source.n == b->ev->source.n &&
	    memcmp(a->ev->source.p, b->ev->source.p, a->ev->source.n) == 0)
		return true;
	if (a->hash != b->hash || a->t != b->t || a->detail != b->detail)
		return false;
	if (a->origin == T_EVENT || a->origin == T_KAFKA)
		return true;
	return seq_distance(a, b) == 1;
}

/*
 * Whether main part a is a better partner for detail d than main part b:
 * one at or before d beats one after it; of two before, the later; of two
 * after, the earlier; at equal times, the one read nearer to d.
 */
static bool
closer(const struct part *a, const struct part *b, const struct part *d)
{
	bool	 abefore = a->t <= d->t, bbefore = b->t <= d->t;

	if (abefore != bbefore)
		return abefore;
	if (a->t != b->t)
		return abefore ? a->t > b->t : a->t < b->t;
	return seq_distance(a, d) < seq_distance(b, d);
}

/*
 * Resolve a group: its parts in time order; duplicates set apart; each
 * detail, in time order, completes the unmatched failure closest to it
 * within the window (closer() says which); then every part is written, in
 * time order, marked with what became of it.
 */
static void
resolve(struct group *g)
{
	struct part	*p, *q, *best;
	size_t		 i, j;

	qsort(g->part, g->n, sizeof(*g->part), part_cmp);
	for (i = 0; i < g->n; i++)
		for (j = 0; j < i; j++)
			if (g->part[j]->fate != F_DUPLICATE &&
			    same_line(g->part[i], g->part[j])) {
				g->part[i]->fate = F_DUPLICATE;
				g->part[i]->with = g->part[j];
				break;
			}
	for (i = 0; i < g->n; i++) {
		p = g->part[i];
		if (!p->detail || p->fate != F_OPEN)
			continue;
		best = NULL;
		for (j = 0; j < g->n; j++) {
			q = g->part[j];
			if (q->detail || q->fate != F_OPEN ||
			    llabs(q->t - p->t) > cfg.window)
				continue;
			if (best == NULL || closer(q, best, p))
				best = q;
		}
		if (best != NULL) {
			best->fate = F_JOINED;
			best->with = p;
			p->fate = F_CONSUMED;
			p->with = best;
		}
	}
	for (i = 0; i < g->n && !out_closed; i++) {
		p = g->part[i];
		switch (p->fate) {
		case F_JOINED:
			count.joined++;
			write_joined(p);
			break;
		case F_CONSUMED:
			break;
		case F_DUPLICATE:
			count.duplicates++;
			write_marked(p->ev, p, "duplicate");
			break;
		default:
			if (!p->detail) {
				p->fate = F_UNJOINED;
				count.unjoined++;
				write_marked(p->ev, p, "unjoined");
				break;
			}
			p->fate = F_ORPHAN;
			count.orphans++;
			if (!cfg.orphans_reject) {
				write_marked(p->ev, p, "orphan");
				break;
			}
			reject_add(&rej, p->input, p->line, p->raw,
			    strlen(p->raw), "orphan: no failed main event of "
			    "its key within %lldms", (long long)cfg.window);
			break;
		}
	}
	for (i = 0; i < g->n; i++) {
		event_free(g->part[i]->ev);
		free(g->part[i]->raw);
		free(g->part[i]);
	}
	held -= g->n;
	map_del(&groups, g->key, g->klen);
	free(g->part);
	free(g->key);
	free(g);
}

/* The heap of a stream's groups, made when first needed. */
static struct heap *
due_heap(struct stream *st)
{
	if (st->user == NULL) {
		st->user = xmalloc(sizeof(struct heap));
		heap_init(st->user, sizeof(struct group *), group_before,
		    group_moved);
	}
	return st->user;
}

/* The group whose deadline comes first, of all streams; NULL if none. */
static struct group *
oldest(void)
{
	struct group	*g, *best = NULL;
	size_t		 i;

	for (i = 0; i < streams.n; i++) {
		struct heap *h = streams.all[i]->user;
		if (h == NULL || h->n == 0)
			continue;
		g = *(struct group **)heap_top(h);
		if (best == NULL || group_before(&g, &best))
			best = g;
	}
	return best;
}

static void
resolve_group(struct group *g)
{
	heap_remove(g->stream->user, g->heapidx, NULL);
	resolve(g);
}

/*
 * Resolve every group of stream st whose deadline its watermark passed,
 * oldest first; and, past the cap, the oldest of all streams whatever its
 * deadline.
 */
static void
resolve_due(struct stream *st)
{
	struct heap	*h = due_heap(st);
	struct group	*g;

	while (h->n > 0 && (g = *(struct group **)heap_top(h))->deadline <
	    st->watermark)
		resolve_group(g);
	while (held > cfg.max_held && (g = oldest()) != NULL) {
		count.evicted++;
		resolve_group(g);
	}
}

/*
 * The event time of ev, and where it came from: its own; else its Kafka
 * message's, unless that is further than the window from the events
 * around it (old logs replayed into Kafka are stamped when produced,
 * not when they happened); else the previous event's of its input; else
 * the latest event time seen.
 */
static int64_t
event_time(const struct event *ev, const struct stream *st,
    enum origin *origin)
{
	int64_t		 prev = st->last;
	struct source	 src;
	struct jdoc	 sdoc = JDOC_INIT;
	int64_t		 t;
	bool		 kafka;

	if (ev->has_ts) {
		*origin = T_EVENT;
		return ev->ts_ms;
	}
	count.derived++;
	kafka = ev->source.n > 0 && source_parse(ev->source.p, ev->source.n,
	    &sdoc, &scratch, &src) && src.has_ts;
	jdoc_release(&sdoc);
	if (kafka && (prev == INT64_MIN || llabs(src.ts_ms - prev) <=
	    cfg.window)) {
		*origin = T_KAFKA;
		t = src.ts_ms;
	} else if (prev != INT64_MIN) {
		*origin = T_PREVIOUS;
		t = prev;
	} else {
		*origin = T_ARRIVAL;
		t = st->watermark == INT64_MIN ? 0 : st->watermark;
	}
	return t;
}

static void
hold(const struct record *rec, const struct event *ev, struct stream *st,
    int64_t t, enum origin origin)
{
	struct group	*g;
	struct part	*pt;

	make_key(ev);
	if ((g = map_get(&groups, keyb.p, keyb.len)) == NULL) {
		g = xcalloc(1, sizeof(*g));
		g->key = xmemdup(keyb.p, keyb.len);
		g->klen = keyb.len;
		g->deadline = INT64_MIN;
		g->seq = count.events;
		g->stream = st;
		*map_put(&groups, g->key, g->klen) = g;
		heap_push(due_heap(st), &g);
	}
	pt = xcalloc(1, sizeof(*pt));
	pt->ev = event_dup(ev);
	pt->t = t;
	pt->origin = origin;
	pt->detail = event_is_detail(ev);
	pt->seq = count.events;	/* its place among all events read */
	pt->hash = content_hash(ev, t);
	pt->input = rec->input;
	pt->line = rec->line;
	if (cfg.orphans_reject && pt->detail)
		pt->raw = xmemdup(rec->text, rec->len);
	xgrow(&g->part, &g->cap, g->n + 1, sizeof(*g->part));
	g->part[g->n++] = pt;
	held++;
	count.held++;
	if (t + cfg.window > g->deadline) {
		g->deadline = t + cfg.window;
		heap_fix(g->stream->user, g->heapidx);
	}
}

/* Whether ev waits for a partner: a detail part, or a failure without a
 * reason that has not been through logjoin yet. */
static bool
needs_join(const struct event *ev)
{
	if (ev->extra.n > 0 && lp_memmem(ev->extra.p, ev->extra.n,
	    "\"join\":", 7) != NULL)
		return false;
	if (event_is_detail(ev))
		return true;
	return event_failed(ev) && ev->f[EF_FAILURE_REASON].p == NULL;
}

/* A detail part without a key: nothing can be completed by it. */
static void
orphan_now(const struct record *rec, const struct event *ev,
    enum origin origin)
{
	struct part	 pt;

	memset(&pt, 0, sizeof(pt));
	pt.ev = (struct event *)ev;
	pt.origin = origin;
	pt.detail = true;
	pt.fate = F_ORPHAN;
	count.held++;
	count.orphans++;
	if (cfg.orphans_reject)
		reader_reject(&rd, rec, "orphan: a detail part without %s",
		    "its key fields");
	else
		write_marked(ev, &pt, "orphan");
}

static void
event(const struct record *rec)
{
	struct event	 ev;
	struct stream	*st;
	enum origin	 origin;
	int64_t		 t;

	count.events++;
	if (!event_read(rec->doc, &ev, &scratch, &why)) {
		reader_reject(&rd, rec, "%s", why.p);
		return;
	}
	st = streams_get(&streams, &ev, rec->input_no);
	t = event_time(&ev, st, &origin);
	if (ev.has_ts)
		stream_saw(st, ev.ts_ms);
	else if (origin == T_KAFKA && t > st->watermark)
		st->watermark = t;
	if (needs_join(&ev) && has_key(&ev))
		hold(rec, &ev, st, t, origin);
	else if (needs_join(&ev) && event_is_detail(&ev))
		orphan_now(rec, &ev, origin);
	else {
		/* Nothing to join, or nothing could complete it (a failure
		 * without a key): written at once, as read. */
		count.passed++;
		buf_add(&out_buf, rec->text, rec->len);
		buf_addc(&out_buf, '\n');
		out_commit();
	}
	resolve_due(st);
}

/* The options into cfg; returns the files to read. */
static char **
options(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",		no_argument,		NULL, 'h' },
		{ "key",		required_argument,	NULL, 'k' },
		{ "max-held",		required_argument,	NULL, 'm' },
		{ "orphans-reject",	no_argument,		NULL, 'O' },
		{ "quiet",		no_argument,		NULL, 'q' },
		{ "stats",		no_argument,		NULL, 's' },
		{ "version",		no_argument,		NULL, 'V' },
		{ "window",		required_argument,	NULL, 'w' },
		{ "reject",		required_argument,	NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	while ((ch = getopt_long(argc, argv, "hk:m:OqsVw:x:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(LP_EXIT_OK);
		case 'k':
			parse_keys(optarg);
			break;
		case 'm':
			cfg.max_held = (size_t)opt_num(optarg, 1, 1LL << 40,
			    "max-held");
			break;
		case 'O':
			cfg.orphans_reject = true;
			break;
		case 'q':
			cfg.quiet = true;
			break;
		case 's':
			cfg.stats = true;
			break;
		case 'V':
			lp_version("logjoin");
		case 'w':
			cfg.window = opt_duration_ms(optarg, WINDOW_MAX,
			    "window");
			break;
		case 'x':
			cfg.rejpath = optarg;
			break;
		default:
			usage(LP_EXIT_USAGE);
		}
	}
	return argv + optind;
}

static void
summary(void)
{
	fprintf(stderr, "logjoin: %lu lines, %lu blank, %lu records, %lu "
	    "events, %lu passed, %lu held, %lu joined, %lu unjoined, %lu "
	    "orphans, %lu duplicates, %lu other records, %lu rejected\n",
	    rd.lines, rd.blank, rd.records, count.events, count.passed,
	    count.held, count.joined, count.unjoined, count.orphans,
	    count.duplicates, count.others, rej.count);
	fprintf(stderr, "logjoin: %lu times derived, %lu groups resolved "
	    "early (cap)\n", count.derived, count.evicted);
}

static void
release(void)
{
	size_t	 i;

	for (i = 0; i < streams.n; i++)
		if (streams.all[i]->user != NULL) {
			heap_release(streams.all[i]->user);
			free(streams.all[i]->user);
		}
	streams_release(&streams);
	map_release(&groups);
	attrs_release(&merged);
	jdoc_release(&mdoc);
	buf_release(&scratch);
	buf_release(&why);
	buf_release(&keyb);
	buf_release(&text);
	buf_release(&joinmember);
}

int
main(int argc, char *argv[])
{
	struct record	 rec;
	struct group	*g;
	char		**files;
	int		 rval;

	lp_init("logjoin");
	files = options(argc, argv);
	reject_open_option(&rej, "logjoin", cfg.rejpath, files);

	reader_init(&rd, "logjoin", files, &rej, cfg.quiet ? READER_QUIET : 0);
	while (reader_next(&rd, &rec)) {
		if (rec.type == RT_EVENT)
			event(&rec);
		else {
			/* Not ours to join: passed on untouched. */
			count.others++;
			buf_add(&out_buf, rec.text, rec.len);
			buf_addc(&out_buf, '\n');
			out_commit();
		}
	}
	/* End of input (or a signal): every group is resolved, the oldest
	 * deadline of all streams first. */
	while ((g = oldest()) != NULL)
		resolve_group(g);

	rval = reader_end(&rd);
	if (cfg.stats)
		summary();
	rval = reject_end(&rej, rval, cfg.stats);
	release();
	return lp_exit(rval);
}
