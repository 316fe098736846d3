/*
 * tracebuild.h - what tracebuild's files share: a trace's events, the
 * span tree built from them, and the writers.
 *
 * main.c keeps the open traces (the state machine); build.c turns one
 * trace's events into spans and a tree, as a pure function of the events
 * (so that the order they came in does not matter); write.c writes the
 * trace and span records and the tree view.
 */
#ifndef TRACEBUILD_H
#define TRACEBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"
#include "map.h"

/* Why a trace is written now. */
enum why_written { W_IDLE, W_END, W_EVICTED };

/*
 * An event as a trace keeps it, unpacked (keep_next): the event, and what
 * build.c reads from its attrs (the span kind and the Zipkin shared
 * flag), found when the event came, while its line was in the cache.
 */
struct kept {
	signed char	 kind;		/* index of build.c's kinds, or -1 */
	bool		 shared;
	struct event	 ev;
};

/* The kept that holds event e (one unpacked into a struct kept). */
#define KEPT(e)	((const struct kept *)(const void *) \
	((const char *)(e) - offsetof(struct kept, ev)))

/*
 * The events of a trace, packed into chunks of its own (keep.c), in the
 * order they came.  Zeroed is empty.
 */
struct chunk {
	char		*p;
	uint32_t	 size, used;	/* bytes */
	signed char	 class;		/* of the pool; -1: alone */
};

#define KEEP_INLINE	2		/* chunks most traces need */

struct keep {
	struct chunk	 first[KEEP_INLINE];
	struct chunk	*more;		/* the chunks after those */
	size_t		 capmore;
	size_t		 n;		/* chunks */
	void		*last;		/* the event kept last */
};

/* Keep a copy of ev (its views may be borrowed) in k, with its hints. */
void	 keep_event(struct keep *k, const struct event *ev, signed char kind,
	    bool shared);

/* The event kept last, unpacked into out (views into k's chunks). */
void	 keep_last(const struct keep *k, struct kept *out);

/* Iterating: start zeroed; each keep_next() unpacks the next event. */
struct keep_iter {
	size_t		 ch;		/* which chunk */
	size_t		 pos;		/* where in it */
};

bool	 keep_next(const struct keep *k, struct keep_iter *it,
	    struct kept *out);

/*
 * Ask for k's events to be brought into the cache, all at once: they
 * were written minutes of event time ago, and read one after the other
 * each would wait for memory in turn.
 */
void	 keep_prefetch(const struct keep *k);


/* Give back every chunk of k (to the pool); k is empty again. */
void	 keep_release(struct keep *k);

/* Free the pool of chunks, at the end. */
void	 keep_pool_release(void);

/* One trace's events, as main.c keeps them. */
struct trace {
	size_t		 klen;
	struct keep	 keep;		/* the events */
	size_t		 n;		/* how many */
	struct map	 spans;		/* distinct span keys kept (the cap),
					   made once n reaches the cap: below
					   it no event can pass the cap */
	unsigned long	 dropped;	/* events past the cap on spans */
	unsigned long	 late;		/* events since the last write */
	long		 revision;	/* times written */
	int64_t		 last_seen;	/* the watermark when its latest event
					   came */
	int64_t		 deadline;	/* open: idle end; closed: forget */
	uint64_t	 seq;
	bool		 closed;	/* written, kept for late events */
	struct trace	*prev, *next;	/* the closed list */
	char		 key[];		/* trace id (or correlation id), raw */
};

/* A checkpoint attempt of a checkpoint span. */
struct checkpoint {
	const struct event *ev;
};

/* A span as built: views into the trace's events. */
struct span {
	struct strview	 id, parent;
	bool		 shared;	/* Zipkin: the server half of an id */
	struct strview	 service, target, name, kind, status, reason;
	bool		 has_start, has_end, has_duration;
	int64_t		 start, end;
	double		 duration;
	struct strview	 durtext;	/* duration as the log wrote it */
	struct strview	 attrs;
	long		 events;
	bool		 inferred, orphan, in_progress, cut;
	const struct event **cps;	/* checkpoint spans: their events */
	size_t		 ncps, capcps;
	/* the tree */
	struct span	*up, *child, *next;
	int		 depth;
};

/* A problem found while building (logproc(7) trace.problems). */
struct problem {
	const char	*kind;
	struct strview	 span_id;	/* p NULL: none */
	long		 count;		/* < 0: none */
};

/* A trace built from its events, ready to write. */
struct built {
	const struct trace *tr;
	bool		 checkpoint_model;
	struct span	*span;		/* the spans */
	size_t		 n, cap;
	struct span	**order;	/* tree order */
	size_t		 norder;
	struct span	*root;
	struct problem	*prob;
	size_t		 nprob, capprob;
	const struct event **failed;	/* failures, in time order */
	size_t		 nfailed, capfailed;
	struct kept	*kept;		/* the trace's events, unpacked */
	size_t		 capkept;
	const struct event **sorted;	/* the events, deduplicated */
	size_t		 nsorted, capsorted;
	struct strview	 correlation_id;
	struct map	 byid, server, shared, bysys;
	/* storage reused from trace to trace */
	size_t		*evspan;
	long		*finals, *starts;
	size_t		 captmp, capfs;
	struct span	**bystart, **stack;
	unsigned char	*state;
	size_t		 capspans;
	struct buf	 scratch;
	struct jdoc	 adoc;
};

/*
 * Build tr's spans and tree into b (whose storage is reused from trace to
 * trace).  why says what flush this is, for the idle_flushed and evicted
 * problems.
 */
void	build_trace(struct built *b, const struct trace *tr,
	    enum why_written why);

/* Free b's storage. */
void	build_release(struct built *b);

/* The span hints of ev from its attrs (b's scratch is used). */
void	build_hints(struct built *b, const struct event *ev,
	    signed char *kind, bool *shared);

/*
 * Sort the n pointers at v with cmp, as qsort(3) would (stable, as
 * glibc's merge sort is): by insertion when they are few, the usual
 * case of a trace's events and spans.
 */
void	sort_ptrs(void *v, size_t n,
	    int (*cmp)(const void *, const void *));

/* Output formats. */
enum format { FMT_TRACE, FMT_TREE };

struct write_opts {
	enum format	 format;
	bool		 spans;		/* span records after each trace */
	bool		 color;		/* tree: ANSI colours */
};

/* Append built trace b to out in the chosen format. */
void	write_trace(struct buf *out, const struct built *b,
	    const struct write_opts *o);

#endif
